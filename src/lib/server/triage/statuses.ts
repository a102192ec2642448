// Idea statuses as admins manage them: rename, add, reorder, choose the category, set the default,
// delete (moving the ideas in it elsewhere first). The category set is fixed, so the roadmap and
// metrics keep working whatever the names; every change is audit-logged.
import { sql } from 'kysely';
import { z } from 'zod';
import { STATUS_CATEGORIES, type StatusCategory } from '$lib/domain/ideas';
import { formatNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { recordAudit } from '../audit';
import { canManageStatuses, type Actor } from '../policy';
import { isUniqueViolation, slugText, withSlug } from '../products';

export const STATUS_NAME_MAX = 40;

/** A status category's name in the reader's language. */
export function categoryLabel(category: StatusCategory): string {
	const labels: Record<StatusCategory, () => string> = {
		open: m.staff_category_open,
		under_review: m.staff_category_under_review,
		planned: m.staff_category_planned,
		in_progress: m.staff_category_in_progress,
		done: m.staff_category_done,
		closed: m.staff_category_closed
	};
	return labels[category]();
}

/**
 * The categories' names, read per lookup (each property is a getter calling `categoryLabel`), so
 * pages that still index this map show the reader's language too. New code calls `categoryLabel`.
 */
export const CATEGORY_LABELS: Readonly<Record<StatusCategory, string>> = Object.freeze(
	Object.defineProperties(
		{},
		Object.fromEntries(
			STATUS_CATEGORIES.map((c) => [c, { get: () => categoryLabel(c), enumerable: true }])
		)
	) as Record<StatusCategory, string>
);

export const statusSchema = z
	.object({
		name: z
			.string({ error: () => m.staff_status_name_required() })
			.trim()
			.min(1, { error: () => m.staff_status_name_required() })
			.max(STATUS_NAME_MAX, {
				error: () => m.staff_status_name_too_long({ max: formatNumber(STATUS_NAME_MAX) })
			}),
		slug: slugText(STATUS_NAME_MAX),
		category: z.enum(STATUS_CATEGORIES, { error: () => m.staff_status_category_required() })
	})
	.transform(withSlug(STATUS_NAME_MAX));
export const STATUS_FIELDS = ['name', 'slug', 'category'] as const;
export type StatusInput = z.output<typeof statusSchema>;
export type StatusFieldErrors = Partial<Record<keyof StatusInput | 'form' | 'replacement', string>>;

export interface StatusRow {
	id: number;
	name: string;
	slug: string;
	category: StatusCategory;
	position: number;
	isDefault: boolean;
	/** Ideas in this status now (deleted ones included: they keep their status). */
	ideaCount: number;
}

export async function listStatuses(db: Db): Promise<StatusRow[]> {
	return db
		.selectFrom('idea_status')
		.select((eb) => [
			'idea_status.id',
			'idea_status.name',
			'idea_status.slug',
			'idea_status.category',
			'idea_status.position',
			'idea_status.is_default as isDefault',
			eb
				.selectFrom('post')
				.select((sub) => sub.fn.countAll<number>().as('n'))
				.whereRef('post.status_id', '=', 'idea_status.id')
				.$asScalar()
				.$notNull()
				.as('ideaCount')
		])
		.orderBy('idea_status.position')
		.orderBy('idea_status.id')
		.execute();
}

export type StatusResult =
	| { ok: true; status: { id: number; name: string } }
	| { ok: false; reason: 'forbidden' | 'not_found' }
	| { ok: false; reason: 'invalid'; errors: StatusFieldErrors };

/** Status writes are serialised, so "is this name free?" and positions stay true until commit. */
async function lockStatuses(trx: Db): Promise<void> {
	await sql`select pg_advisory_xact_lock(hashtext('roundtable:idea_status'))`.execute(trx);
}

async function taken(trx: Db, input: StatusInput, exceptId?: number): Promise<StatusFieldErrors> {
	let query = trx
		.selectFrom('idea_status')
		.select(['name', 'slug'])
		.where((eb) =>
			eb.or([eb(sql`lower(name)`, '=', input.name.toLowerCase()), eb('slug', '=', input.slug)])
		);
	if (exceptId !== undefined) {
		query = query.where('id', '<>', exceptId);
	}
	const rows = await query.execute();
	const errors: StatusFieldErrors = {};
	if (rows.some((r) => r.name.toLowerCase() === input.name.toLowerCase())) {
		errors.name = m.staff_status_name_taken();
	}
	if (rows.some((r) => r.slug === input.slug)) {
		errors.slug = m.staff_status_slug_taken();
	}
	return errors;
}

async function guarded(
	run: () => Promise<StatusResult>,
	onDuplicate: StatusFieldErrors
): Promise<StatusResult> {
	try {
		return await run();
	} catch (error) {
		if (isUniqueViolation(error)) {
			return { ok: false, reason: 'invalid', errors: onDuplicate };
		}
		throw error;
	}
}

export async function createStatus(
	db: Db,
	actor: Actor,
	input: StatusInput
): Promise<StatusResult> {
	if (!canManageStatuses(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return guarded(
		() =>
			db.transaction().execute(async (trx): Promise<StatusResult> => {
				await lockStatuses(trx);
				const errors = await taken(trx, input);
				if (Object.keys(errors).length > 0) {
					return { ok: false, reason: 'invalid', errors };
				}
				const last = await trx
					.selectFrom('idea_status')
					.select(sql<number>`coalesce(max(position), 0)`.as('p'))
					.executeTakeFirstOrThrow();
				const row = await trx
					.insertInto('idea_status')
					.values({ ...input, position: last.p + 1 })
					.returning(['id', 'name'])
					.executeTakeFirstOrThrow();
				await recordAudit(trx, actor, {
					action: 'status.created',
					targetType: 'idea_status',
					targetId: row.id,
					details: { ...input }
				});
				return { ok: true, status: row };
			}),
		{ slug: m.staff_status_slug_taken() }
	);
}

export async function updateStatus(
	db: Db,
	actor: Actor,
	id: number,
	input: StatusInput
): Promise<StatusResult> {
	if (!canManageStatuses(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return guarded(
		() =>
			db.transaction().execute(async (trx): Promise<StatusResult> => {
				await lockStatuses(trx);
				const before = await trx
					.selectFrom('idea_status')
					.selectAll()
					.where('id', '=', id)
					.executeTakeFirst();
				if (!before) {
					return { ok: false, reason: 'not_found' };
				}
				const errors = await taken(trx, input, id);
				if (Object.keys(errors).length > 0) {
					return { ok: false, reason: 'invalid', errors };
				}
				if (before.is_default && input.category !== 'open') {
					return {
						ok: false,
						reason: 'invalid',
						errors: {
							category: m.staff_status_default_open()
						}
					};
				}
				await trx.updateTable('idea_status').set(input).where('id', '=', id).execute();
				await recordAudit(trx, actor, {
					action: 'status.updated',
					targetType: 'idea_status',
					targetId: id,
					details: {
						before: { name: before.name, slug: before.slug, category: before.category },
						after: { ...input }
					}
				});
				return { ok: true, status: { id, name: input.name } };
			}),
		{ slug: m.staff_status_slug_taken() }
	);
}

/** Swaps a status with its neighbour above or below; at either end nothing moves. */
export async function moveStatus(
	db: Db,
	actor: Actor,
	id: number,
	direction: 'up' | 'down'
): Promise<StatusResult> {
	if (!canManageStatuses(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<StatusResult> => {
		await lockStatuses(trx);
		const all = await trx
			.selectFrom('idea_status')
			.select(['id', 'name', 'position'])
			.orderBy('position')
			.orderBy('id')
			.execute();
		const index = all.findIndex((s) => s.id === id);
		if (index < 0) {
			return { ok: false, reason: 'not_found' };
		}
		const other = direction === 'up' ? index - 1 : index + 1;
		const me = all[index]!;
		if (other < 0 || other >= all.length) {
			return { ok: true, status: { id, name: me.name } };
		}
		[all[index], all[other]] = [all[other]!, me];
		// Renumber 1..n: positions stay distinct even if they were not before.
		for (const [i, status] of all.entries()) {
			if (status.position !== i + 1) {
				await trx
					.updateTable('idea_status')
					.set({ position: i + 1 })
					.where('id', '=', status.id)
					.execute();
			}
		}
		await recordAudit(trx, actor, {
			action: 'status.moved',
			targetType: 'idea_status',
			targetId: id,
			details: { name: me.name, direction, order: all.map((s) => s.name) }
		});
		return { ok: true, status: { id, name: me.name } };
	});
}

/** New ideas start in the default status, which must be in the Open category. */
export async function setDefaultStatus(db: Db, actor: Actor, id: number): Promise<StatusResult> {
	if (!canManageStatuses(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<StatusResult> => {
		await lockStatuses(trx);
		const status = await trx
			.selectFrom('idea_status')
			.select(['id', 'name', 'category', 'is_default'])
			.where('id', '=', id)
			.executeTakeFirst();
		if (!status) {
			return { ok: false, reason: 'not_found' };
		}
		if (status.category !== 'open') {
			return {
				ok: false,
				reason: 'invalid',
				errors: {
					form: `“${status.name}” is not in the Open category: new ideas must start open, waiting for triage.`
				}
			};
		}
		if (!status.is_default) {
			await trx
				.updateTable('idea_status')
				.set({ is_default: false })
				.where('is_default', '=', true)
				.execute();
			await trx.updateTable('idea_status').set({ is_default: true }).where('id', '=', id).execute();
			await recordAudit(trx, actor, {
				action: 'status.default_set',
				targetType: 'idea_status',
				targetId: id,
				details: { name: status.name }
			});
		}
		return { ok: true, status: { id, name: status.name } };
	});
}

/**
 * Deletes a status. One that ideas are in (or that their history names) needs a replacement:
 * its ideas move there without notifications (an admin tidying names is not news for voters),
 * and history rows that named it name the replacement. The default cannot be deleted.
 */
export async function deleteStatus(
	db: Db,
	actor: Actor,
	id: number,
	replacementId: number | null
): Promise<StatusResult> {
	if (!canManageStatuses(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<StatusResult> => {
		await lockStatuses(trx);
		const status = await trx
			.selectFrom('idea_status')
			.select(['id', 'name', 'is_default'])
			.select((eb) => [
				eb
					.selectFrom('post')
					.select((sub) => sub.fn.countAll<number>().as('n'))
					.whereRef('post.status_id', '=', 'idea_status.id')
					.$asScalar()
					.$notNull()
					.as('ideas'),
				eb
					.selectFrom('status_change')
					.select((sub) => sub.fn.countAll<number>().as('n'))
					.where((w) =>
						w.or([
							w('status_change.from_status_id', '=', w.ref('idea_status.id')),
							w('status_change.to_status_id', '=', w.ref('idea_status.id'))
						])
					)
					.$asScalar()
					.$notNull()
					.as('history')
			])
			.where('id', '=', id)
			.executeTakeFirst();
		if (!status) {
			return { ok: false, reason: 'not_found' };
		}
		if (status.is_default) {
			return {
				ok: false,
				reason: 'invalid',
				errors: {
					form: `“${status.name}” is the default status: make another one the default first.`
				}
			};
		}
		const inUse = status.ideas > 0 || status.history > 0;
		let replacement: { id: number; name: string } | undefined;
		if (inUse) {
			if (replacementId === null || replacementId === id) {
				return {
					ok: false,
					reason: 'invalid',
					errors: {
						replacement: `“${status.name}” is in use (${status.ideas} ideas, ${status.history} history entries): choose the status they move to.`
					}
				};
			}
			replacement = await trx
				.selectFrom('idea_status')
				.select(['id', 'name'])
				.where('id', '=', replacementId)
				.executeTakeFirst();
			if (!replacement) {
				return {
					ok: false,
					reason: 'invalid',
					errors: { replacement: m.staff_status_replacement() }
				};
			}
			await trx
				.updateTable('post')
				.set({ status_id: replacement.id })
				.where('status_id', '=', id)
				.execute();
			await trx
				.updateTable('status_change')
				.set({ from_status_id: replacement.id })
				.where('from_status_id', '=', id)
				.execute();
			await trx
				.updateTable('status_change')
				.set({ to_status_id: replacement.id })
				.where('to_status_id', '=', id)
				.execute();
		}
		await trx.deleteFrom('idea_status').where('id', '=', id).execute();
		await recordAudit(trx, actor, {
			action: 'status.deleted',
			targetType: 'idea_status',
			targetId: id,
			details: {
				name: status.name,
				movedIdeas: status.ideas,
				replacement: replacement?.name ?? null
			}
		});
		return { ok: true, status: { id, name: status.name } };
	});
}
