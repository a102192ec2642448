// Votes on ideas: one per member and idea, idempotent, with the idea's count and trending score
// updated in the same transaction, so the stored count always equals the rows.
import { sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { z } from 'zod';
import { IMPORTANCES, type Importance, type StatusCategory } from '$lib/domain/ideas';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { emitWebhookEvent } from '../webhooks';
import { ideaPayload } from '../webhooks/payloads';
import { autoFollow } from '../follows';
import { canSeeUnlisted, canVote, isVotingOpen, type Actor } from '../policy';
import type { ChallengeWindow } from '$lib/domain/challenges';
import { challengeWindow } from '../ideas/facts';

/**
 * Trending is Reddit's "hot" ranking: log10 of the votes plus the posting time in units of 12.5
 * hours, so an idea needs ten times the votes to rank level with one posted 12.5 hours later.
 * It changes only when votes do, so it is stored and indexed (docs/design.md, Trending).
 */
function hotScore(voteDelta: number) {
	return sql<number>`log(greatest(vote_count + ${voteDelta}, 1)) + (extract(epoch from created_at) - 1700000000) / 45000`;
}

async function adjustVoteCount(trx: Db, postId: number, delta: 1 | -1): Promise<void> {
	await trx
		.updateTable('post')
		.set({
			vote_count: sql`vote_count + ${delta}`,
			hot_score: hotScore(delta),
			last_activity_at: delta > 0 ? new Date() : sql`last_activity_at`
		})
		.where('id', '=', postId)
		.execute();
}

export interface VoteInput {
	postId: number;
	userId: number;
	/** `undefined` keeps an existing vote's importance; `null` clears it. */
	importance?: Importance | null;
	/** Staff recording a vote on a customer's behalf. */
	recordedById?: number | null;
}

/**
 * Adds the vote if the member has none on this idea (returns true), or updates its importance.
 * Must run inside a transaction; concurrent calls for one member add exactly one row.
 */
export async function addVote(trx: Db, input: VoteInput): Promise<boolean> {
	const inserted = await trx
		.insertInto('vote')
		.values({
			post_id: input.postId,
			user_id: input.userId,
			importance: input.importance ?? null,
			recorded_by_id: input.recordedById ?? null
		})
		.onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
		.returning('post_id')
		.executeTakeFirst();
	if (!inserted) {
		if (input.importance !== undefined) {
			await trx
				.updateTable('vote')
				.set({ importance: input.importance })
				.where('post_id', '=', input.postId)
				.where('user_id', '=', input.userId)
				.execute();
		}
		return false;
	}
	await adjustVoteCount(trx, input.postId, 1);
	return true;
}

/** Removes the member's vote if there is one (returns true). Must run inside a transaction. */
export async function dropVote(trx: Db, postId: number, userId: number): Promise<boolean> {
	const deleted = await trx
		.deleteFrom('vote')
		.where('post_id', '=', postId)
		.where('user_id', '=', userId)
		.returning('post_id')
		.executeTakeFirst();
	if (!deleted) {
		return false;
	}
	await adjustVoteCount(trx, postId, -1);
	return true;
}

interface VotingState {
	id: number;
	productId: number;
	deleted: boolean;
	merged: boolean;
	statusCategory: StatusCategory;
	/** Hidden or pending by moderation: only its author and moderators may see it. */
	unlisted: boolean;
	authorId: number;
	challenge: ChallengeWindow | null;
}

/**
 * Locks the idea's row, then reads whether it takes votes. The lock makes a vote wait for a
 * status change (or merge) in progress, so no vote lands on an idea that has just closed. It is
 * taken by a statement of its own: the facts are then read with a fresh snapshot, after any
 * such change committed.
 */
async function lockVotingState(trx: Db, postId: number): Promise<VotingState | undefined> {
	const locked = await trx
		.selectFrom('post')
		.select('id')
		.where('id', '=', postId)
		.where('kind', '=', 'idea')
		.forNoKeyUpdate()
		.executeTakeFirst();
	if (!locked) {
		return undefined;
	}
	const row = await trx
		.selectFrom('post')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.leftJoin('challenge', 'challenge.id', 'post.challenge_id')
		.select([
			'post.id',
			'post.product_id',
			'post.deleted_at',
			'post.merged_into_id',
			'post.visibility',
			'post.author_id',
			'idea_status.category',
			'challenge.starts_at as challenge_starts_at',
			'challenge.ends_at as challenge_ends_at'
		])
		.where('post.id', '=', postId)
		.executeTakeFirstOrThrow();
	return {
		id: row.id,
		productId: row.product_id!,
		deleted: row.deleted_at !== null,
		merged: row.merged_into_id !== null,
		statusCategory: row.category,
		unlisted: row.visibility !== 'visible',
		authorId: row.author_id,
		challenge: challengeWindow(row.challenge_starts_at, row.challenge_ends_at)
	};
}

/**
 * `challenge_closed`: the idea is a challenge entry and the challenge is not open (not started,
 * or ended), so its votes stay as they are; `closed`: the idea itself takes no votes.
 */
export type VoteResult =
	| { ok: true; changed: boolean }
	| { ok: false; reason: 'not_found' | 'closed' | 'challenge_closed' | 'forbidden' };

/** Why a vote was refused: the challenge's window, or the idea's own state. */
function closedReason(idea: VotingState): 'closed' | 'challenge_closed' {
	return idea.challenge !== null && isVotingOpen({ ...idea, challenge: null })
		? 'challenge_closed'
		: 'closed';
}

/**
 * A member votes for an idea, or changes the importance of the vote they have (`changed` is
 * false then: the count and the ledger stay as they are). Voting follows the idea, unless the
 * member unfollowed it before.
 */
export async function castVote(
	db: Db,
	actor: Actor,
	input: { postId: number; importance?: Importance | null }
): Promise<VoteResult> {
	if (actor.kind !== 'user') {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<VoteResult> => {
		const idea = await lockVotingState(trx, input.postId);
		if (!idea || idea.deleted || (idea.unlisted && !canSeeUnlisted(actor, idea))) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canVote(actor, idea)) {
			return { ok: false, reason: closedReason(idea) };
		}
		const changed = await addVote(trx, {
			postId: idea.id,
			userId: actor.id,
			importance: input.importance
		});
		if (changed) {
			await autoFollow(trx, actor.id, idea.id);
			await recordActivity(trx, {
				userId: actor.id,
				kind: 'vote_cast',
				postId: idea.id,
				productId: idea.productId,
				data: { importance: input.importance ?? null }
			});
			await emitWebhookEvent(trx, 'vote.created', async () => {
				const ideaNow = await ideaPayload(trx, idea.id);
				return (
					ideaNow && {
						idea: ideaNow,
						voter: { id: actor.id, handle: actor.handle, display_name: actor.displayName },
						importance: input.importance ?? null
					}
				);
			});
		}
		return { ok: true, changed };
	});
}

/** A member takes their vote back. Closed ideas keep their votes. */
export async function removeVote(
	db: Db,
	actor: Actor,
	input: { postId: number }
): Promise<VoteResult> {
	if (actor.kind !== 'user') {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<VoteResult> => {
		const idea = await lockVotingState(trx, input.postId);
		if (!idea || idea.deleted || (idea.unlisted && !canSeeUnlisted(actor, idea))) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canVote(actor, idea)) {
			return { ok: false, reason: closedReason(idea) };
		}
		const changed = await dropVote(trx, idea.id, actor.id);
		if (changed) {
			await recordActivity(trx, {
				userId: actor.id,
				kind: 'vote_removed',
				postId: idea.id,
				productId: idea.productId
			});
		}
		return { ok: true, changed };
	});
}

/** A member's own vote on an idea, if they have one. */
export async function findVote(
	db: Db,
	postId: number,
	userId: number
): Promise<{ importance: Importance | null } | undefined> {
	return db
		.selectFrom('vote')
		.select('importance')
		.where('post_id', '=', postId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
}

export interface Voter {
	handle: string;
	displayName: string;
}

/** What the idea page's voting panel shows: the viewer's vote and following, and the voters. */
export interface VotingPanelState {
	mine: { importance: Importance | null } | undefined;
	following: boolean;
	voters: Voter[];
	total: number;
}

/**
 * `findVote`, `isFollowing` and `listVoters` in one statement (the idea page is read far more than
 * anything else). `viewerId` null: a visitor, who has no vote and follows nothing.
 */
export async function votingPanelState(
	db: Db,
	postId: number,
	viewerId: number | null,
	limit: number
): Promise<VotingPanelState> {
	const viewer = viewerId ?? 0; // no account has id 0
	const row = await db
		.selectFrom('post')
		.select((eb) => [
			'post.vote_count as total',
			jsonArrayFrom(
				eb
					.selectFrom('vote')
					.innerJoin('app_user', 'app_user.id', 'vote.user_id')
					.select(['app_user.handle', 'app_user.display_name as displayName'])
					.whereRef('vote.post_id', '=', 'post.id')
					.orderBy('vote.created_at', 'desc')
					.orderBy('vote.user_id', 'desc')
					.limit(limit)
			).as('voters'),
			jsonObjectFrom(
				eb
					.selectFrom('vote')
					.select('vote.importance')
					.whereRef('vote.post_id', '=', 'post.id')
					.where('vote.user_id', '=', viewer)
			).as('mine'),
			eb
				.selectFrom('subscription')
				.select('subscription.following')
				.whereRef('subscription.post_id', '=', 'post.id')
				.where('subscription.user_id', '=', viewer)
				.as('following')
		])
		.where('post.id', '=', postId)
		.executeTakeFirst();
	const voters = row?.voters ?? [];
	return {
		mine: row?.mine ?? undefined,
		following: row?.following ?? false,
		voters,
		// As listVoters: the stored count equals the rows, read in the same statement as them.
		total: voters.length > 0 ? (row?.total ?? 0) : 0
	};
}

/**
 * The idea's most recent voters (up to `limit`) and how many voted in all, in one query. A vote
 * staff recorded for a customer counts as the customer's, like any other.
 */
export async function listVoters(
	db: Db,
	postId: number,
	limit: number
): Promise<{ voters: Voter[]; total: number }> {
	const rows = await db
		.selectFrom('vote')
		.innerJoin('app_user', 'app_user.id', 'vote.user_id')
		.innerJoin('post', 'post.id', 'vote.post_id')
		.select([
			'app_user.handle',
			'app_user.display_name as displayName',
			// The stored count equals the rows, and is read in the same statement as them.
			'post.vote_count as total'
		])
		.where('vote.post_id', '=', postId)
		.orderBy('vote.created_at', 'desc')
		.orderBy('vote.user_id', 'desc')
		.limit(limit)
		.execute();
	return {
		voters: rows.map(({ handle, displayName }) => ({ handle, displayName })),
		total: rows[0]?.total ?? 0
	};
}

/**
 * The vote form: an importance, or '' for none. Leaving the field out keeps the importance a
 * vote already has.
 */
export const voteSchema = z.object({
	importance: z
		.union([z.literal('').transform(() => null), z.enum(IMPORTANCES)], {
			error: () => m.ideas_vote_choose_importance()
		})
		.optional()
});
export const VOTE_FIELDS = ['importance'] as const;
