// POST /ideas: a member posts an idea (with their vote on it, as on the site).
import { ideaSchema, postIdea } from '../../ideas';
import { defineEndpoint, ok } from '../endpoint';
import { ApiError, domainFields } from '../errors';
import { createdSchema, itemOf } from '../schemas';
import { allowPosting, participant } from './shared';

export default defineEndpoint({
	method: 'POST',
	path: '/ideas',
	operationId: 'createIdea',
	tag: 'Ideas',
	summary: 'Post an idea',
	description:
		'The author’s vote comes with it. The posting limits of the site apply (new members: links, a daily number, perhaps approval first: then `visibility` is `pending`). Unlike the site’s form there is no "similar ideas" confirm step: call GET /ideas/similar first.',
	scope: 'write',
	body: ideaSchema.describe('`product` is a product id; `tags` are tag ids.'),
	responses: { 201: { description: 'The new idea.', schema: itemOf(createdSchema) } },
	errors: [400, 422],
	async handle(ctx) {
		const actor = participant(ctx.actor);
		const visibility = await allowPosting(ctx, { kind: 'post', body: ctx.body.body });
		const result = await postIdea(ctx.db, actor, ctx.body, { visibility });
		if (!result.ok) {
			if (result.reason === 'invalid') {
				throw new ApiError(
					'unprocessable',
					'The idea cannot be filed like this.',
					domainFields(result.errors)
				);
			}
			throw new ApiError('forbidden', 'You cannot post ideas.');
		}
		return ok({ data: { id: result.id, url: result.path, visibility } }, 201);
	}
});
