// GET /reviews/{id}: one review, if the caller may read it.
import { z } from 'zod';
import { loadReviewFacts } from '../../reviews';
import { getReviewDetail } from '../../reviews/queries';
import { canViewReview } from '../../policy';
import { defineEndpoint, ok } from '../endpoint';
import { notFound } from '../errors';
import { idPath, itemOf, reviewSchema, toReview } from '../schemas';

export default defineEndpoint({
	method: 'GET',
	path: '/reviews/{id}',
	operationId: 'getReview',
	tag: 'Reviews',
	summary: 'Get a review',
	scope: 'read',
	params: idPath,
	responses: {
		200: {
			description: 'The review.',
			schema: itemOf(
				reviewSchema.extend({
					product: z.object({ id: z.number().int(), name: z.string(), slug: z.string() })
				})
			)
		}
	},
	errors: [404],
	async handle({ db, actor, params }) {
		const facts = await loadReviewFacts(db, params.id);
		if (!facts || !canViewReview(actor, facts)) {
			throw notFound('review');
		}
		const review = await getReviewDetail(db, actor, params.id);
		if (!review) {
			throw notFound('review');
		}
		return ok({
			data: {
				...toReview(review),
				product: { id: review.product.id, name: review.product.name, slug: review.product.slug }
			}
		});
	}
});
