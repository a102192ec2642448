// The staff view of survey answers (/staff/surveys): NPS and CSAT for a date range, month by
// month, how many questions were answered, and the answers themselves (verbatims) filtered by
// kind, score group, company and product. NPS always comes from `latestNpsScores` + `npsOf`.
import { m } from '$lib/paraglide/messages';
import { discussionPath } from '$lib/domain/discussions';
import { ideaPath } from '$lib/domain/ideas';
import { csatOf, npsGroup, npsOf, type CsatSummary, type NpsSummary } from '$lib/domain/surveys';
import { sql } from 'kysely';
import type { Db } from '../db';
import type { SurveyKind } from '../db/schema';
import { toCsv } from '../csv';
import { latestNpsScores } from './nps';

export const SCORE_GROUPS = [
	'promoter',
	'passive',
	'detractor',
	'satisfied',
	'neutral',
	'dissatisfied'
] as const;
export type ScoreGroup = (typeof SCORE_GROUPS)[number];

/** A score group's name in the reader's language. */
export function scoreGroupLabel(group: ScoreGroup): string {
	const labels: Record<ScoreGroup, () => string> = {
		promoter: m.staff_group_promoter,
		passive: m.staff_group_passive,
		detractor: m.staff_group_detractor,
		satisfied: m.staff_group_satisfied,
		neutral: m.staff_group_neutral,
		dissatisfied: m.staff_group_dissatisfied
	};
	return labels[group]();
}

const GROUP_RULES: Record<ScoreGroup, { kind: SurveyKind; min: number; max: number }> = {
	promoter: { kind: 'nps', min: 9, max: 10 },
	passive: { kind: 'nps', min: 7, max: 8 },
	detractor: { kind: 'nps', min: 0, max: 6 },
	satisfied: { kind: 'csat', min: 4, max: 5 },
	neutral: { kind: 'csat', min: 3, max: 3 },
	dissatisfied: { kind: 'csat', min: 1, max: 2 }
};

export function isScoreGroup(value: unknown): value is ScoreGroup {
	return typeof value === 'string' && (SCORE_GROUPS as readonly string[]).includes(value);
}

/** The group an answer falls in, for the list and the CSV. */
export function scoreGroupOf(kind: SurveyKind, score: number): ScoreGroup {
	if (kind === 'nps') {
		return npsGroup(score);
	}
	return score >= 4 ? 'satisfied' : score === 3 ? 'neutral' : 'dissatisfied';
}

export interface SurveyFilters {
	/** First day of the range (UTC), inclusive. */
	from: Date;
	/** The day after the last day of the range (UTC): answers before it count. */
	to: Date;
	kind: SurveyKind | null;
	group: ScoreGroup | null;
	/** Company slug. */
	company: string | null;
	/** Product slug: CSAT answers about that product's ideas and questions. */
	product: string | null;
	/** Only answers that give a reason. */
	withReason: boolean;
}

export interface SurveyAnswerRow {
	id: number;
	kind: SurveyKind;
	score: number;
	group: ScoreGroup;
	reason: string | null;
	createdAt: Date;
	member: { handle: string; displayName: string };
	company: { name: string; slug: string } | null;
	product: string | null;
	about: { title: string; path: string } | null;
}

export interface MonthFigures {
	/** yyyy-mm */
	month: string;
	nps: NpsSummary;
	csat: CsatSummary;
}

export interface OfferCounts {
	asked: number;
	answered: number;
	dismissed: number;
}

export interface SurveyResults {
	nps: NpsSummary;
	csat: CsatSummary;
	offers: Record<SurveyKind, OfferCounts>;
	months: MonthFigures[];
	answers: SurveyAnswerRow[];
	/** All answers matching the filters; `answers` holds at most `limit` of them. */
	total: number;
}

/** The list on the page stops here; the CSV has every matching answer. */
export const ANSWER_LIST_LIMIT = 200;
/** Month-by-month figures cover at most this many months (the latest of the range). */
export const MAX_MONTHS = 24;

async function companyIdOf(db: Db, slug: string | null): Promise<number | null | undefined> {
	if (slug === null) {
		return null;
	}
	const row = await db
		.selectFrom('company')
		.select('id')
		.where('slug', '=', slug)
		.executeTakeFirst();
	// An unknown company matches nobody (undefined), rather than everybody.
	return row?.id;
}

/** The answers matching every filter, newest first. */
function answersQuery(db: Db, filters: SurveyFilters) {
	let query = db
		.selectFrom('survey_response as r')
		.innerJoin('app_user as u', 'u.id', 'r.user_id')
		.leftJoin('company as c', 'c.id', 'u.company_id')
		.leftJoin('post as p', 'p.id', 'r.post_id')
		.leftJoin('product as pr', 'pr.id', 'p.product_id')
		.where('r.created_at', '>=', filters.from)
		.where('r.created_at', '<', filters.to);
	if (filters.kind) {
		query = query.where('r.kind', '=', filters.kind);
	}
	if (filters.group) {
		const rule = GROUP_RULES[filters.group];
		query = query
			.where('r.kind', '=', rule.kind)
			.where('r.score', '>=', rule.min)
			.where('r.score', '<=', rule.max);
	}
	if (filters.company) {
		query = query.where('c.slug', '=', filters.company);
	}
	if (filters.product) {
		query = query.where('pr.slug', '=', filters.product);
	}
	if (filters.withReason) {
		query = query.where('r.reason', 'is not', null);
	}
	return query;
}

export async function listSurveyAnswers(
	db: Db,
	filters: SurveyFilters,
	limit?: number
): Promise<SurveyAnswerRow[]> {
	let query = answersQuery(db, filters)
		.select([
			'r.id',
			'r.kind',
			'r.score',
			'r.reason',
			'r.created_at',
			'u.handle',
			'u.display_name',
			'c.name as company_name',
			'c.slug as company_slug',
			'pr.name as product_name',
			'p.id as post_id',
			'p.kind as post_kind',
			'p.title as post_title',
			'p.deleted_at as post_deleted_at'
		])
		.orderBy('r.created_at', 'desc')
		.orderBy('r.id', 'desc');
	if (limit !== undefined) {
		query = query.limit(limit);
	}
	const rows = await query.execute();
	return rows.map((row) => ({
		id: row.id,
		kind: row.kind,
		score: row.score,
		group: scoreGroupOf(row.kind, row.score),
		reason: row.reason,
		createdAt: row.created_at,
		member: { handle: row.handle, displayName: row.display_name },
		company:
			row.company_name !== null && row.company_slug !== null
				? { name: row.company_name, slug: row.company_slug }
				: null,
		product: row.product_name,
		about:
			row.post_id !== null && row.post_title !== null && row.post_deleted_at === null
				? {
						title: row.post_title,
						path:
							row.post_kind === 'discussion'
								? discussionPath({ id: row.post_id, title: row.post_title })
								: ideaPath({ id: row.post_id, title: row.post_title })
					}
				: null
	}));
}

/** CSAT scores in a window, by company and product. */
async function csatScores(
	db: Db,
	window: { from: Date; to: Date },
	filters: Pick<SurveyFilters, 'company' | 'product'>
): Promise<number[]> {
	const rows = await answersQuery(db, {
		...window,
		kind: 'csat',
		group: null,
		company: filters.company,
		product: filters.product,
		withReason: false
	})
		.select('r.score')
		.execute();
	return rows.map((row) => row.score);
}

/** NPS over each member's latest answer in a window (company filter only: NPS has no product). */
async function npsIn(
	db: Db,
	window: { from: Date; to: Date },
	companyId: number | null | undefined
): Promise<NpsSummary> {
	if (companyId === undefined) {
		return npsOf([]);
	}
	const latest = await latestNpsScores(db, {
		...window,
		...(companyId === null ? {} : { companyId })
	});
	return npsOf(latest.map((answer) => answer.score));
}

/** Questions asked in the window, and how they ended. */
async function offerCounts(
	db: Db,
	filters: SurveyFilters,
	companyId: number | null | undefined
): Promise<Record<SurveyKind, OfferCounts>> {
	const empty = (): Record<SurveyKind, OfferCounts> => ({
		nps: { asked: 0, answered: 0, dismissed: 0 },
		csat: { asked: 0, answered: 0, dismissed: 0 }
	});
	if (companyId === undefined) {
		return empty();
	}
	let query = db
		.selectFrom('survey_offer as o')
		.innerJoin('app_user as u', 'u.id', 'o.user_id')
		.select([
			'o.kind',
			sql<number>`count(*)`.as('asked'),
			sql<number>`count(o.answered_at)`.as('answered'),
			sql<number>`count(o.dismissed_at)`.as('dismissed')
		])
		.where('o.offered_at', '>=', filters.from)
		.where('o.offered_at', '<', filters.to)
		.groupBy('o.kind');
	if (companyId !== null) {
		query = query.where('u.company_id', '=', companyId);
	}
	if (filters.product) {
		const product = filters.product;
		query = query.where((eb) =>
			eb.exists(
				eb
					.selectFrom('post as p')
					.innerJoin('product as pr', 'pr.id', 'p.product_id')
					.select('p.id')
					.whereRef('p.id', '=', 'o.post_id')
					.where('pr.slug', '=', product)
			)
		);
	}
	const counts = empty();
	for (const row of await query.execute()) {
		counts[row.kind] = {
			asked: Number(row.asked),
			answered: Number(row.answered),
			dismissed: Number(row.dismissed)
		};
	}
	return counts;
}

/** The calendar months (UTC) the range touches, the latest MAX_MONTHS of them. */
export function monthsOf(from: Date, to: Date): { month: string; from: Date; to: Date }[] {
	const months: { month: string; from: Date; to: Date }[] = [];
	let start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
	while (start < to) {
		const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
		months.push({
			month: start.toISOString().slice(0, 7),
			from: start < from ? from : start,
			to: end > to ? to : end
		});
		start = end;
	}
	return months.slice(-MAX_MONTHS);
}

export async function surveyResults(db: Db, filters: SurveyFilters): Promise<SurveyResults> {
	const companyId = await companyIdOf(db, filters.company);
	const window = { from: filters.from, to: filters.to };
	const [nps, csatList, offers, answers, total] = await Promise.all([
		npsIn(db, window, companyId),
		csatScores(db, window, filters),
		offerCounts(db, filters, companyId),
		listSurveyAnswers(db, filters, ANSWER_LIST_LIMIT),
		answersQuery(db, filters)
			.select(sql<number>`count(*)`.as('n'))
			.executeTakeFirstOrThrow()
	]);
	const months: MonthFigures[] = [];
	for (const month of monthsOf(filters.from, filters.to)) {
		const range = { from: month.from, to: month.to };
		months.push({
			month: month.month,
			nps: await npsIn(db, range, companyId),
			csat: csatOf(await csatScores(db, range, filters))
		});
	}
	return { nps, csat: csatOf(csatList), offers, months, answers, total: Number(total.n) };
}

/** Every matching answer as CSV: one line per answer, with links to the customer and the post. */
export function surveyAnswersCsv(rows: readonly SurveyAnswerRow[], origin: string): string {
	return toCsv(
		[
			'date',
			'kind',
			'score',
			'group',
			'reason',
			'member',
			'handle',
			'customer page',
			'company',
			'product',
			'about',
			'about url'
		],
		rows.map((row) => [
			row.createdAt.toISOString(),
			row.kind,
			row.score,
			row.group,
			row.reason,
			row.member.displayName,
			row.member.handle,
			`${origin}/staff/customers/${row.member.handle}`,
			row.company?.name,
			row.product,
			row.about?.title,
			row.about ? `${origin}${row.about.path}` : null
		])
	);
}
