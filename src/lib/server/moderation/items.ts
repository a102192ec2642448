// What moderation acts on: any post (idea, review, discussion: one table, `kind`) or any comment.
// One loader and one address function, so flags and the queue treat every kind alike.
import { createNotifications } from '../notifications';
import { postPath } from '$lib/domain/posts';
import { sql } from 'kysely';
import type { Visibility } from '$lib/domain/moderation';
import type { Role } from '$lib/domain/roles';
import type { Db } from '../db';
import type { PostKind } from '../db/schema';

export type ItemType = 'post' | 'comment';

export interface ItemRef {
	type: ItemType;
	id: number;
}

export interface ModerationItem extends ItemRef {
	/** The post itself, or the post the comment is on. */
	postId: number;
	postKind: PostKind;
	postTitle: string;
	authorId: number;
	authorRole: Role;
	visibility: Visibility;
	hiddenReason: string | null;
	deleted: boolean;
	bodySource: string;
}

export { postPath };

export function itemPath(
	item: Pick<ModerationItem, 'type' | 'id' | 'postKind' | 'postId' | 'postTitle'>
) {
	const path = postPath(item.postKind, { id: item.postId, title: item.postTitle });
	return item.type === 'post' ? path : `${path}#comment-${item.id}`;
}

/**
 * Loads a post or comment with its author's role. With `lock`, the item's row is locked until the
 * transaction ends: flags and decisions on one item then happen one after the other.
 */
export async function loadItem(
	db: Db,
	ref: ItemRef,
	options: { lock?: boolean } = {}
): Promise<ModerationItem | undefined> {
	if (ref.type === 'post') {
		if (options.lock) {
			await sql`select id from post where id = ${ref.id} for update`.execute(db);
		}
		const row = await db
			.selectFrom('post')
			.innerJoin('app_user', 'app_user.id', 'post.author_id')
			.select([
				'post.id',
				'post.kind',
				'post.title',
				'post.author_id',
				'post.visibility',
				'post.hidden_reason',
				'post.deleted_at',
				'post.body_source',
				'app_user.role'
			])
			.where('post.id', '=', ref.id)
			.executeTakeFirst();
		return row
			? {
					type: 'post',
					id: row.id,
					postId: row.id,
					postKind: row.kind,
					postTitle: row.title,
					authorId: row.author_id,
					authorRole: row.role,
					visibility: row.visibility,
					hiddenReason: row.hidden_reason,
					deleted: row.deleted_at !== null,
					bodySource: row.body_source
				}
			: undefined;
	}
	if (options.lock) {
		await sql`select id from comment where id = ${ref.id} for update`.execute(db);
	}
	const row = await db
		.selectFrom('comment')
		.innerJoin('post', 'post.id', 'comment.post_id')
		.innerJoin('app_user', 'app_user.id', 'comment.author_id')
		.select([
			'comment.id',
			'comment.post_id',
			'post.kind',
			'post.title',
			'comment.author_id',
			'comment.visibility',
			'comment.hidden_reason',
			'comment.deleted_at',
			'post.deleted_at as post_deleted_at',
			'comment.body_source',
			'app_user.role'
		])
		.where('comment.id', '=', ref.id)
		.where('comment.is_internal', '=', false)
		.executeTakeFirst();
	return row
		? {
				type: 'comment',
				id: row.id,
				postId: row.post_id,
				postKind: row.kind,
				postTitle: row.title,
				authorId: row.author_id,
				authorRole: row.role,
				visibility: row.visibility,
				hiddenReason: row.hidden_reason,
				deleted: row.deleted_at !== null || row.post_deleted_at !== null,
				bodySource: row.body_source
			}
		: undefined;
}

/**
 * `post.comment_count` counts the comments everyone sees: visible and not deleted. Recounted
 * whenever a comment's visibility changes, so hiding and approving keep it exact.
 */
export async function recountComments(trx: Db, postId: number): Promise<void> {
	await trx
		.updateTable('post')
		.set({
			comment_count: sql`(select count(*) from comment c where c.post_id = ${postId}
				and c.deleted_at is null and c.visibility = 'visible' and not c.is_internal)`
		})
		.where('id', '=', postId)
		.execute();
}

/** The moderation notification (kind 'moderation'; data per the shared contract). */
export async function notifyModeration(
	trx: Db,
	item: Pick<ModerationItem, 'type' | 'id' | 'postId'>,
	recipients: { userId: number; role: 'author' | 'flagger' }[],
	data: { decision: string; reason?: string | null }
): Promise<void> {
	await createNotifications(
		trx,
		recipients.map((r) => ({
			userId: r.userId,
			kind: 'moderation' as const,
			postId: item.postId,
			commentId: item.type === 'comment' ? item.id : null,
			actorId: null,
			data: {
				decision: data.decision,
				...(data.reason ? { reason: data.reason } : {}),
				role: r.role
			}
		}))
	);
}
