// What staff see about a company: tier and value, members, NPS (each member's latest answer), the
// demand it expressed (ideas its members posted or voted for, and what became of them) and its
// ratings. Definitions in docs/customers.md and docs/metrics.md.
import { sql } from 'kysely';
import { ideaPath, type StatusCategory } from '$lib/domain/ideas';
import { npsOf, type NpsSummary } from '$lib/domain/surveys';
import { TIERS, tierFor, type Tier, type TierThresholds } from '$lib/domain/tiers';
import type { Db } from '../db';
import { latestNpsScores } from '../surveys/nps';
import { toCsv } from '../csv';
import { getCompanyBySlug, type CompanyDetail } from './companies';

/** Ideas in these status categories are no longer open demand: shipped, or decided against. */
const SETTLED: readonly StatusCategory[] = ['done', 'closed'];

export const COMPANY_SORTS = ['name', 'tier', 'value', 'members', 'nps', 'demand'] as const;
export type CompanySort = (typeof COMPANY_SORTS)[number];

export function isCompanySort(value: unknown): value is CompanySort {
	return typeof value === 'string' && (COMPANY_SORTS as readonly string[]).includes(value);
}

export interface CompanyOverview {
	id: number;
	name: string;
	slug: string;
	tier: Tier;
	value: number;
	members: number;
	nps: NpsSummary;
	/** Open ideas (not done, not closed) that a member posted or voted for. */
	openDemand: number;
}

/** Live ideas: not deleted, not merged away, visible. */
function liveIdeas(db: Db) {
	return db
		.selectFrom('post')
		.where('post.kind', '=', 'idea')
		.where('post.deleted_at', 'is', null)
		.where('post.merged_into_id', 'is', null)
		.where('post.visibility', '=', 'visible');
}

/** Every company with its figures, sorted; ties fall back to the name. */
export async function listCompanyOverviews(
	db: Db,
	thresholds: TierThresholds,
	options: { sort?: CompanySort; direction?: 'asc' | 'desc' } = {}
): Promise<CompanyOverview[]> {
	const [companies, members, demand] = await Promise.all([
		db.selectFrom('company').select(['id', 'name', 'slug', 'mrr']).execute(),
		db
			.selectFrom('app_user')
			.select(['id', 'company_id'])
			.where('company_id', 'is not', null)
			.execute(),
		liveIdeas(db)
			.innerJoin('idea_status as s', 's.id', 'post.status_id')
			.where('s.category', 'not in', SETTLED)
			.innerJoin(
				(eb) =>
					eb
						.selectFrom('vote')
						.innerJoin('app_user as u', 'u.id', 'vote.user_id')
						.select(['vote.post_id', 'u.company_id'])
						.where('u.company_id', 'is not', null)
						.union(
							eb
								.selectFrom('post as authored')
								.innerJoin('app_user as u', 'u.id', 'authored.author_id')
								.select(['authored.id as post_id', 'u.company_id'])
								.where('u.company_id', 'is not', null)
						)
						.as('asked'),
				(join) => join.onRef('asked.post_id', '=', 'post.id')
			)
			.select(['asked.company_id', sql<number>`count(distinct post.id)`.as('n')])
			.groupBy('asked.company_id')
			.execute()
	]);
	const scores = await latestNpsScores(db, { userIds: members.map((m) => m.id) });
	const companyOf = new Map(members.map((m) => [m.id, m.company_id!]));
	const scoresOf = new Map<number, number[]>();
	for (const s of scores) {
		const company = companyOf.get(s.userId)!;
		scoresOf.set(company, [...(scoresOf.get(company) ?? []), s.score]);
	}
	const rows: CompanyOverview[] = companies.map((c) => ({
		id: c.id,
		name: c.name,
		slug: c.slug,
		tier: tierFor(Number(c.mrr), thresholds),
		value: Number(c.mrr),
		members: members.filter((m) => m.company_id === c.id).length,
		nps: npsOf(scoresOf.get(c.id) ?? []),
		openDemand: Number(demand.find((d) => d.company_id === c.id)?.n ?? 0)
	}));
	return sortOverviews(rows, options.sort ?? 'value', options.direction);
}

function sortOverviews(
	rows: CompanyOverview[],
	sort: CompanySort,
	direction?: 'asc' | 'desc'
): CompanyOverview[] {
	const dir = direction ?? (sort === 'name' ? 'asc' : 'desc');
	const key = (r: CompanyOverview): number | string => {
		switch (sort) {
			case 'name':
				return r.name.toLowerCase();
			case 'tier':
				// Platinum highest; within a tier, the larger value first.
				return (TIERS.length - TIERS.indexOf(r.tier)) * 1e15 + r.value;
			case 'value':
				return r.value;
			case 'members':
				return r.members;
			case 'nps':
				// Companies nobody answered for sort below every score.
				return r.nps.nps ?? -1000;
			case 'demand':
				return r.openDemand;
		}
	};
	const sign = dir === 'asc' ? 1 : -1;
	return [...rows].sort((a, b) => {
		const ka = key(a);
		const kb = key(b);
		if (ka < kb) {
			return -sign;
		}
		if (ka > kb) {
			return sign;
		}
		return a.name.localeCompare(b.name);
	});
}

export function companyOverviewsCsv(rows: CompanyOverview[], origin: string): string {
	return toCsv(
		[
			'name',
			'url',
			'tier',
			'monthly_value',
			'members',
			'nps',
			'nps_responses',
			'promoters',
			'passives',
			'detractors',
			'open_demand'
		],
		rows.map((r) => [
			r.name,
			`${origin}/staff/companies/${r.slug}`,
			r.tier,
			r.value,
			r.members,
			r.nps.nps,
			r.nps.responses,
			r.nps.promoters,
			r.nps.passives,
			r.nps.detractors,
			r.openDemand
		])
	);
}

export interface DemandRow {
	id: number;
	title: string;
	path: string;
	status: string;
	category: StatusCategory;
	/** Every vote on the idea, from anyone. */
	votes: number;
	/** The company's members who voted for it (the author votes on posting). */
	voters: { handle: string; displayName: string }[];
	/** Whether a member of the company posted it. */
	postedByCompany: boolean;
	targetQuarter: string | null;
	/** When it first shipped, while it is in a done status. */
	shippedAt: Date | null;
}

export interface ProductRating {
	productId: number;
	product: string;
	productSlug: string;
	reviews: number;
	average: number;
}

export interface CompanyInsights {
	company: CompanyDetail;
	demand: DemandRow[];
	ratings: ProductRating[];
	nps: NpsSummary;
}

/** The company page: everything staff need to prepare a conversation with this customer. */
export async function getCompanyInsights(
	db: Db,
	slug: string,
	thresholds: TierThresholds
): Promise<CompanyInsights | undefined> {
	const company = await getCompanyBySlug(db, slug, thresholds);
	if (!company) {
		return undefined;
	}
	const [demand, ratings, scores] = await Promise.all([
		companyDemand(db, company.id),
		companyRatings(db, company.id),
		latestNpsScores(db, { companyId: company.id })
	]);
	return { company, demand, ratings, nps: npsOf(scores.map((s) => s.score)) };
}

/** One row per live idea a member posted or voted for: open ones first, then by votes. */
export async function companyDemand(db: Db, companyId: number): Promise<DemandRow[]> {
	const rows = await liveIdeas(db)
		.innerJoin('idea_status as s', 's.id', 'post.status_id')
		.innerJoin('app_user as author', 'author.id', 'post.author_id')
		.select([
			'post.id',
			'post.title',
			'post.vote_count',
			'post.target_quarter',
			's.name as status',
			's.category',
			sql<boolean>`author.company_id is not distinct from ${companyId}`.as('posted'),
			sql<
				{ handle: string; displayName: string }[] | null
			>`(select jsonb_agg(jsonb_build_object('handle', u.handle, 'displayName', u.display_name) order by lower(u.display_name)) from vote v join app_user u on u.id = v.user_id where v.post_id = post.id and u.company_id = ${companyId})`.as(
				'voters'
			),
			sql<Date | null>`(select min(a.created_at) from activity a where a.post_id = post.id and a.kind = 'idea_shipped')`.as(
				'shipped_at'
			)
		])
		.where((eb) =>
			eb.or([
				eb('author.company_id', '=', companyId),
				eb.exists(
					eb
						.selectFrom('vote as v')
						.innerJoin('app_user as u', 'u.id', 'v.user_id')
						.select('v.post_id')
						.whereRef('v.post_id', '=', 'post.id')
						.where('u.company_id', '=', companyId)
				)
			])
		)
		.orderBy(sql`s.category in ('done', 'closed')`)
		.orderBy('post.vote_count', 'desc')
		.orderBy('post.id', 'desc')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		path: ideaPath(r),
		status: r.status,
		category: r.category,
		votes: Number(r.vote_count),
		voters: r.voters ?? [],
		postedByCompany: r.posted,
		targetQuarter: r.target_quarter,
		shippedAt: r.category === 'done' && r.shipped_at ? new Date(r.shipped_at) : null
	}));
}

/** Per product, the company members' visible reviews: how many and their average rating. */
export async function companyRatings(db: Db, companyId: number): Promise<ProductRating[]> {
	const rows = await db
		.selectFrom('post')
		.innerJoin('review', 'review.post_id', 'post.id')
		.innerJoin('app_user as u', 'u.id', 'post.author_id')
		.innerJoin('product', 'product.id', 'post.product_id')
		.select([
			'product.id as productId',
			'product.name as product',
			'product.slug as productSlug',
			sql<number>`count(*)`.as('reviews'),
			sql<number>`avg(review.rating)`.as('average')
		])
		.where('post.kind', '=', 'review')
		.where('post.deleted_at', 'is', null)
		.where('post.visibility', '=', 'visible')
		.where('u.company_id', '=', companyId)
		.groupBy(['product.id', 'product.name', 'product.slug'])
		.orderBy(sql`lower(product.name)`)
		.execute();
	return rows.map((r) => ({
		...r,
		reviews: Number(r.reviews),
		average: Math.round(Number(r.average) * 100) / 100
	}));
}
