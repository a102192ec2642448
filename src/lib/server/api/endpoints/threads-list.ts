// GET /discussions: discussion threads, newest first.
import { z } from 'zod';
import { getCategoryBySlug, listThreads } from '../../discussions';
import { decodeIdCursor, encodeApiCursor } from '../cursor';
import { defineEndpoint, ok } from '../endpoint';
import { ApiError } from '../errors';
import { limitOf, pageOf, pageQuery, threadSummarySchema, toThreadSummary } from '../schemas';

export default defineEndpoint({
	method: 'GET',
	path: '/discussions',
	operationId: 'listDiscussions',
	tag: 'Discussions',
	summary: 'List discussion threads',
	description:
		'Newest first (by when a thread was started, so pages stay put as threads get replies). Hidden, pending and deleted threads are left out.',
	scope: 'read',
	query: z.object({
		category: z
			.string()
			.regex(/^[a-z0-9-]{1,60}$/, 'category is a slug, like "general".')
			.optional()
			.describe('Only this category’s threads (its slug).'),
		...pageQuery
	}),
	responses: { 200: { description: 'A page of threads.', schema: pageOf(threadSummarySchema) } },
	errors: [400, 422],
	async handle({ db, actor, query }) {
		let categoryId: number | null = null;
		if (query.category) {
			const category = await getCategoryBySlug(db, query.category);
			if (!category) {
				throw new ApiError('unprocessable', 'A filter names something that does not exist.', {
					category: `There is no category "${query.category}".`
				});
			}
			categoryId = category.id;
		}
		const list = `threads:${categoryId ?? ''}`;
		const limit = limitOf(query);
		const { threads } = await listThreads(db, actor, {
			categoryId,
			newest: { beforeId: decodeIdCursor(query.cursor, list), limit: limit + 1 }
		});
		const items = threads.slice(0, limit);
		const last = items.at(-1);
		return ok({
			data: items.map(toThreadSummary),
			next_cursor:
				threads.length > limit && last ? encodeApiCursor({ list, after: [last.id] }) : null
		});
	}
});
