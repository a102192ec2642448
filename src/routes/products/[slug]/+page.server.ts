import { error } from '@sveltejs/kit';
import type { IdeaSort } from '$lib/domain/ideas';
import { getDb } from '$lib/server/db/app';
import { InvalidCursorError, isIdeaSort, listIdeas } from '$lib/server/ideas/queries';
import { getProductBySlug } from '$lib/server/products';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	const db = getDb();
	const product = await getProductBySlug(db, params.slug);
	if (!product) {
		error(404, 'There is no product at this address. It may have been renamed.');
	}
	const sortParam = url.searchParams.get('sort');
	const sort: IdeaSort = isIdeaSort(sortParam) ? sortParam : 'trending';
	const cursor = url.searchParams.get('after') || null;
	try {
		const list = await listIdeas(db, { productSlug: product.slug, sort, cursor });
		return {
			product: {
				name: product.name,
				slug: product.slug,
				description: product.description,
				archived: product.archivedAt !== null
			},
			sort,
			ideas: list.ideas,
			nextCursor: list.nextCursor,
			paged: cursor !== null
		};
	} catch (cause) {
		if (cause instanceof InvalidCursorError) {
			error(400, 'This page link is not valid any more. Start again from the first page.');
		}
		throw cause;
	}
}) satisfies PageServerLoad;
