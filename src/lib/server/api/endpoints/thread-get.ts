// GET /discussions/{id}: one thread (its replies are listed separately).
import { defineEndpoint, ok } from '../endpoint';
import { idPath, itemOf, threadDetailSchema, toThreadDetail } from '../schemas';
import { findVisibleThread } from './shared';

export default defineEndpoint({
	method: 'GET',
	path: '/discussions/{id}',
	operationId: 'getDiscussion',
	tag: 'Discussions',
	summary: 'Get a discussion thread',
	scope: 'read',
	params: idPath,
	responses: { 200: { description: 'The thread.', schema: itemOf(threadDetailSchema) } },
	errors: [404],
	async handle(ctx) {
		const { thread } = await findVisibleThread(ctx, ctx.params.id);
		return ok({ data: toThreadDetail(thread) });
	}
});
