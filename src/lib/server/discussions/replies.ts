// Replies in a thread (flat, oldest first; quoting instead of nesting), likes on threads and
// replies, the accepted answer of a question, and each member's "seen up to here" mark.
import type { Visibility } from '$lib/domain/moderation';
import { sql } from 'kysely';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { commentBodySchema } from '../comments';
import { autoFollow } from '../follows';
import { extractMentions, renderMarkdown } from '../markdown';
import { createNotifications, notifyCommentPosted, notifyMentionsAdded } from '../notifications';
import { offerCsat } from '../surveys';
import {
	canAcceptAnswer,
	canEditThreadReply,
	canLike,
	canModerateThreads,
	canParticipate,
	canReplyToThread,
	isOfficialVoice,
	type Actor,
	canFlag
} from '../policy';
import { loadThreadFacts, type ThreadRecord } from './facts';

const replyPath = (thread: { path: string }, commentId: number) =>
	`${thread.path}#comment-${commentId}`;

function validateBody(body: string): { ok: true; body: string } | { ok: false; error: string } {
	const parsed = commentBodySchema.safeParse(body);
	return parsed.success
		? { ok: true, body: parsed.data }
		: { ok: false, error: parsed.error.issues[0]!.message };
}

export type PostReplyResult =
	| { ok: true; id: number; path: string }
	| { ok: false; reason: 'not_found' | 'forbidden' | 'locked' | 'closed' }
	| { ok: false; reason: 'invalid'; error: string };

/**
 * A member replies. The thread's row is locked first, so a reply and a moderator's lock are
 * ordered: a reply never lands after the lock it raced. The reply, the thread's count and last
 * activity, the replier's follow, `reply_posted` and the notifications are one transaction.
 */
export async function postReply(
	db: Db,
	actor: Actor,
	input: { postId: number; body: string; visibility?: Visibility }
): Promise<PostReplyResult> {
	return db.transaction().execute(async (trx): Promise<PostReplyResult> => {
		const thread = await loadThreadFacts(trx, input.postId, { forUpdate: true });
		if (!thread || thread.deleted) {
			return { ok: false, reason: 'not_found' };
		}
		if (actor.kind !== 'user') {
			return { ok: false, reason: 'forbidden' };
		}
		if (!canReplyToThread(actor, thread)) {
			if (canParticipate(actor) && thread.locked) {
				return { ok: false, reason: 'locked' };
			}
			if (canParticipate(actor) && thread.closed) {
				return { ok: false, reason: 'closed' };
			}
			return { ok: false, reason: 'forbidden' };
		}
		const body = validateBody(input.body);
		if (!body.ok) {
			return { ok: false, reason: 'invalid', error: body.error };
		}
		const comment = await trx
			.insertInto('comment')
			.values({
				post_id: thread.id,
				author_id: actor.id,
				body_source: body.body,
				body_html: renderMarkdown(body.body),
				is_official: isOfficialVoice(actor),
				visibility: input.visibility ?? 'visible'
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		// A reply held for approval counts and notifies once a moderator approves it.
		const held = input.visibility === 'pending';
		if (!held) {
			await trx
				.updateTable('post')
				.set({ comment_count: sql`comment_count + 1`, last_activity_at: new Date() })
				.where('id', '=', thread.id)
				.execute();
		}
		await autoFollow(trx, actor.id, thread.id);
		// The replier has seen their own reply: it is not "new" to them.
		await markSeen(trx, actor.id, thread.id, comment.id);
		await recordActivity(trx, {
			userId: actor.id,
			kind: 'reply_posted',
			postId: thread.id,
			commentId: comment.id,
			productId: thread.productId,
			data: { official: isOfficialVoice(actor) }
		});
		if (!held) {
			await notifyCommentPosted(trx, {
				postId: thread.id,
				commentId: comment.id,
				actorId: actor.id,
				parentAuthorId: null,
				mentions: extractMentions(body.body)
			});
			// Staff answering a member's question: the asker is asked how satisfied they are.
			if (thread.isQuestion && isOfficialVoice(actor) && thread.authorId !== actor.id) {
				await offerCsat(trx, {
					userIds: [thread.authorId],
					postId: thread.id,
					trigger: 'official_answer'
				});
			}
		}
		return { ok: true, id: comment.id, path: replyPath(thread, comment.id) };
	});
}

interface LoadedReply {
	id: number;
	authorId: number;
	bodySource: string;
	deleted: boolean;
	thread: ThreadRecord;
}

async function loadReply(
	trx: Db,
	postId: number,
	commentId: number
): Promise<LoadedReply | undefined> {
	const thread = await loadThreadFacts(trx, postId);
	if (!thread || thread.deleted) {
		return undefined;
	}
	const row = await trx
		.selectFrom('comment')
		.select(['id', 'author_id', 'body_source', 'deleted_at'])
		.where('id', '=', commentId)
		.where('post_id', '=', postId)
		.where('is_internal', '=', false)
		.executeTakeFirst();
	return row
		? {
				id: row.id,
				authorId: row.author_id,
				bodySource: row.body_source,
				deleted: row.deleted_at !== null,
				thread
			}
		: undefined;
}

export type ChangeReplyResult =
	| { ok: true; path: string }
	| { ok: false; reason: 'not_found' | 'forbidden' | 'deleted' }
	| { ok: false; reason: 'invalid'; error: string };

/** The author edits their reply (not in a locked thread); newly mentioned people are told. */
export async function editReply(
	db: Db,
	actor: Actor,
	input: { postId: number; commentId: number; body: string }
): Promise<ChangeReplyResult> {
	return db.transaction().execute(async (trx): Promise<ChangeReplyResult> => {
		const reply = await loadReply(trx, input.postId, input.commentId);
		if (!reply) {
			return { ok: false, reason: 'not_found' };
		}
		if (reply.deleted) {
			return { ok: false, reason: 'deleted' };
		}
		if (actor.kind !== 'user' || !canEditThreadReply(actor, reply, reply.thread)) {
			return { ok: false, reason: 'forbidden' };
		}
		const body = validateBody(input.body);
		if (!body.ok) {
			return { ok: false, reason: 'invalid', error: body.error };
		}
		if (body.body !== reply.bodySource) {
			await trx
				.updateTable('comment')
				.set({
					body_source: body.body,
					body_html: renderMarkdown(body.body),
					edited_at: new Date()
				})
				.where('id', '=', reply.id)
				.execute();
			const before = new Set(extractMentions(reply.bodySource));
			await notifyMentionsAdded(trx, {
				postId: reply.thread.id,
				commentId: reply.id,
				actorId: actor.id,
				mentions: extractMentions(body.body).filter((handle) => !before.has(handle))
			});
		}
		return { ok: true, path: replyPath(reply.thread, reply.id) };
	});
}

/**
 * The author deletes their reply (soft: it shows as "[deleted]"). An accepted answer that is
 * deleted stops being the answer.
 */
export async function deleteReply(
	db: Db,
	actor: Actor,
	input: { postId: number; commentId: number }
): Promise<ChangeReplyResult> {
	return db.transaction().execute(async (trx): Promise<ChangeReplyResult> => {
		const reply = await loadReply(trx, input.postId, input.commentId);
		if (!reply) {
			return { ok: false, reason: 'not_found' };
		}
		if (reply.deleted) {
			return { ok: false, reason: 'deleted' };
		}
		if (actor.kind !== 'user' || !canEditThreadReply(actor, reply, reply.thread)) {
			return { ok: false, reason: 'forbidden' };
		}
		const deleted = await trx
			.updateTable('comment')
			.set({ deleted_at: new Date() })
			.where('id', '=', reply.id)
			.where('deleted_at', 'is', null)
			.returning('id')
			.executeTakeFirst();
		if (deleted) {
			await trx
				.updateTable('post')
				.set({ comment_count: sql`comment_count - 1` })
				.where('id', '=', reply.thread.id)
				.execute();
			await trx
				.updateTable('discussion')
				.set({ accepted_comment_id: null })
				.where('post_id', '=', reply.thread.id)
				.where('accepted_comment_id', '=', reply.id)
				.execute();
		}
		return { ok: true, path: replyPath(reply.thread, reply.id) };
	});
}

// Likes ---------------------------------------------------------------------------------------

export type LikeResult = { ok: true } | { ok: false; reason: 'not_found' | 'forbidden' };

/**
 * A like on the thread itself is a `vote` row (one per member and post, like an idea's vote) and
 * counts in `post.vote_count`, changed only when a row really was added or removed.
 */
export async function setThreadLike(
	db: Db,
	actor: Actor,
	postId: number,
	liked: boolean
): Promise<LikeResult> {
	return db.transaction().execute(async (trx): Promise<LikeResult> => {
		const thread = await loadThreadFacts(trx, postId);
		if (!thread || thread.deleted || !thread.visible) {
			return { ok: false, reason: 'not_found' };
		}
		if (actor.kind !== 'user' || !canLike(actor, thread)) {
			return { ok: false, reason: 'forbidden' };
		}
		const changed = liked
			? await trx
					.insertInto('vote')
					.values({ post_id: postId, user_id: actor.id })
					.onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
					.returning('user_id')
					.executeTakeFirst()
			: await trx
					.deleteFrom('vote')
					.where('post_id', '=', postId)
					.where('user_id', '=', actor.id)
					.returning('user_id')
					.executeTakeFirst();
		if (changed) {
			await trx
				.updateTable('post')
				.set({ vote_count: liked ? sql`vote_count + 1` : sql`vote_count - 1` })
				.where('id', '=', postId)
				.execute();
			await recordActivity(trx, {
				userId: actor.id,
				kind: liked ? 'like_given' : 'like_removed',
				postId,
				productId: thread.productId,
				data: { on: 'thread', authorId: thread.authorId }
			});
		}
		return { ok: true };
	});
}

/** A like on a reply: one per member, toggled, never one's own. */
export async function setReplyLike(
	db: Db,
	actor: Actor,
	input: { postId: number; commentId: number },
	liked: boolean
): Promise<LikeResult> {
	return db.transaction().execute(async (trx): Promise<LikeResult> => {
		const reply = await loadReply(trx, input.postId, input.commentId);
		if (!reply || !reply.thread.visible) {
			return { ok: false, reason: 'not_found' };
		}
		if (actor.kind !== 'user' || !canLike(actor, reply)) {
			return { ok: false, reason: 'forbidden' };
		}
		const changed = liked
			? await trx
					.insertInto('comment_like')
					.values({ comment_id: reply.id, user_id: actor.id })
					.onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
					.returning('user_id')
					.executeTakeFirst()
			: await trx
					.deleteFrom('comment_like')
					.where('comment_id', '=', reply.id)
					.where('user_id', '=', actor.id)
					.returning('user_id')
					.executeTakeFirst();
		if (changed) {
			await recordActivity(trx, {
				userId: actor.id,
				kind: liked ? 'like_given' : 'like_removed',
				postId: reply.thread.id,
				commentId: reply.id,
				productId: reply.thread.productId,
				data: { on: 'reply', authorId: reply.authorId }
			});
		}
		return { ok: true };
	});
}

// Accepted answers ------------------------------------------------------------------------------

export type AcceptResult =
	| { ok: true; path: string }
	| { ok: false; reason: 'not_found' | 'forbidden' }
	| { ok: false; reason: 'invalid'; message: string };

/**
 * The asker or staff mark a reply as the answer (replacing any other), or unmark it with
 * `commentId` null. A newly accepted reply's author is notified (`answer_accepted`) and the
 * ledger credits them with `answer_accepted`, in the same transaction.
 */
export async function setAcceptedAnswer(
	db: Db,
	actor: Actor,
	input: { postId: number; commentId: number | null }
): Promise<AcceptResult> {
	return db.transaction().execute(async (trx): Promise<AcceptResult> => {
		const thread = await loadThreadFacts(trx, input.postId, { forUpdate: true });
		if (!thread || thread.deleted) {
			return { ok: false, reason: 'not_found' };
		}
		if (actor.kind !== 'user' || !canAcceptAnswer(actor, thread)) {
			return { ok: false, reason: 'forbidden' };
		}
		if (input.commentId === null) {
			await trx
				.updateTable('discussion')
				.set({ accepted_comment_id: null })
				.where('post_id', '=', thread.id)
				.execute();
			return { ok: true, path: thread.path };
		}
		const reply = await trx
			.selectFrom('comment')
			.select(['id', 'author_id'])
			.where('id', '=', input.commentId)
			.where('post_id', '=', thread.id)
			.where('deleted_at', 'is', null)
			.where('visibility', '=', 'visible')
			.where('is_internal', '=', false)
			.executeTakeFirst();
		if (!reply) {
			return {
				ok: false,
				reason: 'invalid',
				message: m.discussions_accept_choose_reply()
			};
		}
		if (thread.acceptedCommentId === reply.id) {
			return { ok: true, path: replyPath(thread, reply.id) };
		}
		await trx
			.updateTable('discussion')
			.set({ accepted_comment_id: reply.id })
			.where('post_id', '=', thread.id)
			.execute();
		// An asker who answers their own question may say so, but earns no credit for it.
		if (reply.author_id !== thread.authorId) {
			await recordActivity(trx, {
				userId: reply.author_id,
				kind: 'answer_accepted',
				postId: thread.id,
				commentId: reply.id,
				productId: thread.productId,
				data: { acceptedBy: actor.id, byStaff: actor.id !== thread.authorId }
			});
		}
		// The asker is asked how satisfied they are with the answer (not when they answered it).
		if (thread.isQuestion && reply.author_id !== thread.authorId) {
			await offerCsat(trx, {
				userIds: [thread.authorId],
				postId: thread.id,
				trigger: 'accepted_answer'
			});
		}
		if (reply.author_id !== actor.id) {
			await createNotifications(trx, [
				{
					userId: reply.author_id,
					kind: 'answer_accepted',
					postId: thread.id,
					commentId: reply.id,
					actorId: actor.id
				}
			]);
		}
		return { ok: true, path: replyPath(thread, reply.id) };
	});
}

// Unread markers ------------------------------------------------------------------------------

/** Moves a member's "seen up to" mark forward (never back) to `commentId`. */
export async function markSeen(
	db: Db,
	userId: number,
	postId: number,
	commentId: number
): Promise<void> {
	await db
		.insertInto('thread_visit')
		.values({ user_id: userId, post_id: postId, last_seen_comment_id: commentId })
		.onConflict((oc) =>
			oc.columns(['user_id', 'post_id']).doUpdateSet({
				last_seen_comment_id: sql`greatest(thread_visit.last_seen_comment_id, excluded.last_seen_comment_id)`,
				visited_at: sql`now()`
			})
		)
		.execute();
}

/** The member's mark before this visit: 0 for a first visit. */
export async function lastSeen(db: Db, userId: number, postId: number): Promise<number | null> {
	const row = await db
		.selectFrom('thread_visit')
		.select('last_seen_comment_id')
		.where('user_id', '=', userId)
		.where('post_id', '=', postId)
		.executeTakeFirst();
	return row?.last_seen_comment_id ?? null;
}

// The thread page ------------------------------------------------------------------------------

export interface ReplyView {
	id: number;
	author: { handle: string; displayName: string } | null;
	bodyHtml: string | null;
	/** For the author's edit form and for quoting; null when deleted. */
	bodySource: string | null;
	official: boolean;
	createdAt: Date;
	editedAt: Date | null;
	deleted: boolean;
	/** 'hidden' or 'pending' only for its author and moderators, with the reason. */
	visibility: 'visible' | 'pending' | 'hidden';
	hiddenReason: string | null;
	accepted: boolean;
	likeCount: number;
	liked: boolean;
	/** Not seen by this member before this visit. */
	unseen: boolean;
	can: {
		edit: boolean;
		delete: boolean;
		like: boolean;
		accept: boolean;
		quote: boolean;
		flag: boolean;
	};
}

/**
 * A thread's replies, oldest first, with like counts and the viewer's likes. Others' hidden or
 * pending replies are left out except for moderators; the author sees their own with the reason.
 */
export async function listReplies(
	db: Db,
	actor: Actor,
	thread: ThreadRecord,
	seenUpTo: number | null,
	/** Only the replies after `afterId`, at most `limit` of them (the API's pages). */
	slice?: { afterId: number | null; limit: number }
): Promise<ReplyView[]> {
	const viewerId = actor.kind === 'user' ? actor.id : -1;
	const moderator = canModerateThreads(actor);
	let query = db
		.selectFrom('comment')
		.innerJoin('app_user as u', 'u.id', 'comment.author_id')
		.select([
			'comment.id',
			'comment.author_id',
			'comment.body_source',
			'comment.body_html',
			'comment.is_official',
			'comment.created_at',
			'comment.edited_at',
			'comment.deleted_at',
			'comment.visibility',
			'comment.hidden_reason',
			'u.handle',
			'u.display_name',
			sql<number>`(select count(*) from comment_like l where l.comment_id = comment.id)`.as(
				'like_count'
			),
			sql<boolean>`exists (select 1 from comment_like l where l.comment_id = comment.id
				and l.user_id = ${viewerId})`.as('liked')
		])
		.where('comment.post_id', '=', thread.id)
		.where('comment.is_internal', '=', false)
		.$if(slice?.afterId != null, (q) => q.where('comment.id', '>', slice!.afterId!))
		.$if(slice !== undefined, (q) => q.limit(slice!.limit))
		.orderBy('comment.id');
	if (!moderator) {
		query = query.where((eb) =>
			eb.or([eb('comment.visibility', '=', 'visible'), eb('comment.author_id', '=', viewerId)])
		);
	}
	const rows = await query.execute();
	const mayReply = canReplyToThread(actor, thread);
	const mayAccept = canAcceptAnswer(actor, thread);
	return rows.map((row) => {
		const deleted = row.deleted_at !== null;
		const facts = { authorId: row.author_id, deleted };
		const edit = canEditThreadReply(actor, facts, thread);
		const visible = row.visibility === 'visible';
		return {
			id: row.id,
			author: deleted ? null : { handle: row.handle, displayName: row.display_name },
			bodyHtml: deleted ? null : row.body_html,
			bodySource: deleted ? null : row.body_source,
			official: row.is_official && !deleted,
			createdAt: row.created_at,
			editedAt: deleted ? null : row.edited_at,
			deleted,
			visibility: row.visibility,
			hiddenReason: row.hidden_reason,
			accepted: !deleted && thread.acceptedCommentId === row.id,
			likeCount: row.like_count,
			liked: row.liked,
			unseen: seenUpTo !== null && row.id > seenUpTo,
			can: {
				edit,
				delete: edit,
				like: visible && canLike(actor, facts),
				accept: mayAccept && visible && !deleted,
				quote: mayReply && visible && !deleted,
				flag: visible && canFlag(actor, facts)
			}
		};
	});
}
