// The prioritisation view: per idea, raw votes, distinct voting companies, value-weighted demand
// (each voting company's value counted once), voters by tier, and votes in the last 30 days.
import { m } from '$lib/paraglide/messages';
import { toCsv } from '../csv';
import { sql } from 'kysely';
import { ideaPath, STATUS_CATEGORIES, type StatusCategory } from '$lib/domain/ideas';
import { TIERS, type Tier, type TierThresholds } from '$lib/domain/tiers';
import { getTierThresholds } from '../moderation/settings';
import type { Db } from '../db';
import { tierCase } from './tier-sql';

export const PRIORITY_SORTS = ['votes', 'companies', 'demand', 'recent', 'title'] as const;
export type PrioritySort = (typeof PRIORITY_SORTS)[number];
export const RECENT_DAYS = 30;
export const PRIORITIES_LIMIT = 500;

/** The formula the page shows beside the numbers, in the reader's language. */
export function demandFormula(): string {
	return m.staff_priorities_formula();
}

export interface PriorityRow {
	id: number;
	title: string;
	path: string;
	product: string;
	status: string;
	category: StatusCategory;
	votes: number;
	companies: number;
	demand: number;
	/** Voters per tier of their company; `none` = voters without a company. */
	tiers: Record<Tier | 'none', number>;
	recent: number;
}

export interface PriorityFilters {
	product?: string | null;
	category?: StatusCategory | null;
	sort?: PrioritySort;
	direction?: 'asc' | 'desc';
	now?: Date;
	/** The admin's (read from the site settings when not given). */
	thresholds?: TierThresholds;
}

export function isPrioritySort(v: unknown): v is PrioritySort {
	return typeof v === 'string' && (PRIORITY_SORTS as readonly string[]).includes(v);
}
export function isStatusCategory(v: unknown): v is StatusCategory {
	return typeof v === 'string' && (STATUS_CATEGORIES as readonly string[]).includes(v);
}

/**
 * Every live idea (not deleted, not merged away, visible) with its demand figures, computed from
 * the vote rows in one query: the companies are grouped per idea first, so each counts once.
 */
export async function listPriorities(
	db: Db,
	filters: PriorityFilters = {}
): Promise<PriorityRow[]> {
	const now = filters.now ?? new Date();
	const since = new Date(now.getTime() - RECENT_DAYS * 24 * 60 * 60 * 1000);
	const thresholds = filters.thresholds ?? (await getTierThresholds(db));
	const sort = filters.sort ?? 'demand';
	const direction = filters.direction ?? (sort === 'title' ? 'asc' : 'desc');

	const companyTier = tierCase(sql<number>`c.mrr`, thresholds);
	let query = db
		.selectFrom('post')
		.innerJoin('product', 'product.id', 'post.product_id')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.select([
			'post.id',
			'post.title',
			'product.name as product',
			'idea_status.name as status',
			'idea_status.category',
			sql<number>`(select count(*) from vote v where v.post_id = post.id)`.as('votes'),
			sql<number>`(select count(distinct u.company_id) from vote v join app_user u on u.id = v.user_id where v.post_id = post.id)`.as(
				'companies'
			),
			sql<number>`(select coalesce(sum(c.mrr), 0) from company c where c.id in (select u.company_id from vote v join app_user u on u.id = v.user_id where v.post_id = post.id))`.as(
				'demand'
			),
			sql<number>`(select count(*) from vote v where v.post_id = post.id and v.created_at >= ${since})`.as(
				'recent'
			),
			sql<Record<
				string,
				number
			> | null>`(select jsonb_object_agg(t.tier, t.n) from (select case when c.id is null then 'none' else ${companyTier} end as tier, count(*) as n from vote v join app_user u on u.id = v.user_id left join company c on c.id = u.company_id where v.post_id = post.id group by 1) t)`.as(
				'tiers'
			)
		])
		.where('post.kind', '=', 'idea')
		.where('post.deleted_at', 'is', null)
		.where('post.merged_into_id', 'is', null)
		.where('post.visibility', '=', 'visible');
	if (filters.product) {
		query = query.where('product.slug', '=', filters.product);
	}
	if (filters.category) {
		query = query.where('idea_status.category', '=', filters.category);
	}
	const order = direction === 'asc' ? sql`asc` : sql`desc`;
	const key = sort === 'title' ? sql`lower(post.title)` : sql.ref(sort);
	const rows = await query
		.orderBy(sql`${key} ${order}`)
		.orderBy('post.id', 'desc')
		.limit(PRIORITIES_LIMIT)
		.execute();
	return rows.map((r) => {
		const tiers = { platinum: 0, gold: 0, iron: 0, lead: 0, none: 0 };
		for (const [tier, n] of Object.entries(r.tiers ?? {})) {
			if (tier in tiers) {
				tiers[tier as keyof typeof tiers] = Number(n);
			}
		}
		return {
			id: r.id,
			title: r.title,
			path: ideaPath(r),
			product: r.product,
			status: r.status,
			category: r.category,
			votes: Number(r.votes),
			companies: Number(r.companies),
			demand: Number(r.demand),
			tiers,
			recent: Number(r.recent)
		};
	});
}

export function prioritiesCsv(rows: PriorityRow[], origin: string): string {
	const header = [
		'id',
		'title',
		'url',
		'product',
		'status',
		'category',
		'votes',
		'companies',
		'value_weighted_demand',
		...TIERS.map((t) => `voters_${t}`),
		'voters_no_company',
		`votes_last_${RECENT_DAYS}_days`
	];
	return toCsv(
		header,
		rows.map((r) => [
			r.id,
			r.title,
			origin + r.path,
			r.product,
			r.status,
			r.category,
			r.votes,
			r.companies,
			r.demand,
			...TIERS.map((t) => r.tiers[t]),
			r.tiers.none,
			r.recent
		])
	);
}
