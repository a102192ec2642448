// Staff's directory of customers: find one by name, handle or email, filter by company or tier,
// sort by advocacy, last activity or joining date; and one customer's record for their page.
import { sql } from 'kysely';
import { tierFor, type Tier, type TierThresholds } from '$lib/domain/tiers';
import type { Db } from '../db';
import { tierCase } from '../triage/tier-sql';
import { advocacySql, outcomesByUser } from './outcomes';
import { ACT_KINDS } from './participation';
import { CUSTOMER_ROLES } from './advocacy';

export const CUSTOMER_SORTS = ['advocacy', 'last_active', 'joined'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
export const CUSTOMER_SORT_LABELS: Record<CustomerSort, string> = {
	advocacy: 'Advocacy score',
	last_active: 'Last active',
	joined: 'Newest members'
};
export const CUSTOMERS_PAGE_SIZE = 25;

export interface CustomerCompany {
	id: number;
	name: string;
	slug: string;
	plan: string | null;
	/** Monthly recurring revenue: the value tiers are drawn from. */
	value: number;
	tier: Tier;
}

export interface CustomerListRow {
	id: number;
	handle: string;
	displayName: string;
	email: string;
	joinedAt: Date;
	lastActiveAt: Date | null;
	advocacy: number;
	company: CustomerCompany | null;
}

export interface CustomerFilter {
	q?: string | null;
	companyId?: number | null;
	tier?: Tier | null;
	sort?: CustomerSort;
	page?: number;
}

function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A page of customers (members and moderators) matching the filter, with the total count. */
export async function listCustomers(
	db: Db,
	thresholds: TierThresholds,
	filter: CustomerFilter
): Promise<{ rows: CustomerListRow[]; total: number; page: number; pages: number }> {
	const page = Math.max(1, Math.floor(filter.page ?? 1));
	const tier = tierCase(sql<number>`c.mrr`, thresholds);
	let base = db
		.selectFrom('app_user as u')
		.leftJoin('company as c', 'c.id', 'u.company_id')
		.where('u.role', 'in', CUSTOMER_ROLES);
	const q = filter.q?.trim();
	if (q) {
		const pattern = `%${escapeLike(q.toLowerCase())}%`;
		base = base.where((eb) =>
			eb.or([
				eb(sql`lower(u.display_name)`, 'like', pattern),
				eb(sql`lower(u.handle)`, 'like', pattern),
				eb('u.email', 'like', pattern)
			])
		);
	}
	if (filter.companyId) {
		base = base.where('u.company_id', '=', filter.companyId);
	}
	if (filter.tier) {
		base = base.where('u.company_id', 'is not', null).where(tier, '=', filter.tier);
	}
	const { total } = await base
		.select(sql<number>`count(*)::int`.as('total'))
		.executeTakeFirstOrThrow();
	const lastActive = sql<Date | null>`(select max(la.created_at) from activity la where la.user_id = u.id and la.kind in (${sql.join(ACT_KINDS.map((k) => sql.lit(k)))}) and (la.data ->> 'recordedById') is null)`;
	let query = base
		.leftJoin(outcomesByUser(db).as('o'), 'o.user_id', 'u.id')
		.leftJoinLateral(
			(eb) =>
				eb
					.selectFrom('survey_response as s')
					.select('s.score')
					.whereRef('s.user_id', '=', 'u.id')
					.where('s.kind', '=', 'nps')
					.orderBy('s.created_at', 'desc')
					.orderBy('s.id', 'desc')
					.limit(1)
					.as('nps'),
			(join) => join.onTrue()
		)
		.select([
			'u.id',
			'u.handle',
			'u.display_name',
			'u.email',
			'u.created_at',
			'c.id as company_id',
			'c.name as company_name',
			'c.slug as company_slug',
			'c.plan as company_plan',
			'c.mrr as company_mrr',
			lastActive.as('last_active'),
			advocacySql().as('advocacy')
		]);
	const sort = filter.sort ?? 'advocacy';
	if (sort === 'advocacy') {
		query = query.orderBy('advocacy', 'desc');
	} else if (sort === 'last_active') {
		query = query.orderBy(sql`last_active desc nulls last`);
	} else {
		query = query.orderBy('u.created_at', 'desc');
	}
	const rows = await query
		.orderBy('u.id', 'desc')
		.limit(CUSTOMERS_PAGE_SIZE)
		.offset((page - 1) * CUSTOMERS_PAGE_SIZE)
		.execute();
	return {
		rows: rows.map((row) => ({
			id: row.id,
			handle: row.handle,
			displayName: row.display_name,
			email: row.email,
			joinedAt: row.created_at,
			lastActiveAt: row.last_active ? new Date(row.last_active) : null,
			advocacy: row.advocacy,
			company:
				row.company_id !== null
					? companyOf(
							{
								id: row.company_id,
								name: row.company_name!,
								slug: row.company_slug!,
								plan: row.company_plan,
								mrr: row.company_mrr!
							},
							thresholds
						)
					: null
		})),
		total,
		page,
		pages: Math.max(1, Math.ceil(total / CUSTOMERS_PAGE_SIZE))
	};
}

function companyOf(
	row: { id: number; name: string; slug: string; plan: string | null; mrr: number },
	thresholds: TierThresholds
): CustomerCompany {
	const value = Number(row.mrr);
	return {
		id: row.id,
		name: row.name,
		slug: row.slug,
		plan: row.plan,
		value,
		tier: tierFor(value, thresholds)
	};
}

export interface CustomerRecord {
	id: number;
	handle: string;
	displayName: string;
	email: string;
	role: string;
	joinedAt: Date;
	referredBy: { handle: string; displayName: string } | null;
	company: CustomerCompany | null;
}

/** One person's record for the customer page (any role: staff may look up anyone). */
export async function customerByHandle(
	db: Db,
	handle: string,
	thresholds: TierThresholds
): Promise<CustomerRecord | null> {
	const row = await db
		.selectFrom('app_user as u')
		.leftJoin('company as c', 'c.id', 'u.company_id')
		.leftJoin('app_user as ref', 'ref.id', 'u.referred_by_id')
		.select([
			'u.id',
			'u.handle',
			'u.display_name',
			'u.email',
			'u.role',
			'u.created_at',
			'c.id as company_id',
			'c.name as company_name',
			'c.slug as company_slug',
			'c.plan as company_plan',
			'c.mrr as company_mrr',
			'ref.handle as ref_handle',
			'ref.display_name as ref_name'
		])
		.where(sql<string>`lower(u.handle)`, '=', handle.toLowerCase())
		.executeTakeFirst();
	if (!row) {
		return null;
	}
	return {
		id: row.id,
		handle: row.handle,
		displayName: row.display_name,
		email: row.email,
		role: row.role,
		joinedAt: row.created_at,
		referredBy: row.ref_handle ? { handle: row.ref_handle, displayName: row.ref_name! } : null,
		company:
			row.company_id !== null
				? companyOf(
						{
							id: row.company_id,
							name: row.company_name!,
							slug: row.company_slug!,
							plan: row.company_plan,
							mrr: row.company_mrr!
						},
						thresholds
					)
				: null
	};
}

/** Companies for the list's filter. */
export async function companyOptions(db: Db): Promise<{ id: number; name: string }[]> {
	return db.selectFrom('company').select(['id', 'name']).orderBy('name').execute();
}
