// Discussion categories: the admins create, edit, order and archive them; each may be tied to a
// product. Every change is audit-logged.
import { sql } from 'kysely';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { recordAudit } from '../audit';
import { canManageCategories, type Actor } from '../policy';
import { isUniqueViolation, slugText, withSlug } from '../products';

export const CATEGORY_NAME_MAX = 60;
export const CATEGORY_SLUG_MAX = 60;
export const CATEGORY_DESCRIPTION_MAX = 500;

/** A required text field; its message is read per request, in the reader's language. */
function requiredText(missing: () => string) {
	const error = () => missing();
	return z.string({ error }).trim().min(1, { error });
}

export const categorySchema = z
	.object({
		name: requiredText(m.discussions_category_name_missing).max(CATEGORY_NAME_MAX, {
			error: () => m.discussions_category_name_too_long({ max: CATEGORY_NAME_MAX })
		}),
		slug: slugText(CATEGORY_SLUG_MAX),
		description: z
			.string()
			.trim()
			.max(CATEGORY_DESCRIPTION_MAX, {
				error: () => m.discussions_category_description_too_long({ max: CATEGORY_DESCRIPTION_MAX })
			})
			.default(''),
		product: z
			.string()
			.trim()
			.default('')
			.refine((v) => v === '' || /^\d{1,15}$/.test(v), {
				error: () => m.discussions_category_product_choose()
			})
			.transform((v) => (v === '' ? null : Number(v))),
		position: z
			.string()
			.trim()
			.default('')
			.refine((v) => v === '' || /^-?\d{1,6}$/.test(v), {
				error: () => m.discussions_category_position_number()
			})
			.transform((v) => (v === '' ? 0 : Number(v)))
	})
	.transform(withSlug(CATEGORY_SLUG_MAX));
export const CATEGORY_FIELDS = ['name', 'slug', 'description', 'product', 'position'] as const;
export type CategoryInput = z.output<typeof categorySchema>;
export type CategoryFieldErrors = Partial<Record<keyof CategoryInput | 'form', string>>;

export interface Category {
	id: number;
	name: string;
	slug: string;
	description: string;
	position: number;
	archivedAt: Date | null;
	product: { id: number; name: string; slug: string } | null;
	/** Visible threads that are not deleted. */
	threadCount: number;
}

function selectCategories(db: Db) {
	return db
		.selectFrom('discussion_category as c')
		.leftJoin('product as p', 'p.id', 'c.product_id')
		.select([
			'c.id',
			'c.name',
			'c.slug',
			'c.description',
			'c.position',
			'c.archived_at',
			'p.id as product_id',
			'p.name as product_name',
			'p.slug as product_slug',
			sql<number>`(select count(*) from discussion d join post on post.id = d.post_id
				where d.category_id = c.id and post.deleted_at is null
				and post.visibility = 'visible')`.as('thread_count')
		]);
}

type CategoryRow = Awaited<
	ReturnType<ReturnType<typeof selectCategories>['executeTakeFirstOrThrow']>
>;

function toCategory(row: CategoryRow): Category {
	return {
		id: row.id,
		name: row.name,
		slug: row.slug,
		description: row.description,
		position: row.position,
		archivedAt: row.archived_at,
		product:
			row.product_id !== null && row.product_name !== null && row.product_slug !== null
				? { id: row.product_id, name: row.product_name, slug: row.product_slug }
				: null,
		threadCount: row.thread_count
	};
}

/** Categories in the admins' order (position, then name); archived ones only when asked for. */
export async function listCategories(
	db: Db,
	options: { includeArchived?: boolean } = {}
): Promise<Category[]> {
	let query = selectCategories(db);
	if (!options.includeArchived) {
		query = query.where('c.archived_at', 'is', null);
	}
	const rows = await query
		.orderBy(sql`c.archived_at is not null`)
		.orderBy('c.position')
		.orderBy(sql`lower(c.name)`)
		.orderBy('c.id')
		.execute();
	return rows.map(toCategory);
}

export async function getCategoryBySlug(db: Db, slug: string): Promise<Category | undefined> {
	const row = await selectCategories(db).where('c.slug', '=', slug).executeTakeFirst();
	return row ? toCategory(row) : undefined;
}

async function getCategoryById(db: Db, id: number): Promise<Category | undefined> {
	const row = await selectCategories(db).where('c.id', '=', id).executeTakeFirst();
	return row ? toCategory(row) : undefined;
}

export type SaveCategoryResult =
	| { ok: true; category: Category }
	| { ok: false; reason: 'forbidden' | 'not_found' }
	| { ok: false; reason: 'invalid'; errors: CategoryFieldErrors };

async function checkInput(
	trx: Db,
	input: CategoryInput,
	exceptId?: number
): Promise<CategoryFieldErrors> {
	const errors: CategoryFieldErrors = {};
	let taken = trx
		.selectFrom('discussion_category')
		.select(['name', 'slug'])
		.where((eb) =>
			eb.or([eb(sql`lower(name)`, '=', input.name.toLowerCase()), eb('slug', '=', input.slug)])
		);
	if (exceptId !== undefined) {
		taken = taken.where('id', '<>', exceptId);
	}
	const rows = await taken.execute();
	if (rows.some((row) => row.name.toLowerCase() === input.name.toLowerCase())) {
		errors.name = m.discussions_category_name_taken();
	}
	if (rows.some((row) => row.slug === input.slug)) {
		errors.slug = m.discussions_category_slug_taken();
	}
	if (input.product !== null) {
		const product = await trx
			.selectFrom('product')
			.select('id')
			.where('id', '=', input.product)
			.executeTakeFirst();
		if (!product) {
			errors.product = m.discussions_category_product_choose();
		}
	}
	return errors;
}

const lock = (trx: Db) =>
	sql`select pg_advisory_xact_lock(hashtext('roundtable:catalog:discussion_category'))`.execute(
		trx
	);

const taken = (): SaveCategoryResult => ({
	ok: false,
	reason: 'invalid',
	errors: { slug: m.discussions_category_slug_taken() }
});

/** An admin creates a category (or, with `categoryId`, saves one); audit-logged. */
export async function saveCategory(
	db: Db,
	actor: Actor,
	input: CategoryInput,
	categoryId?: number
): Promise<SaveCategoryResult> {
	if (!canManageCategories(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	try {
		return await db.transaction().execute(async (trx): Promise<SaveCategoryResult> => {
			await lock(trx);
			if (categoryId !== undefined) {
				const current = await trx
					.selectFrom('discussion_category')
					.select('id')
					.where('id', '=', categoryId)
					.executeTakeFirst();
				if (!current) {
					return { ok: false, reason: 'not_found' };
				}
			}
			const errors = await checkInput(trx, input, categoryId);
			if (Object.keys(errors).length > 0) {
				return { ok: false, reason: 'invalid', errors };
			}
			const values = {
				name: input.name,
				slug: input.slug,
				description: input.description,
				product_id: input.product,
				position: input.position
			};
			let id: number;
			if (categoryId === undefined) {
				({ id } = await trx
					.insertInto('discussion_category')
					.values(values)
					.returning('id')
					.executeTakeFirstOrThrow());
			} else {
				id = categoryId;
				await trx.updateTable('discussion_category').set(values).where('id', '=', id).execute();
			}
			await recordAudit(trx, actor, {
				action: categoryId === undefined ? 'category.created' : 'category.updated',
				targetType: 'discussion_category',
				targetId: id,
				details: values
			});
			return { ok: true, category: (await getCategoryById(trx, id))! };
		});
	} catch (error) {
		if (isUniqueViolation(error)) {
			return taken();
		}
		throw error;
	}
}

/** An admin archives a category (it takes no new threads; its threads stay) or restores it. */
export async function setCategoryArchived(
	db: Db,
	actor: Actor,
	categoryId: number,
	archived: boolean
): Promise<{ ok: true; category: Category } | { ok: false; reason: 'forbidden' | 'not_found' }> {
	if (!canManageCategories(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx) => {
		const current = await trx
			.selectFrom('discussion_category')
			.select(['id', 'name', 'archived_at'])
			.where('id', '=', categoryId)
			.forUpdate()
			.executeTakeFirst();
		if (!current) {
			return { ok: false as const, reason: 'not_found' as const };
		}
		if ((current.archived_at !== null) !== archived) {
			await trx
				.updateTable('discussion_category')
				.set({ archived_at: archived ? new Date() : null })
				.where('id', '=', categoryId)
				.execute();
			await recordAudit(trx, actor, {
				action: archived ? 'category.archived' : 'category.restored',
				targetType: 'discussion_category',
				targetId: categoryId,
				details: { name: current.name }
			});
		}
		return { ok: true as const, category: (await getCategoryById(trx, categoryId))! };
	});
}
