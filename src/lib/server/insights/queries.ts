// The insights dashboard's figures (docs/metrics.md), one function per section. Each takes a
// date range and returns one row per period (weeks or months, UTC, empty ones included), so the
// chart, the table and the CSV show the same numbers. Community figures read the weekly roll-ups
// (migration 2026-11-23T1300_insights); the others read indexed date ranges of small tables.
import { m } from '$lib/paraglide/messages';
import { sql } from 'kysely';
import {
	fillPeriods,
	granularityFor,
	median,
	percent,
	periodsOf,
	rangeBounds,
	type DateRange,
	type Granularity,
	type Period
} from '$lib/domain/insights';
import { csatOf, npsOf, type CsatSummary, type NpsSummary } from '$lib/domain/surveys';
import { tierFor, type Tier, type TierThresholds } from '$lib/domain/tiers';
import type { Db } from '../db';

/** The product team: their own acts and ideas are left out of the community's figures. */
const TEAM_ROLES = ['staff', 'admin'] as const;

/** An idea without a first staff response for longer than this marks its author at risk. */
export const WAITING_IDEA_DAYS = 30;

/** The team's account ids: a handful, read through a partial index (never a scan of members). */
async function teamIds(db: Db): Promise<number[]> {
	const rows = await db
		.selectFrom('app_user')
		.select('id')
		.where('role', 'in', TEAM_ROLES)
		.execute();
	return rows.map((row) => row.id);
}

function bucket(column: string, granularity: Granularity) {
	return sql<string>`date_trunc(${sql.lit(granularity)}, ${sql.ref(column)} at time zone 'UTC')::date`;
}

// ---------------------------------------------------------------------------------------------
// Community health: weekly active contributors, new vs returning.

export interface ContributorWeek {
	period: Period;
	contributors: number;
	newContributors: number;
	returningContributors: number;
}

/**
 * Per week overlapping the range (whole weeks: the roll-up counts Monday to Sunday): members
 * with at least one participation act, split into those whose first act ever fell in that week
 * and those who had taken part before. The product team is subtracted.
 */
export async function contributorsByWeek(db: Db, range: DateRange): Promise<ContributorWeek[]> {
	const weeks = periodsOf(range, 'week');
	const first = weeks[0]!.key;
	const last = weeks[weeks.length - 1]!.key;
	const [all, team] = await Promise.all([
		db
			.selectFrom('contributor_week')
			.select(['week', 'contributors', 'new_contributors'])
			.where('week', '>=', first)
			.where('week', '<=', last)
			.execute(),
		db
			.selectFrom('app_user as u')
			.innerJoin('activity_user_week as w', 'w.user_id', 'u.id')
			.leftJoin('contributor_first_week as f', (join) =>
				join.onRef('f.user_id', '=', 'u.id').onRef('f.week', '=', 'w.week')
			)
			.select([
				'w.week',
				sql<number>`count(*)`.as('contributors'),
				sql<number>`count(f.user_id)`.as('new_contributors')
			])
			.where('u.role', 'in', TEAM_ROLES)
			.where('w.week', '>=', first)
			.where('w.week', '<=', last)
			.groupBy('w.week')
			.execute()
	]);
	const teamByWeek = new Map(team.map((row) => [row.week, row]));
	const byWeek = new Map(
		all.map((row) => {
			const staff = teamByWeek.get(row.week);
			const contributors = row.contributors - (staff?.contributors ?? 0);
			const newContributors = row.new_contributors - (staff?.new_contributors ?? 0);
			return [
				row.week,
				{
					contributors,
					newContributors,
					returningContributors: contributors - newContributors
				}
			];
		})
	);
	return fillPeriods(weeks, byWeek, () => ({
		contributors: 0,
		newContributors: 0,
		returningContributors: 0
	}));
}

// ---------------------------------------------------------------------------------------------
// NPS and CSAT over time.

export interface SurveyPeriod {
	period: Period;
	nps: NpsSummary;
	csat: CsatSummary;
}

/** Scores from a histogram: `npsOf` and `csatOf` take one score per answer. */
function expand(rows: readonly { score: number; answers: number }[]): number[] {
	return rows.flatMap((row) => Array<number>(row.answers).fill(row.score));
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
	const groups = new Map<K, T[]>();
	for (const row of rows) {
		const k = key(row);
		const group = groups.get(k);
		if (group) {
			group.push(row);
		} else {
			groups.set(k, [row]);
		}
	}
	return groups;
}

/**
 * NPS per period over each member's latest answer in that period (as `latestNpsScores` does for
 * one window), CSAT over every answer. Counted in SQL as a histogram of scores, so a year of
 * answers comes back as at most 11 rows per period.
 */
export async function surveysByPeriod(
	db: Db,
	range: DateRange,
	granularity = granularityFor(range)
): Promise<{ periods: SurveyPeriod[]; overall: { nps: NpsSummary; csat: CsatSummary } }> {
	const { start, end } = rangeBounds(range);
	const periodOf = bucket('s.created_at', granularity);
	const [nps, csat] = await Promise.all([
		// Each member's latest answer per period; the latest of those is their latest in the
		// whole range, so one scan gives both the per-period and the overall histogram.
		sql<{ period: string; score: number; answers: number; overall: number }>`
			select period, score, count(*)::int as answers,
				(count(*) filter (where period = last_period))::int as overall
			from (
				select latest.*, max(latest.period) over (partition by latest.user_id) as last_period
				from (
					select distinct on (s.user_id, ${periodOf}) s.user_id, s.score, ${periodOf} as period
					from survey_response s
					where s.kind = 'nps' and s.created_at >= ${start} and s.created_at < ${end}
					order by s.user_id, ${periodOf}, s.created_at desc, s.id desc
				) latest
			) ranked
			group by period, score`
			.execute(db)
			.then((result) => result.rows),
		db
			.selectFrom('survey_response as s')
			.select([
				bucket('s.created_at', granularity).as('period'),
				's.score',
				sql<number>`count(*)`.as('answers')
			])
			.where('s.kind', '=', 'csat')
			.where('s.created_at', '>=', start)
			.where('s.created_at', '<', end)
			.groupBy([sql`1`, 's.score'])
			.execute()
	]);
	const npsByPeriod = groupBy(nps, (row) => row.period);
	const csatByPeriod = groupBy(csat, (row) => row.period);
	const periods = periodsOf(range, granularity).map((period) => ({
		period,
		nps: npsOf(expand(npsByPeriod.get(period.key) ?? [])),
		csat: csatOf(expand(csatByPeriod.get(period.key) ?? []))
	}));
	return {
		periods,
		overall: {
			nps: npsOf(expand(nps.map((row) => ({ score: row.score, answers: row.overall })))),
			csat: csatOf(expand(csat))
		}
	};
}

// ---------------------------------------------------------------------------------------------
// Responsiveness: time to first staff response.

export interface ResponsePeriod {
	period: Period;
	/** Customers' ideas posted in the period. */
	ideas: number;
	answered: number;
	/** Still without a staff response. */
	waiting: number;
	/** Median hours from posting to the first staff response, over the answered ones. */
	medianHours: number | null;
}

/**
 * Per period of posting: customers' ideas, how many staff have answered (status change or
 * official comment, `idea_first_response`), and the median time it took. Ideas still waiting
 * are counted, not left out silently: a fast median over few answers is not a good sign.
 */
export async function firstResponseByPeriod(
	db: Db,
	range: DateRange,
	granularity = granularityFor(range)
): Promise<ResponsePeriod[]> {
	const { start, end } = rangeBounds(range);
	const team = await teamIds(db);
	const rows = await db
		.selectFrom('post as p')
		.leftJoin('idea_first_response as r', 'r.post_id', 'p.id')
		.select([
			bucket('p.created_at', granularity).as('period'),
			sql<number | null>`extract(epoch from r.responded_at - p.created_at) / 3600.0`.as('hours')
		])
		.where('p.kind', '=', 'idea')
		.where('p.deleted_at', 'is', null)
		.where(sql<boolean>`p.author_id <> all(${sql.val(team)}::bigint[])`)
		.where('p.created_at', '>=', start)
		.where('p.created_at', '<', end)
		.execute();
	const byPeriod = new Map(
		[...groupBy(rows, (row) => row.period)].map(([key, group]) => {
			const hours = group.flatMap((row) => (row.hours === null ? [] : [Number(row.hours)]));
			return [
				key,
				{
					ideas: group.length,
					answered: hours.length,
					waiting: group.length - hours.length,
					medianHours: median(hours)
				}
			];
		})
	);
	return fillPeriods(periodsOf(range, granularity), byPeriod, () => ({
		ideas: 0,
		answered: 0,
		waiting: 0,
		medianHours: null
	}));
}

// ---------------------------------------------------------------------------------------------
// Loop closure: voters told when the idea they voted for shipped.

export interface ClosurePeriod {
	period: Period;
	/** Ideas that shipped in the period. */
	ideas: number;
	voters: number;
	notified: number;
	/** notified / voters, in percent; null when nothing shipped. */
	rate: number | null;
}

/**
 * Per period in which ideas shipped: of their voters at ship time (`ship_notice`, written once
 * per idea when it first ships), how many got the notification. The staff member who shipped
 * the idea is not counted as a voter to tell: they are never notified of their own act.
 */
export async function loopClosureByPeriod(
	db: Db,
	range: DateRange,
	granularity = granularityFor(range)
): Promise<ClosurePeriod[]> {
	const { start, end } = rangeBounds(range);
	const rows = await db
		.selectFrom('ship_notice as n')
		.leftJoin('status_change as sc', 'sc.id', 'n.status_change_id')
		.select([
			bucket('n.created_at', granularity).as('period'),
			sql<number>`count(distinct n.post_id)`.as('ideas'),
			sql<number>`count(*)`.as('voters'),
			sql<number>`count(*) filter (where n.notified)`.as('notified')
		])
		.where('n.created_at', '>=', start)
		.where('n.created_at', '<', end)
		.where((eb) =>
			eb.or([eb('sc.changed_by_id', 'is', null), eb('sc.changed_by_id', '!=', eb.ref('n.user_id'))])
		)
		.groupBy(sql`1`)
		.execute();
	const byPeriod = new Map(rows.map((row) => [row.period, closure(row)]));
	return fillPeriods(periodsOf(range, granularity), byPeriod, () => closure());
}

export function closure(
	counts: { ideas: number; voters: number; notified: number } = {
		ideas: 0,
		voters: 0,
		notified: 0
	}
): Omit<ClosurePeriod, 'period'> {
	return {
		ideas: counts.ideas,
		voters: counts.voters,
		notified: counts.notified,
		rate: percent(counts.notified, counts.voters)
	};
}

// ---------------------------------------------------------------------------------------------
// Ratings per product over time.

export interface ProductRatings {
	productId: number;
	name: string;
	slug: string;
	/** Average over the range's reviews (null: none) and their count. */
	average: number | null;
	count: number;
	periods: { period: Period; average: number | null; count: number }[];
}

/**
 * Per product and period: the reviews written in it (visible, not deleted: what the product page
 * averages) with their average rating, each at its current value.
 */
export async function ratingsByPeriod(
	db: Db,
	range: DateRange,
	granularity = granularityFor(range)
): Promise<ProductRatings[]> {
	const { start, end } = rangeBounds(range);
	const [products, rows] = await Promise.all([
		db
			.selectFrom('product')
			.select(['id', 'name', 'slug'])
			.where('archived_at', 'is', null)
			.orderBy('name')
			.execute(),
		db
			.selectFrom('post as p')
			.innerJoin('review as r', 'r.post_id', 'p.id')
			.select([
				'p.product_id',
				bucket('p.created_at', granularity).as('period'),
				sql<number>`count(*)`.as('count'),
				sql<number>`sum(r.rating)`.as('total')
			])
			.where('p.kind', '=', 'review')
			.where('p.deleted_at', 'is', null)
			.where('p.visibility', '=', 'visible')
			.where('p.created_at', '>=', start)
			.where('p.created_at', '<', end)
			.groupBy(['p.product_id', sql`2`])
			.execute()
	]);
	const periods = periodsOf(range, granularity);
	const byProduct = groupBy(rows, (row) => row.product_id);
	// Archived products appear only if they were reviewed in the range.
	const reviewedArchived = [...byProduct.keys()].filter(
		(id) => id !== null && !products.some((product) => product.id === id)
	) as number[];
	const archived =
		reviewedArchived.length === 0
			? []
			: await db
					.selectFrom('product')
					.select(['id', 'name', 'slug'])
					.where('id', 'in', reviewedArchived)
					.execute();
	return [...products, ...archived].map((product) => {
		const group = byProduct.get(product.id) ?? [];
		const byPeriod = new Map(
			group.map((row) => [row.period, { count: row.count, average: average(row.total, row.count) }])
		);
		const count = group.reduce((sum, row) => sum + row.count, 0);
		const total = group.reduce((sum, row) => sum + row.total, 0);
		return {
			productId: product.id,
			name: product.name,
			slug: product.slug,
			average: average(total, count),
			count,
			periods: fillPeriods(periods, byPeriod, () => ({ count: 0, average: null }))
		};
	});
}

function average(total: number, count: number): number | null {
	return count === 0 ? null : Math.round((total / count) * 100) / 100;
}

// ---------------------------------------------------------------------------------------------
// At-risk customers.

export type RiskReason =
	| { kind: 'detractor'; score: number; answeredAt: Date }
	| { kind: 'low_review'; reviews: number; worst: number }
	| { kind: 'waiting_idea'; ideas: number; oldestPostedAt: Date };

export interface AtRiskCustomer {
	userId: number;
	handle: string;
	displayName: string;
	company: { name: string; slug: string } | null;
	tier: Tier | null;
	reasons: RiskReason[];
	lastActiveAt: Date | null;
}

/**
 * Customers (members and moderators, as everywhere the team is left out) with at least one warning sign, most signs first, then the
 * most valuable company: their latest NPS answer is a detractor (0–6) — an answer older than one
 * survey interval (`npsIntervalDays`) before the end of the range is no longer current; they wrote a 1–2 star review in the range; or an idea of theirs had waited more than
 * WAITING_IDEA_DAYS days without a first staff response at the end of the range and still has.
 */
export async function atRiskCustomers(
	db: Db,
	range: DateRange,
	options: { thresholds: TierThresholds; npsIntervalDays: number; limit?: number }
): Promise<{ total: number; rows: AtRiskCustomer[] }> {
	const { start, end } = rangeBounds(range);
	const waitedSince = new Date(end.getTime() - WAITING_IDEA_DAYS * 86_400_000);
	const npsSince = new Date(end.getTime() - options.npsIntervalDays * 86_400_000);
	const result = await sql<{
		user_id: number;
		handle: string;
		display_name: string;
		company_name: string | null;
		company_slug: string | null;
		mrr: number | null;
		nps_score: number | null;
		nps_at: Date | null;
		low_reviews: number | null;
		worst_rating: number | null;
		waiting_ideas: number | null;
		oldest_waiting: Date | null;
		last_active_at: Date | null;
		total: number;
	}>`
		with latest_nps as (
			select latest.* from (
				select distinct on (s.user_id) s.user_id, s.score, s.created_at
				from survey_response s
				where s.kind = 'nps' and s.created_at >= ${npsSince} and s.created_at < ${end}
				order by s.user_id, s.created_at desc, s.id desc
			) latest
			where latest.score <= 6
		),
		low_reviews as (
			select p.author_id as user_id, count(*) as reviews, min(r.rating) as worst
			from post p join review r on r.post_id = p.id
			where p.kind = 'review' and p.deleted_at is null and r.rating <= 2
				and p.created_at >= ${start} and p.created_at < ${end}
			group by p.author_id
		),
		waiting as (
			select p.author_id as user_id, count(*) as ideas, min(p.created_at) as oldest
			from post p
			where p.kind = 'idea' and p.deleted_at is null and p.merged_into_id is null
				and p.created_at < ${waitedSince}
				and not exists (select 1 from idea_first_response f where f.post_id = p.id)
			group by p.author_id
		),
		flagged as (
			select user_id from latest_nps
			union select user_id from low_reviews
			union select user_id from waiting
		),
		ranked as (
			select u.id as user_id, u.handle, u.display_name, c.name as company_name,
				c.slug as company_slug, c.mrr, n.score as nps_score, n.created_at as nps_at,
				lr.reviews as low_reviews, lr.worst as worst_rating,
				w.ideas as waiting_ideas, w.oldest as oldest_waiting,
				count(*) over () as total
			from flagged f
			join app_user u on u.id = f.user_id and u.role in ('member', 'moderator')
			left join company c on c.id = u.company_id
			left join latest_nps n on n.user_id = u.id
			left join low_reviews lr on lr.user_id = u.id
			left join waiting w on w.user_id = u.id
			order by (n.user_id is not null)::int + (lr.user_id is not null)::int
				+ (w.user_id is not null)::int desc,
				c.mrr desc nulls last, u.id
			${options.limit === undefined ? sql`` : sql`limit ${options.limit}`}
		)
		select ranked.*, (
			select max(a.created_at) from activity a where a.user_id = ranked.user_id
		) as last_active_at
		from ranked
		order by (nps_score is not null)::int + (low_reviews is not null)::int
			+ (waiting_ideas is not null)::int desc,
			mrr desc nulls last, user_id
	`.execute(db);
	const rows = result.rows.map((row): AtRiskCustomer => {
		const reasons: RiskReason[] = [];
		if (row.nps_score !== null && row.nps_at !== null) {
			reasons.push({ kind: 'detractor', score: row.nps_score, answeredAt: row.nps_at });
		}
		if (row.low_reviews !== null && row.worst_rating !== null) {
			reasons.push({ kind: 'low_review', reviews: row.low_reviews, worst: row.worst_rating });
		}
		if (row.waiting_ideas !== null && row.oldest_waiting !== null) {
			reasons.push({
				kind: 'waiting_idea',
				ideas: row.waiting_ideas,
				oldestPostedAt: row.oldest_waiting
			});
		}
		return {
			userId: row.user_id,
			handle: row.handle,
			displayName: row.display_name,
			company:
				row.company_name === null || row.company_slug === null
					? null
					: { name: row.company_name, slug: row.company_slug },
			tier: row.mrr === null ? null : tierFor(row.mrr, options.thresholds),
			reasons,
			lastActiveAt: row.last_active_at
		};
	});
	return { total: result.rows[0]?.total ?? 0, rows };
}

/** "2-star review" / "3 reviews of 1–2 stars": the page and the CSV say it alike. */
export function lowReviewReason(reason: { reviews: number; worst: number }): string {
	return reason.reviews === 1
		? m.staff_reason_low_review_one({ stars: reason.worst })
		: m.staff_reason_low_reviews({ count: reason.reviews });
}

/** A reason in words, for the table and the CSV. */
export function describeReason(reason: RiskReason): string {
	switch (reason.kind) {
		case 'detractor':
			return m.staff_reason_detractor_csv({ score: reason.score });
		case 'low_review':
			return lowReviewReason(reason);
		case 'waiting_idea':
			return m.staff_reason_waiting_csv({ count: reason.ideas, days: WAITING_IDEA_DAYS });
	}
}
