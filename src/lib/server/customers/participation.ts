// A customer's participation from the activity ledger (docs/metrics.md, "Participation"): what
// they did, the outcomes it had, how often they were active, and their activity per week.
import { sql } from 'kysely';
import type { Db } from '../db';

/**
 * Ledger kinds that are acts of the member themself. Outcomes credited to them (a helpful vote
 * received, an idea shipped, a referral joining, an answer accepted by the asker) are not.
 */
export const ACT_KINDS = [
	'idea_posted',
	'vote_cast',
	'vote_removed',
	'comment_posted',
	'review_posted',
	'review_updated',
	'thread_posted',
	'reply_posted',
	'poll_voted',
	'like_given',
	'like_removed',
	'flag_raised',
	'survey_answered'
] as const;

export interface Participation {
	ideas: number;
	/** Votes cast minus votes taken back, on ideas (including votes staff recorded for them). */
	votes: number;
	comments: number;
	reviews: number;
	discussions: number;
	replies: number;
	helpfulReceived: number;
	acceptedAnswers: number;
	ideasShipped: number;
	activeDays30: number;
	activeDays90: number;
	lastActiveAt: Date | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An act the member did themself: a vote staff recorded on their behalf is not their activity. */
const ownAct = sql<boolean>`a.kind in (${sql.join(ACT_KINDS.map((k) => sql.lit(k)))}) and (a.data ->> 'recordedById') is null`;

export async function participationOf(
	db: Db,
	userId: number,
	now = new Date()
): Promise<Participation> {
	const since30 = new Date(now.getTime() - 30 * DAY_MS);
	const since90 = new Date(now.getTime() - 90 * DAY_MS);
	const row = await db
		.selectFrom('activity as a')
		.leftJoin('discussion as d', (join) =>
			join.onRef('d.post_id', '=', 'a.post_id').on('a.kind', '=', 'answer_accepted')
		)
		.select([
			sql<number>`(count(*) filter (where a.kind = 'idea_posted'))::int`.as('ideas'),
			sql<number>`((count(*) filter (where a.kind = 'vote_cast')) - (count(*) filter (where a.kind = 'vote_removed')))::int`.as(
				'votes'
			),
			sql<number>`(count(*) filter (where a.kind = 'comment_posted'))::int`.as('comments'),
			sql<number>`(count(*) filter (where a.kind = 'review_posted'))::int`.as('reviews'),
			sql<number>`(count(*) filter (where a.kind = 'thread_posted'))::int`.as('discussions'),
			sql<number>`(count(*) filter (where a.kind = 'reply_posted'))::int`.as('replies'),
			sql<number>`((count(*) filter (where a.kind = 'helpful_received')) - (count(*) filter (where a.kind = 'helpful_withdrawn')))::int`.as(
				'helpful'
			),
			sql<number>`(count(distinct a.comment_id) filter (where a.kind = 'answer_accepted' and d.accepted_comment_id = a.comment_id))::int`.as(
				'accepted'
			),
			sql<number>`(count(distinct a.post_id) filter (where a.kind = 'idea_shipped'))::int`.as(
				'shipped'
			),
			sql<number>`(count(distinct (a.created_at at time zone 'UTC')::date) filter (where ${ownAct} and a.created_at >= ${since30}))::int`.as(
				'active30'
			),
			sql<number>`(count(distinct (a.created_at at time zone 'UTC')::date) filter (where ${ownAct} and a.created_at >= ${since90}))::int`.as(
				'active90'
			),
			sql<Date | null>`max(a.created_at) filter (where ${ownAct})`.as('last_active')
		])
		.where('a.user_id', '=', userId)
		.executeTakeFirstOrThrow();
	return {
		ideas: row.ideas,
		votes: Math.max(0, row.votes),
		comments: row.comments,
		reviews: row.reviews,
		discussions: row.discussions,
		replies: row.replies,
		helpfulReceived: Math.max(0, row.helpful),
		acceptedAnswers: row.accepted,
		ideasShipped: row.shipped,
		activeDays30: row.active30,
		activeDays90: row.active90,
		lastActiveAt: row.last_active ? new Date(row.last_active) : null
	};
}

export interface WeekCount {
	/** Monday 00:00 UTC of the week. */
	weekStart: Date;
	acts: number;
}

/** Monday 00:00 UTC of the week `at` falls in (ISO weeks, as Postgres `date_trunc('week')`). */
export function weekStartOf(at: Date): Date {
	const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
	const sinceMonday = (day.getUTCDay() + 6) % 7;
	return new Date(day.getTime() - sinceMonday * DAY_MS);
}

/** The member's own acts per week for the last `weeks` weeks (this week last), zeros included. */
export async function activityPerWeek(
	db: Db,
	userId: number,
	options: { weeks?: number; now?: Date } = {}
): Promise<WeekCount[]> {
	const weeks = options.weeks ?? 26;
	const thisWeek = weekStartOf(options.now ?? new Date());
	const first = new Date(thisWeek.getTime() - (weeks - 1) * 7 * DAY_MS);
	const rows = await db
		.selectFrom('activity as a')
		.select([
			sql<string>`to_char(date_trunc('week', a.created_at at time zone 'UTC'), 'YYYY-MM-DD')`.as(
				'week'
			),
			sql<number>`count(*)::int`.as('acts')
		])
		.where('a.user_id', '=', userId)
		.where('a.created_at', '>=', first)
		.where(ownAct)
		.groupBy(sql`1`)
		.execute();
	const byWeek = new Map(rows.map((r) => [r.week, r.acts]));
	return Array.from({ length: weeks }, (_, i) => {
		const weekStart = new Date(first.getTime() + i * 7 * DAY_MS);
		return { weekStart, acts: byWeek.get(weekStart.toISOString().slice(0, 10)) ?? 0 };
	});
}
