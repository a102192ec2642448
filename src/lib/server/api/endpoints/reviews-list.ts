// GET /products/{slug}/reviews: a product's reviews, newest first.
import { z } from 'zod';
import { RATINGS } from '$lib/domain/reviews';
import { getProductBySlug } from '../../products';
import { listReviews } from '../../reviews/queries';
import { decodeIdCursor, encodeApiCursor } from '../cursor';
import { defineEndpoint, ok } from '../endpoint';
import { notFound } from '../errors';
import { limitOf, pageOf, pageQuery, reviewSchema, toReview } from '../schemas';
import { slugPath } from './product-get';

export default defineEndpoint({
	method: 'GET',
	path: '/products/{slug}/reviews',
	operationId: 'listProductReviews',
	tag: 'Reviews',
	summary: 'List a product’s reviews',
	description:
		'Newest first. Members see visible reviews; moderators also held and hidden ones (marked by `visibility`).',
	scope: 'read',
	params: slugPath,
	query: z.object({
		...pageQuery,
		stars: z
			.enum(RATINGS.map(String) as ['1', '2', '3', '4', '5'], { error: 'stars must be 1 to 5.' })
			.transform(Number)
			.optional()
			.describe('Only reviews with this rating.')
	}),
	responses: { 200: { description: 'A page of reviews.', schema: pageOf(reviewSchema) } },
	errors: [400, 404],
	async handle({ db, actor, params, query }) {
		const product = await getProductBySlug(db, params.slug);
		if (!product) {
			throw notFound('product');
		}
		const limit = limitOf(query);
		const list = `reviews:${product.id}:${query.stars ?? ''}`;
		const { reviews, hasMore } = await listReviews(db, actor, {
			productId: product.id,
			sort: 'newest',
			stars: (query.stars ?? null) as (typeof RATINGS)[number] | null,
			page: 1,
			newest: { beforeId: decodeIdCursor(query.cursor, list), limit }
		});
		const last = reviews.at(-1);
		return ok({
			data: reviews.map(toReview),
			next_cursor: hasMore && last ? encodeApiCursor({ list, after: [last.id] }) : null
		});
	}
});
