// What the discussion rules need to know about a thread, loaded in one query (optionally
// locking the thread's row, so a reply and a moderator's lock cannot pass each other).
import { discussionPath } from '$lib/domain/discussions';
import type { Db } from '../db';
import type { ThreadFacts } from '../policy';

export interface ThreadRecord extends ThreadFacts {
	id: number;
	title: string;
	path: string;
	categoryId: number;
	productId: number | null;
	acceptedCommentId: number | null;
	pinned: boolean;
	visible: boolean;
}

export async function loadThreadFacts(
	db: Db,
	postId: number,
	options: { forUpdate?: boolean } = {}
): Promise<ThreadRecord | undefined> {
	let query = db
		.selectFrom('post')
		.innerJoin('discussion as d', 'd.post_id', 'post.id')
		.select([
			'post.id',
			'post.title',
			'post.author_id',
			'post.product_id',
			'post.deleted_at',
			'post.visibility',
			'd.category_id',
			'd.is_question',
			'd.accepted_comment_id',
			'd.pinned_at',
			'd.locked_at',
			'd.closed_at'
		])
		.where('post.id', '=', postId)
		.where('post.kind', '=', 'discussion');
	if (options.forUpdate) {
		query = query.forUpdate('d');
	}
	const row = await query.executeTakeFirst();
	if (!row) {
		return undefined;
	}
	return {
		id: row.id,
		title: row.title,
		path: discussionPath(row),
		authorId: row.author_id,
		productId: row.product_id,
		categoryId: row.category_id,
		deleted: row.deleted_at !== null,
		visible: row.visibility === 'visible',
		isQuestion: row.is_question,
		acceptedCommentId: row.accepted_comment_id,
		pinned: row.pinned_at !== null,
		locked: row.locked_at !== null,
		closed: row.closed_at !== null
	};
}
