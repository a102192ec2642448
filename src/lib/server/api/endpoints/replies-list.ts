// GET /discussions/{id}/replies: a thread's replies, oldest first.
import { z } from 'zod';
import { listReplies } from '../../discussions';
import { decodeIdCursor, pageOf as page } from '../cursor';
import { defineEndpoint, ok } from '../endpoint';
import { idPath, limitOf, pageOf, pageQuery, replySchema, toReply } from '../schemas';
import { findVisibleThread } from './shared';

export default defineEndpoint({
	method: 'GET',
	path: '/discussions/{id}/replies',
	operationId: 'listDiscussionReplies',
	tag: 'Discussions',
	summary: 'List a thread’s replies',
	description: 'Oldest first. Held or hidden replies only for their author and moderators.',
	scope: 'read',
	params: idPath,
	query: z.object(pageQuery),
	responses: { 200: { description: 'A page of replies.', schema: pageOf(replySchema) } },
	errors: [400, 404],
	async handle(ctx) {
		const { facts } = await findVisibleThread(ctx, ctx.params.id);
		const list = `replies:${facts.id}`;
		const limit = limitOf(ctx.query);
		const replies = await listReplies(ctx.db, ctx.actor, facts, null, {
			afterId: decodeIdCursor(ctx.query.cursor, list),
			limit: limit + 1
		});
		const { items, next_cursor } = page(replies, limit, list, (r) => [r.id]);
		return ok({ data: items.map(toReply), next_cursor });
	}
});
