// GET /ideas/{id}/comments: an idea's comments, oldest first (replies carry their parent_id).
import { listComments } from '../../comments';
import { z } from 'zod';
import { decodeIdCursor, pageOf as page } from '../cursor';
import { defineEndpoint, ok } from '../endpoint';
import { commentSchema, idPath, limitOf, pageOf, pageQuery, toComment } from '../schemas';
import { findVisibleIdea } from './shared';
import type { CommentView } from '../../comments';

function flatten(threads: CommentView[]): CommentView[] {
	return threads.flatMap((c) => [c, ...flatten(c.replies)]).sort((a, b) => a.id - b.id);
}

export default defineEndpoint({
	method: 'GET',
	path: '/ideas/{id}/comments',
	operationId: 'listIdeaComments',
	tag: 'Ideas',
	summary: 'List an idea’s comments',
	description:
		'Oldest first, in one flat list: a reply has the `parent_id` of its thread. Staff’s internal notes are never included; held or hidden comments only for their author and moderators.',
	scope: 'read',
	params: idPath,
	query: z.object(pageQuery),
	responses: { 200: { description: 'A page of comments.', schema: pageOf(commentSchema) } },
	errors: [400, 404],
	async handle(ctx) {
		const { facts } = await findVisibleIdea(ctx, ctx.params.id);
		const list = `comments:${facts.id}`;
		const limit = limitOf(ctx.query);
		const threads = await listComments(ctx.db, ctx.actor, facts, {
			afterId: decodeIdCursor(ctx.query.cursor, list),
			limit: limit + 1
		});
		const { items, next_cursor } = page(flatten(threads), limit, list, (c) => [c.id]);
		return ok({ data: items.map((c) => toComment(c, c.parentId)), next_cursor });
	}
});
