// Points and badges (public): derived from the outcomes in the activity ledger, never kept in a
// counter (docs/metrics.md, "Points and badges"). Points reward what participation achieved.
import { sql } from 'kysely';
import {
	badgesFor,
	pointsFor,
	rankByPoints,
	type BadgeRule,
	type OutcomeCounts,
	type Score
} from '$lib/domain/advocacy';
import type { Db } from '../db';
import { outcomeCounts, outcomesByUser, pointsSql } from './outcomes';
import { CUSTOMER_ROLES } from './advocacy';
import { canAppearOnLeaderboard } from '../policy';

export interface MemberPoints {
	allTime: Score;
	thisMonth: Score;
	counts: OutcomeCounts;
	badges: BadgeRule[];
}

/** The first moment of the calendar month (UTC) that `now` falls in. */
export function monthStart(now = new Date()): Date {
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** A member's points (all time and this month) and the badges their all-time outcomes earned. */
export async function memberPoints(
	db: Db,
	userId: number,
	now = new Date()
): Promise<MemberPoints> {
	const [allTime, month] = await Promise.all([
		outcomeCounts(db, { userIds: [userId] }),
		outcomeCounts(db, { userIds: [userId], from: monthStart(now) })
	]);
	return pointsFromCounts(allTime.get(userId)!, month.get(userId)!);
}

/** A member's points and badges from their outcome counts (all time and this month). */
export function pointsFromCounts(counts: OutcomeCounts, thisMonth: OutcomeCounts): MemberPoints {
	return {
		allTime: pointsFor(counts),
		thisMonth: pointsFor(thisMonth),
		counts,
		badges: badgesFor(counts)
	};
}

export const LEADERBOARD_PERIODS = ['month', 'all'] as const;
export type LeaderboardPeriod = (typeof LEADERBOARD_PERIODS)[number];
export const LEADERBOARD_SIZE = 25;

export interface LeaderboardRow {
	rank: number;
	handle: string;
	displayName: string;
	points: number;
}

/**
 * The top members by points in the period (this calendar month, UTC, or all time). Members who
 * opted out and staff never appear; equal points share a rank (1, 2, 2, 4).
 */
export async function leaderboard(
	db: Db,
	options: { period: LeaderboardPeriod; limit?: number; now?: Date }
): Promise<LeaderboardRow[]> {
	const from = options.period === 'month' ? monthStart(options.now) : undefined;
	const rows = await db
		.selectFrom(outcomesByUser(db, { from }).as('o'))
		.innerJoin('app_user as u', 'u.id', 'o.user_id')
		.select([
			'u.handle',
			'u.display_name',
			'u.role',
			'u.leaderboard_opt_out',
			pointsSql().as('points')
		])
		.where('u.role', 'in', CUSTOMER_ROLES)
		.where('u.leaderboard_opt_out', '=', false)
		.where(pointsSql(), '>', 0)
		.orderBy('points', 'desc')
		.orderBy(sql`lower(u.handle)`)
		.limit(options.limit ?? LEADERBOARD_SIZE)
		.execute();
	// The SQL narrows for speed; the policy rule is what decides who may be listed.
	const listed = rows.filter((r) =>
		canAppearOnLeaderboard({ role: r.role, optedOut: r.leaderboard_opt_out })
	);
	return rankByPoints(listed).map(({ rank, row }) => ({
		rank,
		handle: row.handle,
		displayName: row.display_name,
		points: row.points
	}));
}

/** Keeps a member off (or puts them back on) the public leaderboard. */
export async function setLeaderboardOptOut(db: Db, userId: number, optOut: boolean): Promise<void> {
	await db
		.updateTable('app_user')
		.set({ leaderboard_opt_out: optOut })
		.where('id', '=', userId)
		.execute();
}

export async function isLeaderboardOptOut(db: Db, userId: number): Promise<boolean> {
	const row = await db
		.selectFrom('app_user')
		.select('leaderboard_opt_out')
		.where('id', '=', userId)
		.executeTakeFirstOrThrow();
	return row.leaderboard_opt_out;
}
