import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { listPublishedEntries } from '$lib/server/changelog';
import { canManageChangelog } from '$lib/server/policy';
import { listProductOptions, productFilter } from '$lib/server/roadmap/filters';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';

/** Offset pages go this deep; a changelog read further back than 100 pages is not read. */
const MAX_PAGE = 100;

export const load = (async ({ url, locals }) => {
	const db = getDb();
	const products = await listProductOptions(db);
	const product = productFilter(url, products);
	const pageParam = url.searchParams.get('page');
	const page = pageParam === null ? 1 : Number(pageParam);
	if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
		error(400, m.roadmap_changelog_no_page());
	}
	const { entries, hasMore } = await listPublishedEntries(db, { productSlug: product, page });
	const query = (p: number) => {
		const params = new URLSearchParams();
		if (product) {
			params.set('product', product);
		}
		if (p > 1) {
			params.set('page', String(p));
		}
		const search = params.toString();
		return `/changelog${search ? `?${search}` : ''}`;
	};
	return {
		entries,
		products,
		product: product ?? '',
		page,
		olderHref: hasMore && page < MAX_PAGE ? query(page + 1) : null,
		newerHref: page > 1 ? query(page - 1) : null,
		feedHref: `/changelog.atom${product ? `?product=${product}` : ''}`,
		canManage: canManageChangelog(locals.actor)
	};
}) satisfies PageServerLoad;
