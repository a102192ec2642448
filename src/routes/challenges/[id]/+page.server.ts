import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { authorize } from '$lib/server/auth/guards';
import { getChallenge } from '$lib/server/challenges';
import { getDb } from '$lib/server/db/app';
import { readForm } from '$lib/server/forms';
import { refuseIfSuspended } from '$lib/server/moderation/web';
import {
	canEnterChallenge,
	canManageChallenges,
	canViewChallenges,
	canVote,
	isVotingOpen,
	type UserActor
} from '$lib/server/policy';
import { castVote, removeVote } from '$lib/server/votes';
import type { Actions, PageServerLoad } from './$types';

function challengeIdOf(event: Pick<RequestEvent, 'params'>): number {
	const id = /^\d{1,15}$/.test(event.params.id ?? '') ? Number(event.params.id) : null;
	if (id === null) {
		error(404, m.challenges_not_found());
	}
	return id;
}

export const load = (async (event) => {
	const { actor } = event.locals;
	authorize(event, canViewChallenges(actor));
	const now = new Date();
	const db = getDb();
	const challenge = await getChallenge(db, challengeIdOf(event), now);
	if (!challenge) {
		error(404, m.challenges_not_found());
	}
	const ids = challenge.entries.map((e) => e.id);
	const mine =
		actor.kind === 'user' && ids.length > 0
			? await db
					.selectFrom('vote')
					.select('post_id')
					.where('user_id', '=', actor.id)
					.where('post_id', 'in', ids)
					.execute()
			: [];
	const window = { startsAt: challenge.startsAt, endsAt: challenge.endsAt };
	// The rule the vote action applies, per entry (an entry may also have shipped or closed);
	// visitors see the button too, and using it takes them to sign in and back.
	const votable = (entry: (typeof challenge.entries)[number]) => {
		const facts = {
			deleted: false,
			merged: entry.merged,
			statusCategory: entry.status.category,
			challenge: window
		};
		return actor.kind === 'user' ? canVote(actor, facts, now) : isVotingOpen(facts, now);
	};
	return {
		now,
		challenge,
		voted: mine.map((v) => v.post_id),
		votable: challenge.entries.filter(votable).map((e) => e.id),
		signedIn: actor.kind === 'user',
		canEnter:
			actor.kind === 'anonymous'
				? challenge.state === 'open'
				: canEnterChallenge(actor, window, now),
		canManage: canManageChallenges(actor)
	};
}) satisfies PageServerLoad;

/** A visitor whose vote reaches the action signs in and comes back to the challenge. */
function requireMember(event: RequestEvent): UserActor {
	const { actor } = event.locals;
	if (actor.kind === 'anonymous') {
		redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
	}
	return actor;
}

/**
 * Votes on entries go through the idea voting code (castVote/removeVote), which refuses them
 * outside the challenge's window; this action only checks the idea is an entry of this challenge.
 */
async function vote(event: RequestEvent, cast: boolean) {
	const actor = requireMember(event);
	refuseIfSuspended(actor);
	const challengeId = challengeIdOf(event);
	const raw = String((await readForm(event.request)).get('idea') ?? '');
	const postId = /^\d{1,15}$/.test(raw) ? Number(raw) : null;
	const db = getDb();
	const entry =
		postId === null
			? undefined
			: await db
					.selectFrom('post')
					.select('id')
					.where('id', '=', postId)
					.where('challenge_id', '=', challengeId)
					.executeTakeFirst();
	if (!entry) {
		error(404, m.challenges_entry_not_found());
	}
	const result = cast
		? await castVote(db, actor, { postId: entry.id })
		: await removeVote(db, actor, { postId: entry.id });
	if (!result.ok) {
		if (result.reason === 'not_found' || result.reason === 'forbidden') {
			error(404, m.challenges_entry_not_found());
		}
		return fail(409, {
			voteError:
				result.reason === 'challenge_closed'
					? m.challenges_vote_refused()
					: m.challenges_vote_refused_idea(),
			idea: entry.id
		});
	}
	redirect(303, `${event.url.pathname}#entry-${entry.id}`);
}

export const actions = {
	vote: (event) => vote(event, true),
	unvote: (event) => vote(event, false)
} satisfies Actions;
