// DELETE /ideas/{id}/vote: take one's vote back.
import { removeVote } from '../../votes';
import { defineEndpoint, ok } from '../endpoint';
import { ApiError, notFound } from '../errors';
import { idPath, itemOf, voteResultSchema } from '../schemas';
import { participant } from './shared';
import { CHALLENGE_VOTING_CLOSED, VOTING_CLOSED, voteCount } from './idea-vote';

export default defineEndpoint({
	method: 'DELETE',
	path: '/ideas/{id}/vote',
	operationId: 'removeVote',
	tag: 'Ideas',
	summary: 'Take back a vote',
	description: 'Idempotent. Closed ideas keep their votes (409).',
	scope: 'write',
	params: idPath,
	responses: {
		200: { description: 'You no longer vote for the idea.', schema: itemOf(voteResultSchema) }
	},
	errors: [404, 409],
	async handle(ctx) {
		const actor = participant(ctx.actor);
		const result = await removeVote(ctx.db, actor, { postId: ctx.params.id });
		if (!result.ok) {
			if (result.reason === 'closed' || result.reason === 'challenge_closed') {
				throw new ApiError(
					'conflict',
					result.reason === 'closed' ? VOTING_CLOSED : CHALLENGE_VOTING_CLOSED
				);
			}
			throw notFound('idea');
		}
		return ok({
			data: {
				voted: false,
				changed: result.changed,
				vote_count: await voteCount(ctx, ctx.params.id)
			}
		});
	}
});
