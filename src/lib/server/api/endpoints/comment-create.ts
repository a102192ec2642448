// POST /ideas/{id}/comments: comment on an idea, or reply to a comment.
import { z } from 'zod';
import { commentBodySchema, postComment } from '../../comments';
import { defineEndpoint, ok } from '../endpoint';
import { ApiError, domainFields, notFound } from '../errors';
import { createdSchema, idPath, itemOf } from '../schemas';
import { allowPosting, participant } from './shared';

export default defineEndpoint({
	method: 'POST',
	path: '/ideas/{id}/comments',
	operationId: 'createIdeaComment',
	tag: 'Ideas',
	summary: 'Comment on an idea',
	description:
		'Replies go one level deep: a reply to a reply joins its thread. Markdown; @handles mention people. The posting limits apply.',
	scope: 'write',
	params: idPath,
	body: z.object({
		body: commentBodySchema.describe('Markdown.'),
		parent_id: z
			.number({ error: 'parent_id is the id of the comment replied to.' })
			.int()
			.positive()
			.optional()
	}),
	responses: { 201: { description: 'The new comment.', schema: itemOf(createdSchema) } },
	errors: [400, 404, 409, 422],
	async handle(ctx) {
		const actor = participant(ctx.actor);
		const visibility = await allowPosting(ctx, { kind: 'comment', body: ctx.body.body });
		const result = await postComment(ctx.db, actor, {
			postId: ctx.params.id,
			body: ctx.body.body,
			parentId: ctx.body.parent_id ?? null,
			visibility
		});
		if (!result.ok) {
			switch (result.reason) {
				case 'invalid': {
					const { parent, ...rest } = result.errors;
					throw new ApiError('unprocessable', 'The comment cannot be posted like this.', {
						...domainFields(rest),
						...(parent ? { parent_id: parent } : {})
					});
				}
				case 'closed':
					throw new ApiError('conflict', 'This idea was deleted, so it takes no new comments.');
				case 'not_found':
					throw notFound('idea');
				case 'forbidden':
					throw new ApiError('forbidden', 'You cannot comment here.');
			}
		}
		return ok({ data: { id: result.id, url: result.path, visibility } }, 201);
	}
});
