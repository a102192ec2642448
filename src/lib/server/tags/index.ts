// Tags: labels across products that ideas carry, which admins create, rename and archive.
import { sql, type ExpressionBuilder } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db';
import type { Database } from '../db/schema';
import { recordAudit } from '../audit';
import { m } from '$lib/paraglide/messages';
import { requiredField } from '../ideas/fields';
import type { Actor } from '../policy';
import { catalogManager, isUniqueViolation, lockCatalog, slugText, withSlug } from '../products';

export const TAG_NAME_MAX = 40;
export const TAG_SLUG_MAX = 40;

export const tagSchema = z
	.object({
		name: requiredField(m.ideas_tag_name_missing).max(TAG_NAME_MAX, {
			error: () => m.ideas_name_too_long({ max: TAG_NAME_MAX })
		}),
		slug: slugText(TAG_SLUG_MAX)
	})
	.transform(withSlug(TAG_SLUG_MAX));
export const TAG_FIELDS = ['name', 'slug'] as const;
export type TagInput = z.output<typeof tagSchema>;

export interface Tag {
	id: number;
	name: string;
	slug: string;
	archivedAt: Date | null;
	createdAt: Date;
	/** Ideas carrying the tag, deleted ones left out. */
	ideaCount: number;
}

function ideaCount(eb: ExpressionBuilder<Database, 'tag'>) {
	return eb
		.selectFrom('post_tag')
		.innerJoin('post', 'post.id', 'post_tag.post_id')
		.select((sub) => sub.fn.countAll<number>().as('n'))
		.whereRef('post_tag.tag_id', '=', 'tag.id')
		.where('post.kind', '=', 'idea')
		.where('post.deleted_at', 'is', null)
		.where('post.visibility', '=', 'visible')
		.$asScalar()
		.$notNull()
		.as('ideaCount');
}

function selectTags(db: Db) {
	return db
		.selectFrom('tag')
		.select((eb) => [
			'tag.id',
			'tag.name',
			'tag.slug',
			'tag.archived_at as archivedAt',
			'tag.created_at as createdAt',
			ideaCount(eb)
		]);
}

/** Tags by name; archived ones only when asked for (then after the others). */
export async function listTags(
	db: Db,
	options: { includeArchived?: boolean } = {}
): Promise<Tag[]> {
	let query = selectTags(db);
	if (!options.includeArchived) {
		query = query.where('tag.archived_at', 'is', null);
	}
	return query
		.orderBy(sql`tag.archived_at is not null`)
		.orderBy(sql`lower(tag.name)`)
		.orderBy('tag.id')
		.execute();
}

async function getTagById(db: Db, id: number): Promise<Tag | undefined> {
	return selectTags(db).where('tag.id', '=', id).executeTakeFirst();
}

export type TagFieldErrors = Partial<Record<keyof TagInput, string>>;

export type SaveTagResult =
	| { ok: true; tag: Tag }
	| { ok: false; reason: 'forbidden' | 'not_found' }
	| { ok: false; reason: 'invalid'; errors: TagFieldErrors };

export type ArchiveTagResult =
	{ ok: true; tag: Tag } | { ok: false; reason: 'forbidden' | 'not_found' };

/** Names are compared without regard to case: "Bug" and "bug" would be one tag to a reader. */
async function takenFields(trx: Db, input: TagInput, exceptId?: number): Promise<TagFieldErrors> {
	let query = trx
		.selectFrom('tag')
		.select(['name', 'slug'])
		.where((eb) =>
			eb.or([eb(sql`lower(name)`, '=', input.name.toLowerCase()), eb('slug', '=', input.slug)])
		);
	if (exceptId !== undefined) {
		query = query.where('id', '<>', exceptId);
	}
	const rows = await query.execute();
	const errors: TagFieldErrors = {};
	if (rows.some((row) => row.name.toLowerCase() === input.name.toLowerCase())) {
		errors.name = m.ideas_tag_name_taken();
	}
	if (rows.some((row) => row.slug === input.slug)) {
		errors.slug = m.ideas_tag_slug_taken();
	}
	return errors;
}

const takenSlug = (): SaveTagResult => ({
	ok: false,
	reason: 'invalid',
	errors: { slug: m.ideas_tag_slug_taken() }
});

/** An admin adds a tag; recorded in the audit log. */
export async function createTag(db: Db, actor: Actor, input: TagInput): Promise<SaveTagResult> {
	const admin = catalogManager(actor);
	if (!admin) {
		return { ok: false, reason: 'forbidden' };
	}
	try {
		return await db.transaction().execute(async (trx): Promise<SaveTagResult> => {
			await lockCatalog(trx, 'tag');
			const errors = await takenFields(trx, input);
			if (Object.keys(errors).length > 0) {
				return { ok: false, reason: 'invalid', errors };
			}
			const { id } = await trx
				.insertInto('tag')
				.values({ name: input.name, slug: input.slug })
				.returning('id')
				.executeTakeFirstOrThrow();
			await recordAudit(trx, admin, {
				action: 'tag.created',
				targetType: 'tag',
				targetId: id,
				details: { name: input.name, slug: input.slug }
			});
			return { ok: true, tag: (await getTagById(trx, id))! };
		});
	} catch (error) {
		// Only a writer outside this module (the seed) can get past the lock; its row wins.
		if (isUniqueViolation(error)) {
			return takenSlug();
		}
		throw error;
	}
}

/** An admin renames a tag or changes its slug; recorded in the audit log. */
export async function updateTag(
	db: Db,
	actor: Actor,
	tagId: number,
	input: TagInput
): Promise<SaveTagResult> {
	const admin = catalogManager(actor);
	if (!admin) {
		return { ok: false, reason: 'forbidden' };
	}
	try {
		return await db.transaction().execute(async (trx): Promise<SaveTagResult> => {
			await lockCatalog(trx, 'tag');
			const current = await trx
				.selectFrom('tag')
				.select(['id', 'name', 'slug'])
				.where('id', '=', tagId)
				.forUpdate()
				.executeTakeFirst();
			if (!current) {
				return { ok: false, reason: 'not_found' };
			}
			const errors = await takenFields(trx, input, tagId);
			if (Object.keys(errors).length > 0) {
				return { ok: false, reason: 'invalid', errors };
			}
			const changes: Record<string, { from: string; to: string }> = {};
			for (const field of TAG_FIELDS) {
				if (current[field] !== input[field]) {
					changes[field] = { from: current[field], to: input[field] };
				}
			}
			if (Object.keys(changes).length > 0) {
				await trx
					.updateTable('tag')
					.set({ name: input.name, slug: input.slug })
					.where('id', '=', tagId)
					.execute();
				await recordAudit(trx, admin, {
					action: 'tag.updated',
					targetType: 'tag',
					targetId: tagId,
					details: { name: input.name, changes }
				});
			}
			return { ok: true, tag: (await getTagById(trx, tagId))! };
		});
	} catch (error) {
		if (isUniqueViolation(error)) {
			return takenSlug();
		}
		throw error;
	}
}

/**
 * An admin archives a tag (it can no longer be put on ideas; ideas that carry it keep it) or
 * restores it. Doing what is already done changes and records nothing.
 */
export async function setTagArchived(
	db: Db,
	actor: Actor,
	tagId: number,
	archived: boolean
): Promise<ArchiveTagResult> {
	const admin = catalogManager(actor);
	if (!admin) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<ArchiveTagResult> => {
		const current = await trx
			.selectFrom('tag')
			.select(['id', 'name', 'archived_at'])
			.where('id', '=', tagId)
			.forUpdate()
			.executeTakeFirst();
		if (!current) {
			return { ok: false, reason: 'not_found' };
		}
		if ((current.archived_at !== null) !== archived) {
			await trx
				.updateTable('tag')
				.set({ archived_at: archived ? sql<Date>`now()` : null })
				.where('id', '=', tagId)
				.execute();
			await recordAudit(trx, admin, {
				action: archived ? 'tag.archived' : 'tag.restored',
				targetType: 'tag',
				targetId: tagId,
				details: { name: current.name }
			});
		}
		return { ok: true, tag: (await getTagById(trx, tagId))! };
	});
}
