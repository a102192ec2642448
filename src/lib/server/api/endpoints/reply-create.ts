// POST /discussions/{id}/replies: reply to a thread.
import { z } from 'zod';
import { commentBodySchema } from '../../comments';
import { postReply } from '../../discussions';
import { defineEndpoint, ok } from '../endpoint';
import { ApiError, notFound } from '../errors';
import { createdSchema, idPath, itemOf } from '../schemas';
import { allowPosting, findVisibleThread, participant } from './shared';

export default defineEndpoint({
	method: 'POST',
	path: '/discussions/{id}/replies',
	operationId: 'createDiscussionReply',
	tag: 'Discussions',
	summary: 'Reply to a thread',
	description: 'Locked or closed threads take no replies (409). The posting limits apply.',
	scope: 'write',
	params: idPath,
	body: z.object({ body: commentBodySchema.describe('Markdown.') }),
	responses: { 201: { description: 'The new reply.', schema: itemOf(createdSchema) } },
	errors: [400, 404, 409],
	async handle(ctx) {
		const actor = participant(ctx.actor);
		await findVisibleThread(ctx, ctx.params.id);
		const visibility = await allowPosting(ctx, { kind: 'comment', body: ctx.body.body });
		const result = await postReply(ctx.db, actor, {
			postId: ctx.params.id,
			body: ctx.body.body,
			visibility
		});
		if (!result.ok) {
			switch (result.reason) {
				case 'invalid':
					throw new ApiError('invalid_request', result.error, { body: result.error });
				case 'locked':
					throw new ApiError(
						'conflict',
						'A moderator locked this discussion: it takes no new replies.'
					);
				case 'closed':
					throw new ApiError('conflict', 'This discussion is closed: it takes no new replies.');
				case 'not_found':
					throw notFound('discussion');
				case 'forbidden':
					throw new ApiError('forbidden', 'You cannot reply here.');
			}
		}
		return ok({ data: { id: result.id, url: result.path, visibility } }, 201);
	}
});
