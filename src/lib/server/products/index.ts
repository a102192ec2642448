// Products that ideas and reviews belong to: the list people choose from, and the admins' catalog.
import { sql, type ExpressionBuilder } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db';
import type { Database } from '../db/schema';
import { recordAudit } from '../audit';
import { formatNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import { requiredField } from '../ideas/fields';
import { canManageCatalog, type Actor, type UserActor } from '../policy';

export interface ProductSummary {
	id: number;
	name: string;
	slug: string;
	description: string;
}

/**
 * Products people can give feedback on (archived ones are left out), by name; with `slice`, in
 * id order after `afterId`, `limit` of them (the API's pages).
 */
export async function listProducts(
	db: Db,
	slice?: { afterId: number | null; limit: number }
): Promise<ProductSummary[]> {
	return db
		.selectFrom('product')
		.select(['id', 'name', 'slug', 'description'])
		.where('archived_at', 'is', null)
		.$if(slice === undefined, (q) => q.orderBy('name'))
		.$if(slice?.afterId != null, (q) => q.where('id', '>', slice!.afterId!))
		.$if(slice !== undefined, (q) => q.orderBy('id').limit(slice!.limit))
		.execute();
}

// Slugs (shared with tags) ------------------------------------------------------------------

/** What the database accepts as a product or tag slug. */
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A slug made from a name: "Café Pro — Mobile" → "cafe-pro-mobile". Empty when nothing is left. */
export function slugify(name: string, maxLength: number): string {
	return name
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/['’]/g, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, maxLength)
		.replace(/-+$/, '');
}

/**
 * Fills in an empty slug from the name and checks the result, reporting on the slug field: an
 * admin may leave the slug empty, or type one (any case, surrounding spaces ignored).
 */
export function withSlug<T extends { name: string; slug: string }>(maxLength: number) {
	return (value: T, ctx: z.RefinementCtx): T => {
		const slug = value.slug || slugify(value.name, maxLength);
		if (!slug) {
			ctx.addIssue({
				code: 'custom',
				path: ['slug'],
				message: m.ideas_slug_missing()
			});
		} else if (!SLUG_PATTERN.test(slug)) {
			ctx.addIssue({
				code: 'custom',
				path: ['slug'],
				message: m.ideas_slug_invalid()
			});
		}
		return { ...value, slug };
	};
}

/** A slug field as typed: optional, trimmed, lowercased, at most `maxLength` characters. */
export function slugText(maxLength: number) {
	return z
		.string()
		.trim()
		.toLowerCase()
		.max(maxLength, { error: () => m.ideas_slug_too_long({ max: maxLength }) })
		.default('');
}

export function isUniqueViolation(error: unknown): boolean {
	return (error as { code?: string } | null)?.code === '23505';
}

/** Serialises catalog writes of one kind, so "is this name free?" stays true until the insert. */
export async function lockCatalog(trx: Db, kind: 'product' | 'tag'): Promise<void> {
	await sql`select pg_advisory_xact_lock(hashtext(${`roundtable:catalog:${kind}`}))`.execute(trx);
}

/** The acting admin, or null when the actor may not manage the catalog. */
export function catalogManager(actor: Actor): UserActor | null {
	return actor.kind === 'user' && canManageCatalog(actor) ? actor : null;
}

// The admins' catalog -----------------------------------------------------------------------

export const PRODUCT_NAME_MAX = 80;
export const PRODUCT_SLUG_MAX = 80;
export const PRODUCT_DESCRIPTION_MAX = 2000;

export const productSchema = z
	.object({
		name: requiredField(m.ideas_product_name_missing).max(PRODUCT_NAME_MAX, {
			error: () => m.ideas_name_too_long({ max: PRODUCT_NAME_MAX })
		}),
		slug: slugText(PRODUCT_SLUG_MAX),
		description: z
			.string()
			.trim()
			.max(PRODUCT_DESCRIPTION_MAX, {
				error: () => m.ideas_description_too_long({ max: formatNumber(PRODUCT_DESCRIPTION_MAX) })
			})
			.default('')
	})
	.transform(withSlug(PRODUCT_SLUG_MAX));
export const PRODUCT_FIELDS = ['name', 'slug', 'description'] as const;
export type ProductInput = z.output<typeof productSchema>;

export interface Product {
	id: number;
	name: string;
	slug: string;
	description: string;
	archivedAt: Date | null;
	createdAt: Date;
	updatedAt: Date;
	/** Ideas on the product, deleted ones left out. */
	ideaCount: number;
}

function ideaCount(eb: ExpressionBuilder<Database, 'product'>) {
	return eb
		.selectFrom('post')
		.select((sub) => sub.fn.countAll<number>().as('n'))
		.whereRef('post.product_id', '=', 'product.id')
		.where('post.kind', '=', 'idea')
		.where('post.deleted_at', 'is', null)
		.where('post.visibility', '=', 'visible')
		.$asScalar()
		.$notNull()
		.as('ideaCount');
}

function selectProducts(db: Db) {
	return db
		.selectFrom('product')
		.select((eb) => [
			'product.id',
			'product.name',
			'product.slug',
			'product.description',
			'product.archived_at as archivedAt',
			'product.created_at as createdAt',
			'product.updated_at as updatedAt',
			ideaCount(eb)
		]);
}

/** Every product, archived ones included (after the others), for the admins' catalog. */
export async function listAllProducts(db: Db): Promise<Product[]> {
	return selectProducts(db)
		.orderBy(sql`product.archived_at is not null`)
		.orderBy(sql`lower(product.name)`)
		.orderBy('product.id')
		.execute();
}

export async function getProductBySlug(db: Db, slug: string): Promise<Product | undefined> {
	return selectProducts(db).where('product.slug', '=', slug).executeTakeFirst();
}

async function getProductById(db: Db, id: number): Promise<Product | undefined> {
	return selectProducts(db).where('product.id', '=', id).executeTakeFirst();
}

export type ProductFieldErrors = Partial<Record<keyof ProductInput, string>>;

export type SaveProductResult =
	| { ok: true; product: Product }
	| { ok: false; reason: 'forbidden' | 'not_found' }
	| { ok: false; reason: 'invalid'; errors: ProductFieldErrors };

/** Names are compared without regard to case, so "Mobile app" and "mobile App" cannot coexist. */
async function takenFields(
	trx: Db,
	input: Pick<ProductInput, 'name' | 'slug'>,
	exceptId?: number
): Promise<ProductFieldErrors> {
	let query = trx
		.selectFrom('product')
		.select(['name', 'slug'])
		.where((eb) =>
			eb.or([eb(sql`lower(name)`, '=', input.name.toLowerCase()), eb('slug', '=', input.slug)])
		);
	if (exceptId !== undefined) {
		query = query.where('id', '<>', exceptId);
	}
	const rows = await query.execute();
	const errors: ProductFieldErrors = {};
	if (rows.some((row) => row.name.toLowerCase() === input.name.toLowerCase())) {
		errors.name = m.ideas_product_name_taken();
	}
	if (rows.some((row) => row.slug === input.slug)) {
		errors.slug = m.ideas_product_slug_taken();
	}
	return errors;
}

const takenSlug = (): SaveProductResult => ({
	ok: false,
	reason: 'invalid',
	errors: { slug: m.ideas_product_slug_taken() }
});

/** An admin adds a product; recorded in the audit log. */
export async function createProduct(
	db: Db,
	actor: Actor,
	input: ProductInput
): Promise<SaveProductResult> {
	const admin = catalogManager(actor);
	if (!admin) {
		return { ok: false, reason: 'forbidden' };
	}
	try {
		return await db.transaction().execute(async (trx): Promise<SaveProductResult> => {
			await lockCatalog(trx, 'product');
			const errors = await takenFields(trx, input);
			if (Object.keys(errors).length > 0) {
				return { ok: false, reason: 'invalid', errors };
			}
			const { id } = await trx
				.insertInto('product')
				.values({ name: input.name, slug: input.slug, description: input.description })
				.returning('id')
				.executeTakeFirstOrThrow();
			await recordAudit(trx, admin, {
				action: 'product.created',
				targetType: 'product',
				targetId: id,
				details: { name: input.name, slug: input.slug }
			});
			return { ok: true, product: (await getProductById(trx, id))! };
		});
	} catch (error) {
		// Only a writer outside this module (the seed) can get past the lock; its row wins.
		if (isUniqueViolation(error)) {
			return takenSlug();
		}
		throw error;
	}
}

/** An admin changes a product's name, slug or description; each change is audited. */
export async function updateProduct(
	db: Db,
	actor: Actor,
	productId: number,
	input: ProductInput
): Promise<SaveProductResult> {
	const admin = catalogManager(actor);
	if (!admin) {
		return { ok: false, reason: 'forbidden' };
	}
	try {
		return await db.transaction().execute(async (trx): Promise<SaveProductResult> => {
			await lockCatalog(trx, 'product');
			const current = await trx
				.selectFrom('product')
				.select(['id', 'name', 'slug', 'description'])
				.where('id', '=', productId)
				.forUpdate()
				.executeTakeFirst();
			if (!current) {
				return { ok: false, reason: 'not_found' };
			}
			const errors = await takenFields(trx, input, productId);
			if (Object.keys(errors).length > 0) {
				return { ok: false, reason: 'invalid', errors };
			}
			const changes: Record<string, { from: string; to: string }> = {};
			for (const field of PRODUCT_FIELDS) {
				if (current[field] !== input[field]) {
					changes[field] = { from: current[field], to: input[field] };
				}
			}
			if (Object.keys(changes).length > 0) {
				await trx
					.updateTable('product')
					.set({
						name: input.name,
						slug: input.slug,
						description: input.description,
						updated_at: sql<Date>`now()`
					})
					.where('id', '=', productId)
					.execute();
				await recordAudit(trx, admin, {
					action: 'product.updated',
					targetType: 'product',
					targetId: productId,
					details: { name: input.name, changes }
				});
			}
			return { ok: true, product: (await getProductById(trx, productId))! };
		});
	} catch (error) {
		if (isUniqueViolation(error)) {
			return takenSlug();
		}
		throw error;
	}
}

export type ArchiveProductResult =
	{ ok: true; product: Product } | { ok: false; reason: 'forbidden' | 'not_found' };

/**
 * An admin archives a product (it takes no new ideas and leaves the public list; its ideas stay
 * readable) or restores it. Doing what is already done changes and records nothing.
 */
export async function setProductArchived(
	db: Db,
	actor: Actor,
	productId: number,
	archived: boolean
): Promise<ArchiveProductResult> {
	const admin = catalogManager(actor);
	if (!admin) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<ArchiveProductResult> => {
		const current = await trx
			.selectFrom('product')
			.select(['id', 'name', 'archived_at'])
			.where('id', '=', productId)
			.forUpdate()
			.executeTakeFirst();
		if (!current) {
			return { ok: false, reason: 'not_found' };
		}
		if ((current.archived_at !== null) !== archived) {
			await trx
				.updateTable('product')
				.set({ archived_at: archived ? sql<Date>`now()` : null, updated_at: sql<Date>`now()` })
				.where('id', '=', productId)
				.execute();
			await recordAudit(trx, admin, {
				action: archived ? 'product.archived' : 'product.restored',
				targetType: 'product',
				targetId: productId,
				details: { name: current.name }
			});
		}
		return { ok: true, product: (await getProductById(trx, productId))! };
	});
}
