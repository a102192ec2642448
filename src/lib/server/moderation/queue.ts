// The review queue: flagged items and items awaiting approval, oldest first, and the decisions a
// moderator takes on them. Each decision resolves the item's open flags, writes the audit log and
// tells the author and the flaggers, in one transaction.
import { sql } from 'kysely';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { formatNumber } from '$lib/i18n/format';
import { COMMENT_MAX, IDEA_BODY_MAX, IDEA_TITLE_MAX } from '$lib/domain/ideas';
import {
	FLAG_REASONS,
	MODERATION_REASON_MAX,
	type FlagReason,
	type ModerationAction,
	type ModerationDecision,
	type Visibility
} from '$lib/domain/moderation';
import type { Role } from '$lib/domain/roles';
import type { Db } from '../db';
import type { FlagDecision, PostKind } from '../db/schema';
import { recordAudit } from '../audit';
import { renderMarkdown, extractMentions } from '../markdown';
import { notifyCommentPosted } from '../notifications';
import { canModerateItem, type Actor } from '../policy';
import { itemPath, loadItem, notifyModeration, recountComments, type ItemRef } from './items';

export const QUEUE_PAGE_SIZE = 50;

export interface QueueFlag {
	reason: FlagReason;
	note: string | null;
	flagger: string;
	at: Date;
}

export interface QueueItem {
	type: 'post' | 'comment';
	id: number;
	postKind: PostKind;
	title: string;
	path: string;
	bodyHtml: string;
	bodySource: string;
	author: { handle: string; displayName: string; role: Role };
	visibility: Visibility;
	hiddenReason: string | null;
	createdAt: Date;
	/** Since when it waits: its oldest open flag, or its posting when it awaits approval. */
	since: Date;
	flags: QueueFlag[];
	/** Open flags per reason. */
	counts: Partial<Record<FlagReason, number>>;
	/** Whether the viewer may decide on it (moderators cannot act on moderators or admins). */
	canDecide: boolean;
}

function openFlagSince(column: 'post_id' | 'comment_id', ref: 'post.id' | 'comment.id') {
	return sql<Date | null>`(select min(f.created_at) from flag f where f.${sql.ref(column)} = ${sql.ref(ref)} and f.resolved_at is null)`;
}

/** The queue, oldest first. Deleted items leave it (their flags are resolved when deleted). */
export async function listQueue(db: Db, actor: Actor): Promise<QueueItem[]> {
	const postSince = openFlagSince('post_id', 'post.id');
	const posts = await db
		.selectFrom('post')
		.innerJoin('app_user', 'app_user.id', 'post.author_id')
		.select([
			'post.id',
			'post.kind',
			'post.title',
			'post.body_html',
			'post.body_source',
			'post.visibility',
			'post.hidden_reason',
			'post.created_at',
			'post.author_id',
			'app_user.handle',
			'app_user.display_name',
			'app_user.role',
			postSince.as('flagged_since')
		])
		.where('post.deleted_at', 'is', null)
		.where((eb) => eb.or([eb('post.visibility', '=', 'pending'), eb(postSince, 'is not', null)]))
		.orderBy(sql`coalesce(${postSince}, post.created_at)`)
		.limit(QUEUE_PAGE_SIZE)
		.execute();
	const commentSince = openFlagSince('comment_id', 'comment.id');
	const comments = await db
		.selectFrom('comment')
		.innerJoin('post', 'post.id', 'comment.post_id')
		.innerJoin('app_user', 'app_user.id', 'comment.author_id')
		.select([
			'comment.id',
			'comment.post_id',
			'post.kind',
			'post.title',
			'comment.body_html',
			'comment.body_source',
			'comment.visibility',
			'comment.hidden_reason',
			'comment.created_at',
			'comment.author_id',
			'app_user.handle',
			'app_user.display_name',
			'app_user.role',
			commentSince.as('flagged_since')
		])
		.where('comment.deleted_at', 'is', null)
		.where('post.deleted_at', 'is', null)
		.where('comment.is_internal', '=', false)
		.where((eb) =>
			eb.or([eb('comment.visibility', '=', 'pending'), eb(commentSince, 'is not', null)])
		)
		.orderBy(sql`coalesce(${commentSince}, comment.created_at)`)
		.limit(QUEUE_PAGE_SIZE)
		.execute();

	const flags = await db
		.selectFrom('flag')
		.innerJoin('app_user', 'app_user.id', 'flag.flagger_id')
		.select([
			'flag.post_id',
			'flag.comment_id',
			'flag.reason',
			'flag.note',
			'flag.created_at',
			'app_user.handle'
		])
		.where('flag.resolved_at', 'is', null)
		.where((eb) =>
			eb.or([
				eb('flag.post_id', 'in', [0, ...posts.map((p) => p.id)]),
				eb('flag.comment_id', 'in', [0, ...comments.map((c) => c.id)])
			])
		)
		.orderBy('flag.created_at')
		.execute();
	const flagsOf = (type: 'post' | 'comment', id: number): QueueFlag[] =>
		flags
			.filter((f) => (type === 'post' ? f.post_id === id : f.comment_id === id))
			.map((f) => ({ reason: f.reason, note: f.note, flagger: f.handle, at: f.created_at }));

	const items: QueueItem[] = [
		...posts.map((p) => ({ ...p, type: 'post' as const, postId: p.id })),
		...comments.map((c) => ({ ...c, type: 'comment' as const, postId: c.post_id }))
	].map((row) => {
		const itemFlags = flagsOf(row.type, row.id);
		const counts: Partial<Record<FlagReason, number>> = {};
		for (const f of itemFlags) {
			counts[f.reason] = (counts[f.reason] ?? 0) + 1;
		}
		return {
			type: row.type,
			id: row.id,
			postKind: row.kind,
			title: row.title,
			path: itemPath({
				type: row.type,
				id: row.id,
				postKind: row.kind,
				postId: row.postId,
				postTitle: row.title
			}),
			bodyHtml: row.body_html,
			bodySource: row.body_source,
			author: { handle: row.handle, displayName: row.display_name, role: row.role },
			visibility: row.visibility,
			hiddenReason: row.hidden_reason,
			createdAt: row.created_at,
			since: row.flagged_since ?? row.created_at,
			flags: itemFlags,
			counts,
			canDecide: canModerateItem(actor, { authorId: row.author_id, authorRole: row.role }, 'keep')
		};
	});
	return items.sort((a, b) => a.since.getTime() - b.since.getTime() || a.id - b.id);
}

/** How many items wait: for the nav badge and the queue's heading. */
export async function queueSize(db: Db): Promise<number> {
	const { n } = await db
		.selectNoFrom((eb) => [
			sql<number>`(select count(*) from post p where p.deleted_at is null and (p.visibility = 'pending'
				or exists (select 1 from flag f where f.post_id = p.id and f.resolved_at is null)))
				+ (select count(*) from comment c where c.deleted_at is null and (c.visibility = 'pending'
				or exists (select 1 from flag f where f.comment_id = c.id and f.resolved_at is null)))`.as('n'),
			eb.val(1).as('one')
		])
		.executeTakeFirstOrThrow();
	return Number(n);
}

const reasonText = z
	.string()
	.trim()
	.max(MODERATION_REASON_MAX, {
		error: () => m.mod_reason_too_long({ max: MODERATION_REASON_MAX })
	});

export const decisionSchema = z.discriminatedUnion('action', [
	z.object({ action: z.literal('keep'), reason: reasonText.optional() }),
	z.object({ action: z.literal('approve'), reason: reasonText.optional() }),
	z.object({
		action: z.literal('hide'),
		reason: reasonText.min(1, { error: () => m.mod_hide_reason_required() })
	}),
	z.object({ action: z.literal('delete'), reason: reasonText.optional() }),
	z.object({
		action: z.literal('edit'),
		reason: reasonText.optional(),
		title: z
			.string()
			.trim()
			.max(IDEA_TITLE_MAX, { error: () => m.mod_at_most_characters({ max: IDEA_TITLE_MAX }) })
			.optional(),
		body: z
			.string({ error: () => m.mod_text_empty() })
			.trim()
			.min(1, { error: () => m.mod_text_empty() })
			.max(IDEA_BODY_MAX, {
				error: () => m.mod_at_most_characters({ max: formatNumber(IDEA_BODY_MAX) })
			})
	})
]);
export type DecisionInput = z.output<typeof decisionSchema>;

export type DecideResult =
	| { ok: true; decision: ModerationDecision; path: string }
	| { ok: false; reason: 'not_found' | 'forbidden' | 'not_pending' }
	| { ok: false; reason: 'invalid'; errors: Partial<Record<'title' | 'body' | 'reason', string>> };

const DECISION: Record<ModerationAction, ModerationDecision> = {
	keep: 'kept',
	approve: 'approved',
	hide: 'hidden',
	delete: 'deleted',
	edit: 'edited'
};

/** A moderator decides on an item: the item changes, its flags close, people hear of it. */
export async function decide(
	db: Db,
	actor: Actor,
	ref: ItemRef,
	input: DecisionInput
): Promise<DecideResult> {
	return db.transaction().execute(async (trx): Promise<DecideResult> => {
		const item = await loadItem(trx, ref, { lock: true });
		if (!item || item.deleted) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canModerateItem(actor, item, input.action)) {
			return { ok: false, reason: 'forbidden' };
		}
		if (input.action === 'approve' && item.visibility !== 'pending') {
			return { ok: false, reason: 'not_pending' };
		}
		const table = ref.type === 'post' ? 'post' : 'comment';
		const reason = input.reason ? input.reason : null;
		const now = new Date();
		const details: Record<string, unknown> = { kind: item.postKind, before: item.visibility };

		switch (input.action) {
			case 'keep':
			case 'approve':
				await trx
					.updateTable(table)
					.set({ visibility: 'visible', hidden_reason: null })
					.where('id', '=', ref.id)
					.execute();
				break;
			case 'hide':
				await trx
					.updateTable(table)
					.set({ visibility: 'hidden', hidden_reason: reason })
					.where('id', '=', ref.id)
					.execute();
				break;
			case 'delete':
				await trx.updateTable(table).set({ deleted_at: now }).where('id', '=', ref.id).execute();
				break;
			case 'edit': {
				const errors: Partial<Record<'title' | 'body', string>> = {};
				if (ref.type === 'comment' && input.body.length > COMMENT_MAX) {
					errors.body = m.mod_at_most_characters({ max: formatNumber(COMMENT_MAX) });
				}
				if (ref.type === 'post' && !input.title) {
					errors.title = m.mod_title_empty();
				}
				if (Object.keys(errors).length > 0) {
					return { ok: false, reason: 'invalid', errors };
				}
				details.previous = {
					...(ref.type === 'post' ? { title: item.postTitle } : {}),
					body: item.bodySource
				};
				const body = { body_source: input.body, body_html: renderMarkdown(input.body) };
				if (ref.type === 'post') {
					await trx
						.updateTable('post')
						.set({
							...body,
							title: input.title!,
							edited_at: now,
							visibility: 'visible',
							hidden_reason: null
						})
						.where('id', '=', ref.id)
						.execute();
				} else {
					await trx
						.updateTable('comment')
						.set({ ...body, edited_at: now, visibility: 'visible', hidden_reason: null })
						.where('id', '=', ref.id)
						.execute();
				}
				break;
			}
		}
		if (ref.type === 'comment') {
			await recountComments(trx, item.postId);
		}
		// A comment held for approval told nobody yet: now it does, as if just posted.
		if (input.action === 'approve' && ref.type === 'comment') {
			const row = await trx
				.selectFrom('comment')
				.leftJoin('comment as parent', 'parent.id', 'comment.parent_id')
				.select(['parent.author_id as parent_author_id', 'comment.body_source'])
				.where('comment.id', '=', ref.id)
				.executeTakeFirstOrThrow();
			await notifyCommentPosted(trx, {
				postId: item.postId,
				commentId: ref.id,
				actorId: item.authorId,
				parentAuthorId: row.parent_author_id,
				mentions: extractMentions(row.body_source)
			});
		}

		const decision = DECISION[input.action];
		const column = ref.type === 'post' ? 'post_id' : 'comment_id';
		const resolved = await trx
			.updateTable('flag')
			.set({
				resolved_at: now,
				resolved_by_id: actor.id,
				decision: (decision === 'approved' ? 'kept' : decision) as FlagDecision
			})
			.where(column, '=', ref.id)
			.where('resolved_at', 'is', null)
			.returning('flagger_id')
			.execute();
		details.flags = resolved.length;
		await recordAudit(trx, actor as Extract<Actor, { kind: 'user' }>, {
			action: `moderation.${input.action}`,
			targetType: ref.type,
			targetId: ref.id,
			reason,
			details
		});
		const flaggers = [...new Set(resolved.map((r) => r.flagger_id))];
		// The author hears of every decision but a plain "keep" of an item they never lost.
		const tellAuthor = input.action !== 'keep' || item.visibility !== 'visible';
		await notifyModeration(
			trx,
			item,
			[
				...(tellAuthor ? [{ userId: item.authorId, role: 'author' as const }] : []),
				...flaggers
					.filter((id) => id !== item.authorId)
					.map((userId) => ({ userId, role: 'flagger' as const }))
			],
			{ decision, reason: input.action === 'hide' ? reason : undefined }
		);
		return { ok: true, decision, path: itemPath(item) };
	});
}

export const DECISION_FIELDS = ['action', 'reason', 'title', 'body'] as const;
export { FLAG_REASONS };
