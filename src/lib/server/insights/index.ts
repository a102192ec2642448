// The insights dashboard (/staff/insights): every section for one date range, and each
// section's table as CSV. Staff only (`canViewCustomers`); the route checks before calling.
import {
	granularityFor,
	rangeBounds,
	type AdvocateRow,
	type DateRange,
	type Granularity
} from '$lib/domain/insights';

export type { AdvocateRow };
import type { CsvValue } from '../csv';
import { topAdvocates } from '../customers/advocacy';
import type { Db } from '../db';
import { getSiteSettings, tierThresholds } from '../moderation/settings';
import {
	atRiskCustomers,
	contributorsByWeek,
	describeReason,
	firstResponseByPeriod,
	loopClosureByPeriod,
	ratingsByPeriod,
	surveysByPeriod,
	type AtRiskCustomer,
	type ClosurePeriod,
	type ContributorWeek,
	type ProductRatings,
	type ResponsePeriod,
	type SurveyPeriod
} from './queries';

/** How many at-risk customers the page lists; the CSV has all of them. */
export const AT_RISK_SHOWN = 50;

export interface Insights {
	range: DateRange;
	granularity: Granularity;
	contributors: ContributorWeek[];
	surveys: {
		periods: SurveyPeriod[];
		overall: Awaited<ReturnType<typeof surveysByPeriod>>['overall'];
	};
	responses: ResponsePeriod[];
	closure: ClosurePeriod[];
	ratings: ProductRatings[];
	atRisk: { total: number; rows: AtRiskCustomer[] };
}

/** Every section, queried concurrently (each is one or two indexed queries). */
export async function loadInsights(db: Db, range: DateRange): Promise<Insights> {
	const granularity = granularityFor(range);
	const settings = await getSiteSettings(db);
	const thresholds = tierThresholds(settings);
	const [contributors, surveys, responses, closure, ratings, atRisk] = await Promise.all([
		contributorsByWeek(db, range),
		surveysByPeriod(db, range, granularity),
		firstResponseByPeriod(db, range, granularity),
		loopClosureByPeriod(db, range, granularity),
		ratingsByPeriod(db, range, granularity),
		atRiskCustomers(db, range, {
			thresholds,
			npsIntervalDays: settings.npsIntervalDays,
			limit: AT_RISK_SHOWN
		})
	]);
	return { range, granularity, contributors, surveys, responses, closure, ratings, atRisk };
}

// ---------------------------------------------------------------------------------------------
// CSV: each section's table, the same columns the page shows.

export const CSV_SECTIONS = [
	'contributors',
	'surveys',
	'responses',
	'closure',
	'ratings',
	'advocates',
	'at-risk'
] as const;

/** How many advocates the dashboard and its CSV list. */
export const TOP_ADVOCATES = 10;
export type CsvSection = (typeof CSV_SECTIONS)[number];

export interface CsvTable {
	header: string[];
	rows: CsvValue[][];
}

const round1 = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/** The table of one section for a range, computed as the page computes it. */
export async function insightsCsv(
	db: Db,
	section: CsvSection,
	range: DateRange,
	origin: string
): Promise<CsvTable> {
	const granularity = granularityFor(range);
	switch (section) {
		case 'contributors': {
			const weeks = await contributorsByWeek(db, range);
			return {
				header: ['week_start', 'contributors', 'new', 'returning'],
				rows: weeks.map((w) => [
					w.period.key,
					w.contributors,
					w.newContributors,
					w.returningContributors
				])
			};
		}
		case 'surveys': {
			const { periods } = await surveysByPeriod(db, range, granularity);
			return {
				header: [
					'period_start',
					'period_end',
					'nps',
					'nps_responses',
					'promoters',
					'passives',
					'detractors',
					'csat_percent',
					'csat_responses'
				],
				rows: periods.map((p) => [
					p.period.start,
					p.period.end,
					p.nps.nps,
					p.nps.responses,
					p.nps.promoters,
					p.nps.passives,
					p.nps.detractors,
					p.csat.csat,
					p.csat.responses
				])
			};
		}
		case 'responses': {
			const periods = await firstResponseByPeriod(db, range, granularity);
			return {
				header: ['period_start', 'period_end', 'ideas', 'answered', 'waiting', 'median_hours'],
				rows: periods.map((p) => [
					p.period.start,
					p.period.end,
					p.ideas,
					p.answered,
					p.waiting,
					round1(p.medianHours)
				])
			};
		}
		case 'closure': {
			const periods = await loopClosureByPeriod(db, range, granularity);
			return {
				header: ['period_start', 'period_end', 'ideas_shipped', 'voters', 'notified', 'percent'],
				rows: periods.map((p) => [
					p.period.start,
					p.period.end,
					p.ideas,
					p.voters,
					p.notified,
					p.rate
				])
			};
		}
		case 'ratings': {
			const products = await ratingsByPeriod(db, range, granularity);
			return {
				header: ['product', 'period_start', 'period_end', 'reviews', 'average_rating'],
				rows: products.flatMap((product) =>
					product.periods.map((p) => [
						product.name,
						p.period.start,
						p.period.end,
						p.count,
						p.average
					])
				)
			};
		}
		case 'advocates': {
			const { start, end } = rangeBounds(range);
			const rows = await topAdvocates(db, { from: start, to: end, limit: TOP_ADVOCATES });
			return advocatesCsv(rows, origin);
		}
		case 'at-risk': {
			const settings = await getSiteSettings(db);
			const { rows } = await atRiskCustomers(db, range, {
				thresholds: tierThresholds(settings),
				npsIntervalDays: settings.npsIntervalDays
			});
			return {
				header: ['handle', 'name', 'company', 'tier', 'reasons', 'last_active', 'url'],
				rows: rows.map((row) => [
					row.handle,
					row.displayName,
					row.company?.name,
					row.tier,
					row.reasons.map(describeReason).join('; '),
					row.lastActiveAt?.toISOString(),
					`${origin}/staff/customers/${encodeURIComponent(row.handle)}`
				])
			};
		}
	}
}

/** The top advocates table as CSV. */
export function advocatesCsv(rows: readonly AdvocateRow[], origin: string): CsvTable {
	return {
		header: ['rank', 'handle', 'name', 'company', 'score', 'breakdown', 'url'],
		rows: rows.map((row, index) => [
			index + 1,
			row.handle,
			row.displayName,
			row.company?.name,
			row.score,
			row.breakdown
				.filter((line) => line.count > 0)
				.map((line) => `${line.label}: ${line.count} (${line.points} pts)`)
				.join('; '),
			`${origin}/staff/customers/${encodeURIComponent(row.handle)}`
		])
	};
}
