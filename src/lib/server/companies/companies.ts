// The admins' companies: the customer accounts members belong to, with their email domain, plan,
// monthly value and the products they own. Every change is one transaction with its audit entry.
import { m } from '$lib/paraglide/messages';
import { sql } from 'kysely';
import { z } from 'zod';
import { tierFor, type Tier, type TierThresholds } from '$lib/domain/tiers';
import type { Db } from '../db';
import { recordAudit } from '../audit';
import { slugText, withSlug } from '../products';
import { canManageCompanies, type Actor, type UserActor } from '../policy';
import { toCsv } from '../csv';
import { checkCompanyDomain } from './domains';
import { joinVerifiedMembersToCompany } from './membership';

export const COMPANY_NAME_MAX = 120;
export const COMPANY_SLUG_MAX = 60;
export const COMPANY_PLAN_MAX = 40;
/** The largest value `numeric(14, 2)` holds. */
export const MRR_MAX = 999_999_999_999.99;
const MRR_PATTERN = /^\d{1,12}(\.\d{1,2})?$/;

/** A monthly value as typed: digits with up to two decimals, no currency sign or separators. */
export const mrrText = z
	.string({ error: () => m.admin_company_mrr_required() })
	.trim()
	.min(1, { error: () => m.admin_company_mrr_required() })
	.regex(MRR_PATTERN, { error: () => m.admin_company_mrr_format() })
	.transform(Number)
	.pipe(z.number().max(MRR_MAX, { error: () => m.admin_company_mrr_too_large() }));

/** An optional email domain: empty means none; free-mail and malformed domains are refused. */
export const domainText = z
	.string()
	.trim()
	.default('')
	.transform((value, ctx): string | null => {
		if (value === '') {
			return null;
		}
		const checked = checkCompanyDomain(value);
		if (!checked.ok) {
			ctx.addIssue({ code: 'custom', message: checked.message });
			return z.NEVER;
		}
		return checked.domain;
	});

export const planText = z
	.string()
	.trim()
	.max(COMPANY_PLAN_MAX, { error: () => m.admin_company_plan_too_long({ max: COMPANY_PLAN_MAX }) })
	.default('')
	.transform((value) => (value === '' ? null : value));

export const companySchema = z
	.object({
		name: z
			.string({ error: () => m.admin_company_name_required() })
			.trim()
			.min(1, { error: () => m.admin_company_name_required() })
			.max(COMPANY_NAME_MAX, {
				error: () => m.admin_company_name_too_long({ max: COMPANY_NAME_MAX })
			}),
		slug: slugText(COMPANY_SLUG_MAX),
		emailDomain: domainText,
		plan: planText,
		mrr: mrrText,
		products: z.array(z.string().trim().toLowerCase().max(80)).max(200).default([])
	})
	.transform(withSlug(COMPANY_SLUG_MAX));
export const COMPANY_FIELDS = ['name', 'slug', 'emailDomain', 'plan', 'mrr'] as const;
export const COMPANY_LISTS = ['products'] as const;
export type CompanyInput = z.output<typeof companySchema>;
export type CompanyFieldErrors = Partial<Record<keyof CompanyInput, string>>;

export interface CompanySummary {
	id: number;
	name: string;
	slug: string;
	emailDomain: string | null;
	plan: string | null;
	mrr: number;
	tier: Tier;
	members: number;
	products: string[];
}

export interface CompanyMember {
	id: number;
	handle: string;
	displayName: string;
	email: string;
	role: string;
	verified: boolean;
}

export interface CompanyDetail extends Omit<CompanySummary, 'products' | 'members'> {
	createdAt: Date;
	products: { id: number; slug: string; name: string }[];
	members: CompanyMember[];
}

export const COMPANY_LIST_LIMIT = 500;

/** Companies by name, optionally those whose name, slug or domain contains `q`. */
export async function listCompanies(
	db: Db,
	thresholds: TierThresholds,
	options: { q?: string | null } = {}
): Promise<CompanySummary[]> {
	let query = db
		.selectFrom('company as c')
		.select([
			'c.id',
			'c.name',
			'c.slug',
			'c.email_domain',
			'c.plan',
			'c.mrr',
			sql<number>`(select count(*) from app_user u where u.company_id = c.id)`.as('members'),
			sql<
				string[] | null
			>`(select array_agg(p.name order by lower(p.name)) from company_product cp join product p on p.id = cp.product_id where cp.company_id = c.id)`.as(
				'products'
			)
		]);
	const q = options.q?.trim();
	if (q) {
		const pattern = `%${q.replace(/[\\%_]/g, '\\$&')}%`;
		query = query.where((eb) =>
			eb.or([
				eb('c.name', 'ilike', pattern),
				eb('c.slug', 'ilike', pattern),
				eb('c.email_domain', 'ilike', pattern)
			])
		);
	}
	const rows = await query
		.orderBy(sql`lower(c.name)`)
		.orderBy('c.id')
		.limit(COMPANY_LIST_LIMIT)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		slug: r.slug,
		emailDomain: r.email_domain,
		plan: r.plan,
		mrr: Number(r.mrr),
		tier: tierFor(Number(r.mrr), thresholds),
		members: Number(r.members),
		products: r.products ?? []
	}));
}

export async function getCompanyBySlug(
	db: Db,
	slug: string,
	thresholds: TierThresholds
): Promise<CompanyDetail | undefined> {
	const row = await db
		.selectFrom('company')
		.selectAll()
		.where('slug', '=', slug)
		.executeTakeFirst();
	if (!row) {
		return undefined;
	}
	const [products, members] = await Promise.all([
		db
			.selectFrom('company_product as cp')
			.innerJoin('product as p', 'p.id', 'cp.product_id')
			.select(['p.id', 'p.slug', 'p.name'])
			.where('cp.company_id', '=', row.id)
			.orderBy(sql`lower(p.name)`)
			.execute(),
		db
			.selectFrom('app_user')
			.select(['id', 'handle', 'display_name', 'email', 'role', 'email_verified_at'])
			.where('company_id', '=', row.id)
			.orderBy(sql`lower(display_name)`)
			.orderBy('id')
			.execute()
	]);
	return {
		id: row.id,
		name: row.name,
		slug: row.slug,
		emailDomain: row.email_domain,
		plan: row.plan,
		mrr: Number(row.mrr),
		tier: tierFor(Number(row.mrr), thresholds),
		createdAt: row.created_at,
		products,
		members: members.map((m) => ({
			id: m.id,
			handle: m.handle,
			displayName: m.display_name,
			email: m.email,
			role: m.role,
			verified: m.email_verified_at !== null
		}))
	};
}

/** Serialises company writes, so "is this slug or domain free?" stays true until the write. */
export async function lockCompanies(trx: Db): Promise<void> {
	await sql`select pg_advisory_xact_lock(hashtext('roundtable:companies'))`.execute(trx);
}

export type SaveCompanyResult =
	| {
			ok: true;
			companyId: number;
			slug: string;
			created: boolean;
			/** Whether anything about the company changed (always true when created). */
			changed: boolean;
			joined: number;
	  }
	| { ok: false; reason: 'forbidden' | 'not_found' }
	| { ok: false; reason: 'invalid'; errors: CompanyFieldErrors };

/**
 * Writes one company inside the caller's transaction (which holds `lockCompanies`): checks the
 * slug and domain are free and the products exist, creates or updates the row, sets exactly the
 * products given, audits what changed, and, when the domain is new, lets the verified members of
 * that domain who have no company join it. Changes nothing when it answers `invalid`.
 */
export async function writeCompany(
	trx: Db,
	admin: UserActor,
	companyId: number | null,
	input: CompanyInput,
	source: 'form' | 'import' = 'form'
): Promise<SaveCompanyResult> {
	const before = companyId
		? await trx.selectFrom('company').selectAll().where('id', '=', companyId).executeTakeFirst()
		: undefined;
	if (companyId && !before) {
		return { ok: false, reason: 'not_found' };
	}
	const errors: CompanyFieldErrors = {};
	const clashes = await trx
		.selectFrom('company')
		.select(['id', 'name', 'slug', 'email_domain'])
		.where((eb) =>
			eb.or([
				eb('slug', '=', input.slug),
				...(input.emailDomain ? [eb('email_domain', '=', input.emailDomain)] : [])
			])
		)
		.execute();
	for (const other of clashes) {
		if (other.id === companyId) {
			continue;
		}
		if (other.slug === input.slug) {
			errors.slug = m.admin_company_slug_taken({ company: other.name });
		}
		if (input.emailDomain && other.email_domain === input.emailDomain) {
			errors.emailDomain = m.admin_company_domain_taken({
				domain: input.emailDomain,
				company: other.name
			});
		}
	}
	const wanted = [...new Set(input.products)];
	const products =
		wanted.length === 0
			? []
			: await trx
					.selectFrom('product')
					.select(['id', 'slug'])
					.where('slug', 'in', wanted)
					.execute();
	const unknown = wanted.filter((slug) => !products.some((p) => p.slug === slug));
	if (unknown.length > 0) {
		errors.products = m.admin_company_unknown_products({ slugs: unknown.join(', ') });
	}
	if (Object.keys(errors).length > 0) {
		return { ok: false, reason: 'invalid', errors };
	}

	const values = {
		name: input.name,
		slug: input.slug,
		email_domain: input.emailDomain,
		plan: input.plan,
		mrr: input.mrr
	};
	let id: number;
	if (before) {
		id = before.id;
		await trx.updateTable('company').set(values).where('id', '=', id).execute();
	} else {
		({ id } = await trx
			.insertInto('company')
			.values(values)
			.returning('id')
			.executeTakeFirstOrThrow());
	}
	const productChange = await setCompanyProducts(
		trx,
		id,
		products.map((p) => p.id)
	);

	const changed: Record<string, { from: unknown; to: unknown }> = {};
	for (const [key, to] of Object.entries(values)) {
		const from = before ? before[key as keyof typeof values] : null;
		if (!before || String(from) !== String(to)) {
			changed[key] = { from: before ? from : null, to };
		}
	}
	const domainIsNew = input.emailDomain !== null && input.emailDomain !== before?.email_domain;
	const joined = domainIsNew
		? await joinVerifiedMembersToCompany(trx, { id, emailDomain: input.emailDomain! })
		: [];
	const anyChange = !before || Object.keys(changed).length > 0 || productChange.changed;
	if (anyChange) {
		await recordAudit(trx, admin, {
			action: before ? 'company.updated' : 'company.created',
			targetType: 'company',
			targetId: id,
			details: {
				source,
				...changed,
				...(productChange.changed
					? { products: { added: productChange.added, removed: productChange.removed } }
					: {}),
				...(joined.length > 0 ? { joinedByDomain: joined } : {})
			}
		});
	}
	return {
		ok: true,
		companyId: id,
		slug: input.slug,
		created: !before,
		changed: anyChange,
		joined: joined.length
	};
}

/** Makes the company own exactly these products; says which were added and removed. */
async function setCompanyProducts(trx: Db, companyId: number, productIds: number[]) {
	const current = await trx
		.selectFrom('company_product')
		.select('product_id')
		.where('company_id', '=', companyId)
		.execute();
	const have = new Set(current.map((r) => r.product_id));
	const want = new Set(productIds);
	const added = productIds.filter((id) => !have.has(id));
	const removed = [...have].filter((id) => !want.has(id));
	if (removed.length > 0) {
		await trx
			.deleteFrom('company_product')
			.where('company_id', '=', companyId)
			.where('product_id', 'in', removed)
			.execute();
	}
	if (added.length > 0) {
		await trx
			.insertInto('company_product')
			.values(added.map((product_id) => ({ company_id: companyId, product_id })))
			.execute();
	}
	return { changed: added.length + removed.length > 0, added, removed };
}

/** An admin creates a company (the form). */
export async function createCompany(
	db: Db,
	actor: Actor,
	input: CompanyInput
): Promise<SaveCompanyResult> {
	if (!canManageCompanies(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx) => {
		await lockCompanies(trx);
		return writeCompany(trx, actor, null, input);
	});
}

/** An admin edits a company (the form); a result other than ok changes nothing. */
export async function updateCompany(
	db: Db,
	actor: Actor,
	companyId: number,
	input: CompanyInput
): Promise<SaveCompanyResult> {
	if (!canManageCompanies(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx) => {
		await lockCompanies(trx);
		return writeCompany(trx, actor, companyId, input);
	});
}

// Members -----------------------------------------------------------------------------------

export type MemberChangeResult =
	| { ok: true; member: { id: number; handle: string }; movedFrom: string | null }
	| { ok: false; reason: 'forbidden' | 'not_found' }
	| { ok: false; reason: 'no_such_person' | 'already_member'; message: string };

export const addMemberSchema = z.object({
	person: z
		.string({ error: () => m.admin_company_person_required() })
		.trim()
		.min(1, { error: () => m.admin_company_person_required() })
		.max(254, { error: () => m.admin_company_person_too_long() })
		.transform((v) => v.replace(/^@/, ''))
});

/**
 * An admin puts a member into a company, by handle or email. A member of another company moves
 * (a person belongs to one company at a time); the audit entry says from where.
 */
export async function addCompanyMember(
	db: Db,
	actor: Actor,
	companyId: number,
	person: string
): Promise<MemberChangeResult> {
	if (!canManageCompanies(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const identifier = person.trim().toLowerCase();
	return db.transaction().execute(async (trx): Promise<MemberChangeResult> => {
		const company = await trx
			.selectFrom('company')
			.select(['id', 'name'])
			.where('id', '=', companyId)
			.executeTakeFirst();
		if (!company) {
			return { ok: false, reason: 'not_found' };
		}
		const user = await trx
			.selectFrom('app_user as u')
			.leftJoin('company as c', 'c.id', 'u.company_id')
			.select(['u.id', 'u.handle', 'u.company_id', 'c.name as company_name'])
			.where(
				identifier.includes('@')
					? (eb) => eb('u.email', '=', identifier)
					: (eb) => eb(sql`lower(u.handle)`, '=', identifier)
			)
			.executeTakeFirst();
		if (!user) {
			return {
				ok: false,
				reason: 'no_such_person',
				message: m.admin_company_no_such_person({ person })
			};
		}
		if (user.company_id === company.id) {
			return {
				ok: false,
				reason: 'already_member',
				message: m.admin_company_already_member({
					handle: `@${user.handle}`,
					company: company.name
				})
			};
		}
		await trx
			.updateTable('app_user')
			.set({ company_id: company.id })
			.where('id', '=', user.id)
			.execute();
		await recordAudit(trx, actor, {
			action: 'company.member_added',
			targetType: 'company',
			targetId: company.id,
			details: {
				userId: user.id,
				handle: user.handle,
				...(user.company_id ? { movedFromCompanyId: user.company_id } : {})
			}
		});
		return {
			ok: true,
			member: { id: user.id, handle: user.handle },
			movedFrom: user.company_name
		};
	});
}

/** An admin takes a member out of a company. */
export async function removeCompanyMember(
	db: Db,
	actor: Actor,
	companyId: number,
	userId: number
): Promise<{ ok: true; handle: string } | { ok: false; reason: 'forbidden' | 'not_found' }> {
	if (!canManageCompanies(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx) => {
		const removed = await trx
			.updateTable('app_user')
			.set({ company_id: null })
			.where('id', '=', userId)
			.where('company_id', '=', companyId)
			.returning('handle')
			.executeTakeFirst();
		if (!removed) {
			return { ok: false as const, reason: 'not_found' as const };
		}
		await recordAudit(trx, actor, {
			action: 'company.member_removed',
			targetType: 'company',
			targetId: companyId,
			details: { userId, handle: removed.handle }
		});
		return { ok: true as const, handle: removed.handle };
	});
}

// Export --------------------------------------------------------------------------------------

/** The import columns first (so an export, edited, imports back), then read-only facts. */
export const EXPORT_HEADER = [
	'name',
	'slug',
	'email_domain',
	'plan',
	'mrr',
	'products',
	'tier',
	'members'
] as const;

export async function companiesCsv(
	db: Db,
	thresholds: TierThresholds,
	q?: string | null
): Promise<string> {
	const companies = await listCompanies(db, thresholds, { q });
	const slugs = await db
		.selectFrom('company_product as cp')
		.innerJoin('product as p', 'p.id', 'cp.product_id')
		.select(['cp.company_id', 'p.slug'])
		.orderBy('p.slug')
		.execute();
	return toCsv(
		EXPORT_HEADER,
		companies.map((c) => [
			c.name,
			c.slug,
			c.emailDomain,
			c.plan,
			c.mrr,
			slugs
				.filter((s) => s.company_id === c.id)
				.map((s) => s.slug)
				.join(';'),
			c.tier,
			c.members
		])
	);
}
