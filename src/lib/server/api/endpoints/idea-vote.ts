// PUT /ideas/{id}/vote: vote for an idea (or change the importance of one's vote).
import { z } from 'zod';
import { IMPORTANCES } from '$lib/domain/ideas';
import { getIdeaDetail } from '../../ideas';
import { castVote } from '../../votes';
import { defineEndpoint, ok, type ApiContext } from '../endpoint';
import { ApiError, notFound } from '../errors';
import { idPath, itemOf, voteResultSchema } from '../schemas';
import { participant } from './shared';

export const VOTING_CLOSED =
	'Voting on this idea is closed: ideas stop taking votes once they are done, declined or merged.';
export const CHALLENGE_VOTING_CLOSED =
	'This idea is an entry to a challenge that is not open: entries take votes only while their challenge runs.';

/** The idea's vote count after a vote or unvote, for the answer. */
export async function voteCount(
	ctx: Pick<ApiContext<unknown, unknown, unknown>, 'db'>,
	id: number
) {
	return (await getIdeaDetail(ctx.db, id))?.voteCount ?? 0;
}

export default defineEndpoint({
	method: 'PUT',
	path: '/ideas/{id}/vote',
	operationId: 'voteForIdea',
	tag: 'Ideas',
	summary: 'Vote for an idea',
	description:
		'Idempotent: voting again changes nothing but the importance, when one is given. The body may be left out.',
	scope: 'write',
	params: idPath,
	body: z.object({
		importance: z
			.enum(IMPORTANCES, { error: `importance is one of ${IMPORTANCES.join(', ')}, or null.` })
			.nullable()
			.optional()
			.describe('How much it matters to you; leave out to keep what your vote has.')
	}),
	responses: { 200: { description: 'You vote for the idea.', schema: itemOf(voteResultSchema) } },
	errors: [400, 404, 409],
	async handle(ctx) {
		const actor = participant(ctx.actor);
		const result = await castVote(ctx.db, actor, {
			postId: ctx.params.id,
			importance: ctx.body.importance
		});
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
				voted: true,
				changed: result.changed,
				vote_count: await voteCount(ctx, ctx.params.id)
			}
		});
	}
});
