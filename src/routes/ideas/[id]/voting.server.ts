// The idea page's voting and following: what it shows, and its vote/unvote/follow/unfollow actions.
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Importance } from '$lib/domain/ideas';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db/app';
import { followPost } from '$lib/server/follows';
import type { IdeaRecord } from '$lib/server/ideas/facts';
import { parseIdeaId } from '$lib/server/ideas';
import { parseForm, readForm } from '$lib/server/forms';
import { canFollow, canVote, isVotingOpen, type UserActor } from '$lib/server/policy';
import { refuseIfSuspended } from '$lib/server/moderation/web';
import {
	VOTE_FIELDS,
	castVote,
	removeVote,
	votingPanelState,
	voteSchema,
	type Voter
} from '$lib/server/votes';

/** How many voters the page names before "and N others". */
export const VOTERS_SHOWN = 5;

export interface VotingData {
	voted: boolean;
	/** The viewer's importance on their vote (null: none given, or no vote). */
	importance: Importance | null;
	open: boolean;
	canVote: boolean;
	following: boolean;
	canFollow: boolean;
	/** The most recent voters, newest first. */
	voters: Voter[];
	voterTotal: number;
}

export async function loadVoting(event: RequestEvent, idea: IdeaRecord): Promise<VotingData> {
	const { actor } = event.locals;
	const db = getDb();
	const { mine, following, voters, total } = await votingPanelState(
		db,
		idea.id,
		actor.kind === 'user' ? actor.id : null,
		VOTERS_SHOWN
	);
	return {
		voted: mine !== undefined,
		importance: mine?.importance ?? null,
		open: isVotingOpen(idea),
		// Visitors see the button too: using it takes them to sign in and back.
		canVote: actor.kind === 'anonymous' ? isVotingOpen(idea) : canVote(actor, idea),
		following,
		canFollow: canFollow(actor),
		voters,
		voterTotal: total
	};
}

/**
 * A visitor whose form reaches an action (a stale page, or a session that ended) signs in and
 * comes back to the idea itself, not to the action's address.
 */
function requireMember(event: RequestEvent): UserActor {
	const { actor } = event.locals;
	if (actor.kind === 'anonymous') {
		redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
	}
	return actor;
}

function ideaIdOf(event: RequestEvent): number {
	const id = parseIdeaId(event.params.id ?? '');
	if (id === null) {
		error(404, m.ideas_no_such_idea());
	}
	return id;
}

/** The refusal in English (tests compare with it); the action answers in the reader's language. */
export const VOTING_CLOSED_MESSAGE = m.ideas_vote_closed_message({}, { locale: 'en' });

async function vote(event: RequestEvent, cast: boolean) {
	const actor = requireMember(event);
	refuseIfSuspended(actor);
	const postId = ideaIdOf(event);
	let importance: Importance | null | undefined;
	if (cast) {
		const parsed = parseForm(await readForm(event.request), voteSchema, VOTE_FIELDS);
		if (!parsed.ok) {
			return fail(400, { voteError: parsed.errors.importance ?? m.ideas_vote_unreadable() });
		}
		importance = parsed.data.importance;
	}
	const result = cast
		? await castVote(getDb(), actor, { postId, importance })
		: await removeVote(getDb(), actor, { postId });
	if (!result.ok) {
		if (result.reason === 'not_found') {
			error(404, m.ideas_no_such_idea());
		}
		return fail(409, {
			voteError:
				result.reason === 'challenge_closed'
					? m.challenges_vote_refused()
					: m.ideas_vote_closed_message()
		});
	}
	// Back to the idea (a reload then does not post again); the enhanced form refreshes in place.
	redirect(303, event.url.pathname);
}

async function follow(event: RequestEvent, following: boolean) {
	const actor = requireMember(event);
	const result = await followPost(getDb(), actor, ideaIdOf(event), following);
	if (!result.ok) {
		error(404, m.ideas_no_such_idea());
	}
	// Without JavaScript the page reloads: bring the button back into view.
	redirect(303, `${event.url.pathname}#follow`);
}

export const votingActions = {
	vote: (event: RequestEvent) => vote(event, true),
	unvote: (event: RequestEvent) => vote(event, false),
	follow: (event: RequestEvent) => follow(event, true),
	unfollow: (event: RequestEvent) => follow(event, false)
};
