// GET /ideas/{id}: one idea with its status history and the caller's vote.
import { findVote } from '../../votes';
import { canVote } from '../../policy';
import { defineEndpoint, ok } from '../endpoint';
import { idPath, ideaDetailSchema, itemOf, toIdeaDetail } from '../schemas';
import { findVisibleIdea } from './shared';

export default defineEndpoint({
	method: 'GET',
	path: '/ideas/{id}',
	operationId: 'getIdea',
	tag: 'Ideas',
	summary: 'Get an idea',
	description:
		'A hidden or pending idea is found only by its author and moderators; a deleted one only by staff. Internal notes are never part of an idea.',
	scope: 'read',
	params: idPath,
	responses: { 200: { description: 'The idea.', schema: itemOf(ideaDetailSchema) } },
	errors: [404],
	async handle(ctx) {
		const { idea, facts } = await findVisibleIdea(ctx, ctx.params.id);
		const { actor } = ctx;
		const mine = actor.kind === 'user' ? await findVote(ctx.db, idea.id, actor.id) : undefined;
		const viewer =
			actor.kind === 'user'
				? {
						voted: mine !== undefined,
						importance: mine?.importance ?? null,
						can_vote: canVote(actor, facts)
					}
				: null;
		return ok({ data: toIdeaDetail(idea, viewer) });
	}
});
