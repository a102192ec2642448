// Outcome counts per member, from the activity ledger: the one query that advocacy scores,
// points, badges and the leaderboard all read, so they can never disagree.
import { sql, type RawBuilder } from 'kysely';
import {
	ADVOCACY_WEIGHTS,
	POINT_RULES,
	type OutcomeCounts,
	type OutcomeKey
} from '$lib/domain/advocacy';
import type { Db } from '../db';

/** Ledger kinds that record an outcome for `activity.user_id`. */
export const OUTCOME_KINDS = [
	'idea_shipped',
	'helpful_received',
	'helpful_withdrawn',
	'answer_accepted',
	'referral_joined',
	'challenge_won'
] as const;

export interface OutcomeWindow {
	/** Outcomes recorded at or after this moment. */
	from?: Date;
	/** Outcomes recorded before this moment. */
	to?: Date;
	userIds?: readonly number[];
}

/**
 * One row per member with any outcome in the window: `ideas_shipped` (distinct ideas),
 * `helpful_net` (received − withdrawn, may be negative within a window), `accepted_answers`
 * (replies that are today the accepted answer: a re-accepted thread leaves its old ledger row,
 * so the join on `discussion.accepted_comment_id` is what counts), `referrals` (distinct people),
 * `challenges_won` (distinct winning entries).
 */
export function outcomesByUser(db: Db, window: OutcomeWindow = {}) {
	let query = db
		.selectFrom('activity as a')
		.leftJoin('discussion as d', (join) =>
			join.onRef('d.post_id', '=', 'a.post_id').on('a.kind', '=', 'answer_accepted')
		)
		.select([
			sql<number>`a.user_id`.as('user_id'),
			sql<number>`(count(distinct a.post_id) filter (where a.kind = 'idea_shipped'))::int`.as(
				'ideas_shipped'
			),
			sql<number>`((count(*) filter (where a.kind = 'helpful_received')) - (count(*) filter (where a.kind = 'helpful_withdrawn')))::int`.as(
				'helpful_net'
			),
			sql<number>`(count(distinct a.comment_id) filter (where a.kind = 'answer_accepted' and d.accepted_comment_id = a.comment_id))::int`.as(
				'accepted_answers'
			),
			sql<number>`(count(distinct a.data ->> 'referredUserId') filter (where a.kind = 'referral_joined'))::int`.as(
				'referrals'
			),
			sql<number>`(count(distinct a.post_id) filter (where a.kind = 'challenge_won'))::int`.as(
				'challenges_won'
			)
		])
		.where('a.kind', 'in', OUTCOME_KINDS)
		.where('a.user_id', 'is not', null)
		.groupBy('a.user_id');
	if (window.from) {
		query = query.where('a.created_at', '>=', window.from);
	}
	if (window.to) {
		query = query.where('a.created_at', '<', window.to);
	}
	if (window.userIds) {
		query = query.where('a.user_id', 'in', window.userIds.length ? window.userIds : [-1]);
	}
	return query;
}

export const NO_OUTCOMES: Readonly<OutcomeCounts> = Object.freeze({
	ideasShipped: 0,
	helpfulVotes: 0,
	acceptedAnswers: 0,
	referrals: 0,
	challengesWon: 0
});

interface OutcomeRow {
	ideas_shipped: number | null;
	helpful_net: number | null;
	accepted_answers: number | null;
	referrals: number | null;
	challenges_won: number | null;
}

export function toOutcomeCounts(row: OutcomeRow | null | undefined): OutcomeCounts {
	if (!row) {
		return { ...NO_OUTCOMES };
	}
	return {
		ideasShipped: row.ideas_shipped ?? 0,
		helpfulVotes: Math.max(0, row.helpful_net ?? 0),
		acceptedAnswers: row.accepted_answers ?? 0,
		referrals: row.referrals ?? 0,
		challengesWon: row.challenges_won ?? 0
	};
}

/** Outcome counts for the given members (absent members had none). */
export async function outcomeCounts(
	db: Db,
	window: OutcomeWindow & { userIds: readonly number[] }
): Promise<Map<number, OutcomeCounts>> {
	const rows = await outcomesByUser(db, window).execute();
	const counts = new Map(window.userIds.map((id) => [id, { ...NO_OUTCOMES }]));
	for (const row of rows) {
		counts.set(Number(row.user_id), toOutcomeCounts(row));
	}
	return counts;
}

const COLUMNS: Record<OutcomeKey, RawBuilder<number>> = {
	ideasShipped: sql`coalesce(o.ideas_shipped, 0)`,
	helpfulVotes: sql`greatest(coalesce(o.helpful_net, 0), 0)`,
	acceptedAnswers: sql`coalesce(o.accepted_answers, 0)`,
	referrals: sql`coalesce(o.referrals, 0)`,
	challengesWon: sql`coalesce(o.challenges_won, 0)`
};

function weightedSum(weights: Record<OutcomeKey, number>): RawBuilder<number> {
	const terms = (Object.keys(COLUMNS) as OutcomeKey[]).map(
		(key) => sql`${COLUMNS[key]} * ${sql.lit(weights[key])}`
	);
	return sql<number>`(${sql.join(terms, sql` + `)})`;
}

/**
 * The points of a member as SQL over an `outcomesByUser` subquery aliased `o`; the same
 * arithmetic as `pointsFor` (the integration tests hold the two together).
 */
export function pointsSql(): RawBuilder<number> {
	return sql<number>`${weightedSum(POINT_RULES)}::int`;
}

/**
 * The advocacy score as SQL over `o` and a latest-NPS row aliased `nps` (column `score`); the
 * same arithmetic as `advocacyScore`.
 */
export function advocacySql(): RawBuilder<number> {
	return sql<number>`(${weightedSum(ADVOCACY_WEIGHTS)} + case when nps.score >= 9 then ${sql.lit(ADVOCACY_WEIGHTS.promoter)} else 0 end)::int`;
}
