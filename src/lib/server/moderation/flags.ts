// Members flag posts and comments. Once flags from distinct members reach the threshold the item
// is hidden, in the flag's own transaction, until a moderator decides in the queue.
import { sql } from 'kysely';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { FLAG_NOTE_MAX, FLAG_REASONS } from '$lib/domain/moderation';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { emitWebhookEvent } from '../webhooks';
import { canFlag, type Actor } from '../policy';
import { loadItem, notifyModeration, recountComments, type ItemRef } from './items';
import { getSiteSettings } from './settings';

export const flagSchema = z
	.object({
		reason: z.enum(FLAG_REASONS, { error: () => m.mod_flag_choose_reason() }),
		note: z
			.string()
			.trim()
			.max(FLAG_NOTE_MAX, { error: () => m.mod_flag_note_too_long({ max: FLAG_NOTE_MAX }) })
			.optional()
			.transform((v) => (v ? v : undefined))
	})
	.refine((f) => f.reason !== 'other' || f.note, {
		error: () => m.mod_flag_note_required(),
		path: ['note']
	});
/** What a flag says: why, and a note (needed for 'other'). */
export type FlagInput = { reason: z.output<typeof flagSchema>['reason']; note?: string };

export const HIDDEN_BY_FLAGS =
	'Hidden after several members flagged it. A moderator will review it soon.';

export type FlagResult =
	| { ok: true; hidden: boolean }
	| { ok: false; reason: 'not_found' | 'forbidden' | 'own' | 'already' };

function isUniqueViolation(error: unknown): boolean {
	return (error as { code?: unknown })?.code === '23505';
}

/**
 * A member flags an item once (while their flag is open). The item's row is locked first, so
 * concurrent flags are counted one after the other and the threshold hides the item exactly once.
 */
export async function flagItem(
	db: Db,
	actor: Actor,
	ref: ItemRef,
	input: FlagInput
): Promise<FlagResult> {
	try {
		return await db.transaction().execute(async (trx): Promise<FlagResult> => {
			const item = await loadItem(trx, ref, { lock: true });
			if (!item || item.deleted) {
				return { ok: false, reason: 'not_found' };
			}
			if (actor.kind === 'user' && actor.id === item.authorId) {
				return { ok: false, reason: 'own' };
			}
			if (!canFlag(actor, item)) {
				return { ok: false, reason: 'forbidden' };
			}
			const column = ref.type === 'post' ? 'post_id' : 'comment_id';
			const existing = await trx
				.selectFrom('flag')
				.select('id')
				.where(column, '=', ref.id)
				.where('flagger_id', '=', actor.id)
				.where('resolved_at', 'is', null)
				.executeTakeFirst();
			if (existing) {
				return { ok: false, reason: 'already' };
			}
			const flag = await trx
				.insertInto('flag')
				.values({
					post_id: ref.type === 'post' ? ref.id : null,
					comment_id: ref.type === 'comment' ? ref.id : null,
					flagger_id: actor.id,
					reason: input.reason,
					note: input.note ?? null
				})
				.returning(['id', 'created_at'])
				.executeTakeFirstOrThrow();
			// For moderation tools: what was flagged and why, never the note or who flagged.
			await emitWebhookEvent(trx, 'flag.created', {
				id: flag.id,
				reason: input.reason,
				target: { type: ref.type, id: ref.id, post_id: item.postId },
				created_at: flag.created_at.toISOString()
			});
			await recordActivity(trx, {
				userId: actor.id,
				kind: 'flag_raised',
				postId: item.postId,
				commentId: ref.type === 'comment' ? ref.id : null,
				data: { reason: input.reason }
			});
			const { flagThreshold } = await getSiteSettings(trx);
			const { n } = await trx
				.selectFrom('flag')
				.select(sql<number>`count(distinct flagger_id)`.as('n'))
				.where(column, '=', ref.id)
				.where('resolved_at', 'is', null)
				.executeTakeFirstOrThrow();
			if (n < flagThreshold || item.visibility !== 'visible') {
				return { ok: true, hidden: false };
			}
			const table = ref.type === 'post' ? 'post' : 'comment';
			await trx
				.updateTable(table)
				.set({ visibility: 'hidden', hidden_reason: HIDDEN_BY_FLAGS })
				.where('id', '=', ref.id)
				.execute();
			if (ref.type === 'comment') {
				await recountComments(trx, item.postId);
			}
			await notifyModeration(trx, item, [{ userId: item.authorId, role: 'author' }], {
				decision: 'hidden',
				reason: HIDDEN_BY_FLAGS
			});
			return { ok: true, hidden: true };
		});
	} catch (error) {
		// The partial unique index is the last word on "once": a race lost here is a repeat flag.
		if (isUniqueViolation(error)) {
			return { ok: false, reason: 'already' };
		}
		throw error;
	}
}

/**
 * The member's open flags on an idea and on its comments, as `openFlagsBy` gives them, read by the
 * idea's id: one statement whose size does not grow with the number of comments.
 */
export async function openFlagsOnPost(
	db: Db,
	flaggerId: number,
	postId: number
): Promise<{ posts: Set<number>; comments: Set<number> }> {
	const rows = await db
		.selectFrom('flag')
		.select(['post_id', 'comment_id'])
		.where('flagger_id', '=', flaggerId)
		.where('resolved_at', 'is', null)
		.where((eb) =>
			eb.or([
				eb('post_id', '=', postId),
				eb('comment_id', 'in', eb.selectFrom('comment').select('id').where('post_id', '=', postId))
			])
		)
		.execute();
	const result = { posts: new Set<number>(), comments: new Set<number>() };
	for (const row of rows) {
		if (row.post_id !== null) {
			result.posts.add(row.post_id);
		}
		if (row.comment_id !== null) {
			result.comments.add(row.comment_id);
		}
	}
	return result;
}

/** Whether the member has an open flag on each of these items (to show "You flagged this"). */
export async function openFlagsBy(
	db: Db,
	flaggerId: number,
	refs: { postIds: number[]; commentIds: number[] }
): Promise<{ posts: Set<number>; comments: Set<number> }> {
	const result = { posts: new Set<number>(), comments: new Set<number>() };
	if (refs.postIds.length === 0 && refs.commentIds.length === 0) {
		return result;
	}
	const rows = await db
		.selectFrom('flag')
		.select(['post_id', 'comment_id'])
		.where('flagger_id', '=', flaggerId)
		.where('resolved_at', 'is', null)
		.where((eb) =>
			eb.or([
				...(refs.postIds.length > 0 ? [eb('post_id', 'in', refs.postIds)] : []),
				...(refs.commentIds.length > 0 ? [eb('comment_id', 'in', refs.commentIds)] : [])
			])
		)
		.execute();
	for (const row of rows) {
		if (row.post_id !== null) {
			result.posts.add(row.post_id);
		}
		if (row.comment_id !== null) {
			result.comments.add(row.comment_id);
		}
	}
	return result;
}
