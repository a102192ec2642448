// Staff's directory of customers: find one by name, handle or email, filter by company or tier,
// sort by advocacy, last activity or joining date (pages for the staff page, keyset slices for
// the API); and one customer's record for their page.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { tierFor, type Tier, type TierThresholds } from '$lib/domain/tiers';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { isTimestampKey, timestampKey } from '../db/keyset';
import { tierCase } from '../triage/tier-sql';
import { advocacySql, outcomesByUser } from './outcomes';
import { ACT_KINDS } from './participation';
import { CUSTOMER_ROLES } from './advocacy';

export const CUSTOMER_SORTS = ['advocacy', 'last_active', 'joined'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
/** A sort's name in the reader's language. */
export function customerSortLabel(sort: CustomerSort): string {
	const labels: Record<CustomerSort, () => string> = {
		advocacy: m.staff_sort_advocacy,
		last_active: m.staff_sort_last_active,
		joined: m.staff_sort_joined
	};
	return labels[sort]();
}
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

/** The member's latest own act (not a vote staff recorded for them): "last active". */
const lastActiveSql = sql<Date | null>`(select max(la.created_at) from activity la where la.user_id = u.id and la.kind in (${sql.join(ACT_KINDS.map((k) => sql.lit(k)))}) and (la.data ->> 'recordedById') is null)`;

/**
 * The directory's query: customers (members and moderators) matching the filter, with their
 * company, last activity, advocacy score and the sort's key. `base` is the filtered people alone
 * (for the count); `rows` adds the columns.
 */
function customerQuery(db: Db, thresholds: TierThresholds, filter: CustomerFilter) {
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
	const rows = base
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
			lastActiveSql.as('last_active'),
			timestampKey(lastActiveSql).as('last_active_key'),
			timestampKey(sql<Date>`u.created_at`).as('joined_key'),
			advocacySql().as('advocacy')
		]);
	return { base, rows };
}

type CustomerRowsQuery = ReturnType<typeof customerQuery>['rows'];

/** The sort's order, newest or highest first, ties broken by the newest account. */
function ordered(query: CustomerRowsQuery, sort: CustomerSort): CustomerRowsQuery {
	if (sort === 'advocacy') {
		query = query.orderBy('advocacy', 'desc');
	} else if (sort === 'last_active') {
		query = query.orderBy(sql`last_active desc nulls last`);
	} else {
		query = query.orderBy('u.created_at', 'desc');
	}
	return query.orderBy('u.id', 'desc');
}

type CustomerQueryRow = Awaited<ReturnType<CustomerRowsQuery['execute']>>[number];

function toListRow(row: CustomerQueryRow, thresholds: TierThresholds): CustomerListRow {
	return {
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
	};
}

/** A page of customers (members and moderators) matching the filter, with the total count. */
export async function listCustomers(
	db: Db,
	thresholds: TierThresholds,
	filter: CustomerFilter
): Promise<{ rows: CustomerListRow[]; total: number; page: number; pages: number }> {
	const page = Math.max(1, Math.floor(filter.page ?? 1));
	const { base, rows: query } = customerQuery(db, thresholds, filter);
	const { total } = await base
		.select(sql<number>`count(*)::int`.as('total'))
		.executeTakeFirstOrThrow();
	const rows = await ordered(query, filter.sort ?? 'advocacy')
		.limit(CUSTOMERS_PAGE_SIZE)
		.offset((page - 1) * CUSTOMERS_PAGE_SIZE)
		.execute();
	return {
		rows: rows.map((row) => toListRow(row, thresholds)),
		total,
		page,
		pages: Math.max(1, Math.ceil(total / CUSTOMERS_PAGE_SIZE))
	};
}

/**
 * Where a slice of the directory continues: the last row's sort key (its advocacy score, or its
 * last activity or joining time as a `timestampKey`, null for someone never active) and its id.
 */
export interface CustomerKey {
	key: number | string | null;
	id: number;
}

export interface CustomerSliceRow extends CustomerListRow {
	/** This row's position in the sort, to continue after it. */
	position: CustomerKey;
}

/** Whether `key` can be a sort key of `sort` (a cursor from outside is checked before use). */
export function isCustomerSortKey(sort: CustomerSort, key: unknown): key is CustomerKey['key'] {
	switch (sort) {
		case 'advocacy':
			return typeof key === 'number' && Number.isSafeInteger(key) && Math.abs(key) <= 2 ** 31 - 1;
		case 'last_active':
			return key === null || isTimestampKey(key);
		case 'joined':
			return isTimestampKey(key);
	}
}

/**
 * Up to `limit` customers in the directory's order after `after` (keyset: the API's pages, where
 * a customer whose score changes between two requests is neither repeated nor skipped by offset).
 */
export async function listCustomersAfter(
	db: Db,
	thresholds: TierThresholds,
	filter: Omit<CustomerFilter, 'page'>,
	slice: { after: CustomerKey | null; limit: number }
): Promise<CustomerSliceRow[]> {
	const sort = filter.sort ?? 'advocacy';
	let query = customerQuery(db, thresholds, filter).rows;
	const after = slice.after;
	if (after) {
		query = query.where(afterKey(sort, after));
	}
	const rows = await ordered(query, sort).limit(slice.limit).execute();
	return rows.map((row) => ({
		...toListRow(row, thresholds),
		position: {
			id: row.id,
			key:
				sort === 'advocacy'
					? row.advocacy
					: sort === 'last_active'
						? row.last_active_key
						: row.joined_key!
		}
	}));
}

/** The rows after `after` in `sort`'s order (descending, ties by id descending; no activity last). */
function afterKey(sort: CustomerSort, after: CustomerKey): RawBuilder<SqlBool> {
	if (sort === 'advocacy') {
		return sql<SqlBool>`(${advocacySql()}, u.id) < (${after.key}::int, ${after.id}::int)`;
	}
	if (sort === 'joined') {
		return sql<SqlBool>`(u.created_at, u.id) < (${after.key}::timestamptz, ${after.id}::int)`;
	}
	if (after.key === null) {
		return sql<SqlBool>`(${lastActiveSql} is null and u.id < ${after.id}::int)`;
	}
	return sql<SqlBool>`(${lastActiveSql} is null or (${lastActiveSql}, u.id) < (${after.key}::timestamptz, ${after.id}::int))`;
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
