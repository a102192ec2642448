// The changelog as an Atom feed: the latest published entries, optionally for one product.
import { error } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db/app';
import { CHANGELOG_FEED_SIZE, listPublishedEntries } from '$lib/server/changelog';
import { buildAtomFeed } from '$lib/server/changelog/atom';
import { listProductOptions } from '$lib/server/roadmap/filters';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

export const GET = (async ({ url }) => {
	const db = getDb();
	const slug = url.searchParams.get('product')?.trim() || null;
	let productName: string | null = null;
	if (slug) {
		const product = (await listProductOptions(db)).find((p) => p.slug === slug);
		if (!product) {
			error(404, m.roadmap_feed_no_product());
		}
		productName = product.name;
	}
	const { entries } = await listPublishedEntries(db, {
		productSlug: slug,
		limit: CHANGELOG_FEED_SIZE
	});
	const query = slug ? `?product=${encodeURIComponent(slug)}` : '';
	const body = buildAtomFeed({
		origin: url.origin,
		siteName: config().SITE_NAME,
		productName,
		selfPath: `/changelog.atom${query}`,
		pagePath: `/changelog${query}`,
		entries
	});
	return new Response(body, {
		headers: {
			'Content-Type': 'application/atom+xml; charset=utf-8',
			'Cache-Control': 'public, max-age=300'
		}
	});
}) satisfies RequestHandler;
