// Comments on ideas: posting (with replies one level deep and @mentions), editing, soft deleting,
// and the thread the idea page shows. Each write is one transaction with everything it implies.
import { sql } from 'kysely';
import { formatNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import { COMMENT_MAX, ideaPath } from '$lib/domain/ideas';
import type { Visibility } from '$lib/domain/moderation';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { offerCsat } from '../surveys';
import { emitWebhookEvent } from '../webhooks';
import { commentPayload } from '../webhooks/payloads';
import { autoFollow } from '../follows';
import { requiredField } from '../ideas/fields';
import { loadIdeaFacts } from '../ideas/facts';
import { recordFirstResponse } from '../ideas/response';
import { extractMentions, renderMarkdown } from '../markdown';
import { notifyCommentPosted, notifyMentionsAdded } from '../notifications';
import {
	canComment,
	canDeleteComment,
	canEditComment,
	canFlag,
	canModerate,
	canSeeUnlisted,
	isOfficialVoice,
	type Actor
} from '../policy';
import { recountComments } from '../moderation/items';

export const commentBodySchema = requiredField(m.ideas_comment_empty).max(COMMENT_MAX, {
	error: () => m.ideas_too_long({ max: formatNumber(COMMENT_MAX) })
});

type FieldErrors = { body?: string; parent?: string };

export type PostCommentResult =
	| { ok: true; id: number; path: string }
	| { ok: false; reason: 'not_found' | 'forbidden' | 'closed' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors };

export type ChangeCommentResult =
	| { ok: true; path: string }
	| { ok: false; reason: 'not_found' | 'forbidden' | 'deleted' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors };

function validateBody(body: string): { ok: true; body: string } | { ok: false; error: string } {
	const parsed = commentBodySchema.safeParse(body);
	return parsed.success
		? { ok: true, body: parsed.data }
		: { ok: false, error: parsed.error.issues[0]!.message };
}

function commentPath(idea: { id: number; title: string }, commentId: number): string {
	return `${ideaPath(idea)}#comment-${commentId}`;
}

/**
 * A member comments on an idea, or replies to a comment. Replies go one level deep: a reply to
 * a reply joins its thread (it is stored under the thread's first comment, whose author gets
 * the 'reply' notification). The comment, the idea's count and last activity, the commenter's
 * follow, the ledger row and the notifications are one transaction.
 */
export async function postComment(
	db: Db,
	actor: Actor,
	input: {
		postId: number;
		body: string;
		parentId?: number | null;
		/** 'pending' when moderation holds it (see checkPostingAllowed): it then tells nobody yet. */
		visibility?: Visibility;
	}
): Promise<PostCommentResult> {
	const visibility = input.visibility ?? 'visible';
	return db.transaction().execute(async (trx): Promise<PostCommentResult> => {
		const idea = await loadIdeaFacts(trx, input.postId);
		if (!idea || (idea.unlisted && !canSeeUnlisted(actor, idea))) {
			return { ok: false, reason: 'not_found' };
		}
		if (actor.kind !== 'user') {
			return { ok: false, reason: 'forbidden' };
		}
		if (!canComment(actor, idea)) {
			return { ok: false, reason: 'closed' };
		}

		const body = validateBody(input.body);
		if (!body.ok) {
			return { ok: false, reason: 'invalid', errors: { body: body.error } };
		}
		let parent: { id: number; authorId: number } | null = null;
		if (input.parentId != null) {
			const row = await trx
				.selectFrom('comment as c')
				.leftJoin('comment as top', 'top.id', 'c.parent_id')
				.select([
					'c.id',
					'c.author_id',
					'c.deleted_at',
					'top.id as top_id',
					'top.author_id as top_author_id',
					'top.deleted_at as top_deleted_at'
				])
				.where('c.id', '=', input.parentId)
				.where('c.post_id', '=', idea.id)
				.where('c.is_internal', '=', false)
				.executeTakeFirst();
			if (!row) {
				return {
					ok: false,
					reason: 'invalid',
					errors: { parent: m.ideas_reply_not_here() }
				};
			}
			parent =
				row.top_id !== null && row.top_author_id !== null
					? { id: row.top_id, authorId: row.top_author_id }
					: { id: row.id, authorId: row.author_id };
			const deleted = row.top_id !== null ? row.top_deleted_at : row.deleted_at;
			if (deleted !== null) {
				return {
					ok: false,
					reason: 'invalid',
					errors: { parent: m.ideas_reply_to_deleted() }
				};
			}
		}

		const comment = await trx
			.insertInto('comment')
			.values({
				post_id: idea.id,
				author_id: actor.id,
				parent_id: parent?.id ?? null,
				body_source: body.body,
				body_html: renderMarkdown(body.body),
				is_official: isOfficialVoice(actor),
				visibility
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		if (visibility === 'visible') {
			await trx
				.updateTable('post')
				.set({ comment_count: sql`comment_count + 1`, last_activity_at: new Date() })
				.where('id', '=', idea.id)
				.execute();
		}
		await autoFollow(trx, actor.id, idea.id);
		await recordActivity(trx, {
			userId: actor.id,
			kind: 'comment_posted',
			postId: idea.id,
			commentId: comment.id,
			productId: idea.productId,
			data: { reply: parent !== null, official: isOfficialVoice(actor) }
		});
		await emitWebhookEvent(trx, 'comment.created', () => commentPayload(trx, comment.id));
		// A held comment tells people once a moderator approves it (moderation/queue.ts).
		if (visibility === 'visible') {
			await notifyCommentPosted(trx, {
				postId: idea.id,
				commentId: comment.id,
				actorId: actor.id,
				parentAuthorId: parent?.authorId ?? null,
				mentions: extractMentions(body.body)
			});
			// Staff answering a member's idea: its author is asked how satisfied they are.
			if (isOfficialVoice(actor) && idea.authorId !== actor.id) {
				await offerCsat(trx, {
					userIds: [idea.authorId],
					postId: idea.id,
					trigger: 'official_answer'
				});
			}
		}
		// An official answer may be the first time staff respond (the responsiveness metric).
		await recordFirstResponse(trx, actor, {
			postId: idea.id,
			kind: 'official_comment',
			commentId: comment.id
		});
		return { ok: true, id: comment.id, path: commentPath(idea, comment.id) };
	});
}

interface LoadedComment {
	id: number;
	postId: number;
	authorId: number;
	bodySource: string;
	deleted: boolean;
	idea: { id: number; title: string; deleted: boolean };
}

async function loadComment(
	trx: Db,
	postId: number,
	commentId: number
): Promise<LoadedComment | undefined> {
	const row = await trx
		.selectFrom('comment')
		.innerJoin('post', 'post.id', 'comment.post_id')
		.select([
			'comment.id',
			'comment.post_id',
			'comment.author_id',
			'comment.body_source',
			'comment.deleted_at',
			'post.title',
			'post.deleted_at as post_deleted_at'
		])
		.where('comment.id', '=', commentId)
		.where('comment.post_id', '=', postId)
		.where('comment.is_internal', '=', false)
		.where('post.kind', '=', 'idea')
		.executeTakeFirst();
	if (!row) {
		return undefined;
	}
	return {
		id: row.id,
		postId: row.post_id,
		authorId: row.author_id,
		bodySource: row.body_source,
		deleted: row.deleted_at !== null,
		idea: { id: row.post_id, title: row.title, deleted: row.post_deleted_at !== null }
	};
}

/** What the comment rules see: a comment on a deleted idea is as closed as a deleted one. */
function ruleFacts(comment: { authorId: number; deleted: boolean }, ideaDeleted: boolean) {
	return { authorId: comment.authorId, deleted: comment.deleted || ideaDeleted };
}

/**
 * The author edits their comment: it is re-rendered and marked edited. People it newly
 * mentions are notified; nobody is told twice about one comment.
 */
export async function editComment(
	db: Db,
	actor: Actor,
	input: { postId: number; commentId: number; body: string }
): Promise<ChangeCommentResult> {
	return db.transaction().execute(async (trx): Promise<ChangeCommentResult> => {
		const comment = await loadComment(trx, input.postId, input.commentId);
		if (!comment || comment.idea.deleted) {
			return { ok: false, reason: 'not_found' };
		}
		if (comment.deleted) {
			return { ok: false, reason: 'deleted' };
		}
		if (actor.kind !== 'user' || !canEditComment(actor, ruleFacts(comment, false))) {
			return { ok: false, reason: 'forbidden' };
		}
		const body = validateBody(input.body);
		if (!body.ok) {
			return { ok: false, reason: 'invalid', errors: { body: body.error } };
		}
		if (body.body !== comment.bodySource) {
			await trx
				.updateTable('comment')
				.set({
					body_source: body.body,
					body_html: renderMarkdown(body.body),
					edited_at: new Date()
				})
				.where('id', '=', comment.id)
				.execute();
			const before = new Set(extractMentions(comment.bodySource));
			await notifyMentionsAdded(trx, {
				postId: comment.postId,
				commentId: comment.id,
				actorId: actor.id,
				mentions: extractMentions(body.body).filter((handle) => !before.has(handle))
			});
		}
		return { ok: true, path: commentPath(comment.idea, comment.id) };
	});
}

/**
 * The author deletes their comment. It is a soft delete: the row stays so its replies keep their
 * thread and its notifications their target, but its words and author are no longer shown.
 * `post.comment_count` counts comments that are not deleted, so it goes down by one.
 */
export async function deleteComment(
	db: Db,
	actor: Actor,
	input: { postId: number; commentId: number }
): Promise<ChangeCommentResult> {
	return db.transaction().execute(async (trx): Promise<ChangeCommentResult> => {
		const comment = await loadComment(trx, input.postId, input.commentId);
		if (!comment || comment.idea.deleted) {
			return { ok: false, reason: 'not_found' };
		}
		if (comment.deleted) {
			return { ok: false, reason: 'deleted' };
		}
		if (actor.kind !== 'user' || !canDeleteComment(actor, ruleFacts(comment, false))) {
			return { ok: false, reason: 'forbidden' };
		}
		// Conditional, so two deletes racing each other take the count down once.
		const deleted = await trx
			.updateTable('comment')
			.set({ deleted_at: new Date() })
			.where('id', '=', comment.id)
			.where('deleted_at', 'is', null)
			.returning('id')
			.executeTakeFirst();
		if (deleted) {
			// Recounted, not decremented: a hidden or pending comment was not in the count.
			await recountComments(trx, comment.postId);
		}
		return { ok: true, path: commentPath(comment.idea, comment.id) };
	});
}

export interface CommentView {
	id: number;
	/** The thread's first comment for a reply; null for a thread's first comment. */
	parentId: number | null;
	/** Null once deleted: a deleted comment shows neither its words nor its author. */
	author: { handle: string; displayName: string } | null;
	bodyHtml: string | null;
	/** Only for someone who may edit it, to fill the edit form. */
	bodySource: string | null;
	official: boolean;
	createdAt: Date;
	editedAt: Date | null;
	deleted: boolean;
	/** Only its author and moderators get a comment that is not 'visible', with the reason. */
	visibility: Visibility;
	hiddenReason: string | null;
	can: { reply: boolean; edit: boolean; delete: boolean; flag: boolean };
	replies: CommentView[];
}

/** A slice of the comments in id order (the API's pages): those after `afterId`, at most `limit`. */
export interface CommentSlice {
	afterId: number | null;
	limit: number;
}

/**
 * An idea's comments for the page, oldest first, replies under their thread: one query with
 * the authors joined. Staff-only notes are never in it. With `slice`, only that slice of the
 * comments in id order (a reply whose thread is on an earlier slice then stands alone).
 */
export async function listComments(
	db: Db,
	actor: Actor,
	idea: { id: number; deleted: boolean },
	slice?: CommentSlice
): Promise<CommentView[]> {
	const rows = await db
		.selectFrom('comment')
		.innerJoin('app_user', 'app_user.id', 'comment.author_id')
		.select([
			'comment.id',
			'comment.parent_id',
			'comment.author_id',
			'comment.body_source',
			'comment.body_html',
			'comment.is_official',
			'comment.created_at',
			'comment.edited_at',
			'comment.deleted_at',
			'comment.visibility',
			'comment.hidden_reason',
			'app_user.handle',
			'app_user.display_name'
		])
		.where('comment.post_id', '=', idea.id)
		.where('comment.is_internal', '=', false)
		// Hidden and pending comments: for their author and moderators only.
		.$if(!canModerate(actor), (q) =>
			q.where((eb) =>
				eb.or([
					eb('comment.visibility', '=', 'visible'),
					eb('comment.author_id', '=', actor.kind === 'user' ? actor.id : 0)
				])
			)
		)
		.$if(slice === undefined, (q) => q.orderBy('comment.created_at'))
		.$if(slice?.afterId != null, (q) => q.where('comment.id', '>', slice!.afterId!))
		.$if(slice !== undefined, (q) => q.limit(slice!.limit))
		.orderBy('comment.id')
		.execute();

	const mayComment = canComment(actor, idea);
	const views = rows.map((row) => {
		const deleted = row.deleted_at !== null;
		const facts = ruleFacts({ authorId: row.author_id, deleted }, idea.deleted);
		const edit = canEditComment(actor, facts);
		const view: CommentView = {
			id: row.id,
			parentId: row.parent_id,
			author: deleted ? null : { handle: row.handle, displayName: row.display_name },
			bodyHtml: deleted ? null : row.body_html,
			bodySource: edit ? row.body_source : null,
			official: row.is_official && !deleted,
			createdAt: row.created_at,
			editedAt: deleted ? null : row.edited_at,
			deleted,
			visibility: row.visibility,
			hiddenReason: row.visibility === 'visible' ? null : row.hidden_reason,
			can: {
				reply: mayComment && row.parent_id === null && !deleted && row.visibility === 'visible',
				edit,
				delete: canDeleteComment(actor, facts),
				flag: canFlag(actor, facts) && row.visibility === 'visible'
			},
			replies: []
		};
		return { view, parentId: row.parent_id };
	});
	const byId = new Map(views.map(({ view }) => [view.id, view]));
	const threads: CommentView[] = [];
	for (const { view, parentId } of views) {
		const parent = parentId === null ? undefined : byId.get(parentId);
		(parent ? parent.replies : threads).push(view);
	}
	return threads;
}

/** Comments that are visible and not deleted: what the page's "Comments (N)" and `post.comment_count` count. */
export function countVisible(threads: CommentView[]): number {
	let n = 0;
	for (const comment of threads) {
		n += comment.deleted || comment.visibility !== 'visible' ? 0 : 1;
		n += countVisible(comment.replies);
	}
	return n;
}
