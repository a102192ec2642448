// In-app notifications: who hears about an act (written in the act's own transaction), the
// inbox, the unread count and marking read. A row with emailed_at null is still to be mailed.
import { helpPath } from '$lib/domain/help';
import { postPath } from '$lib/domain/posts';
import { m } from '$lib/paraglide/messages';
import { sql } from 'kysely';
import type { Db } from '../db';
import { enqueueNotificationEmails } from '../email/mailer';
import { listFollowerIds } from '../follows';
import { canBeNotifiedOfComment } from '../policy';

/**
 * Comment kinds go weakest to strongest: one person gets one notification per comment, of its
 * strongest kind. Then the kinds that tell of one act each: an official reply to a review, the
 * idea a review is tracked in shipped, an answer accepted.
 */
export const NOTIFICATION_KINDS = [
	'comment',
	'reply',
	'mention',
	'official_reply',
	'review_followup',
	'answer_accepted'
] as const;
/** Kinds about an idea rather than a comment (triage: status changes, merges). */
export const IDEA_NOTIFICATION_KINDS = ['status_change', 'idea_merged'] as const;
/**
 * Challenge winners announced (challenges/index.ts): 'challenge_won' to each winner about their
 * entry, 'challenge_winners' to the other entrants and voters; both open the challenge's page.
 */
export const CHALLENGE_NOTIFICATION_KINDS = ['challenge_won', 'challenge_winners'] as const;
/** Moderation decisions are written by moderation/items.ts; help answers by help/notify.ts. */
export type NotificationKind =
	| (typeof NOTIFICATION_KINDS)[number]
	| (typeof IDEA_NOTIFICATION_KINDS)[number]
	| (typeof CHALLENGE_NOTIFICATION_KINDS)[number]
	| 'moderation'
	| 'help_reply'
	| 'testimonial_invitation';

/**
 * Mentions beyond this many in one comment notify no one: a comment naming the whole community
 * is a broadcast, and broadcasts are not a member's to send.
 */
export const MENTION_NOTIFY_MAX = 20;

export interface NewNotification {
	userId: number;
	kind: NotificationKind;
	/** Null for a notification about something other than a post (a private help thread, whose
	 * id is `helpThreadId`, or a testimonial invitation). */
	postId: number | null;
	commentId: number | null;
	helpThreadId?: number | null;
	actorId: number | null;
	/** The snapshot the page and the mailer render (`notification.data`; kinds in docs/design.md). */
	data?: Record<string, unknown>;
}

/**
 * Writes notifications and enqueues their email jobs (the job decides, when it runs, whether the
 * recipient wants that email); call it with the transaction of the act they tell about.
 */
export async function createNotifications(
	trx: Db,
	rows: NewNotification[]
): Promise<{ id: number; userId: number }[]> {
	if (rows.length === 0) {
		return [];
	}
	const inserted = await trx
		.insertInto('notification')
		.values(
			rows.map((row) => ({
				user_id: row.userId,
				kind: row.kind,
				post_id: row.postId,
				comment_id: row.commentId,
				actor_id: row.actorId,
				help_thread_id: row.helpThreadId ?? null,
				data: JSON.stringify(row.data ?? {})
			}))
		)
		.returning(['id', 'user_id'])
		.execute();
	// Every notification may also be mailed: the job decides by the recipient's preferences.
	await enqueueNotificationEmails(
		trx,
		inserted.map((row) => row.id)
	);
	return inserted.map((row) => ({ id: row.id, userId: row.user_id }));
}

/** The ids of the accounts with these handles (lowercased, as `extractMentions` gives them). */
async function userIdsByHandle(trx: Db, handles: readonly string[]): Promise<number[]> {
	if (handles.length === 0) {
		return [];
	}
	const rows = await trx
		.selectFrom('app_user')
		.select('id')
		.where(sql<string>`lower(handle)`, 'in', handles.slice(0, MENTION_NOTIFY_MAX))
		.execute();
	return rows.map((r) => r.id);
}

export interface CommentPosted {
	postId: number;
	commentId: number;
	actorId: number;
	/** The author of the comment this one replies to, if it is a reply. */
	parentAuthorId: number | null;
	/** Lowercased handles from `extractMentions`; unknown ones are ignored. */
	mentions: readonly string[];
	/** A staff-only note: it tells only the staff it mentions, never followers or members. */
	internal?: boolean;
}

/**
 * A new comment tells the idea's followers ('comment'), the author of the comment it answers
 * ('reply', even if they unfollowed: it is addressed to them) and everyone it mentions
 * ('mention'). Each person gets one notification, the most specific; the commenter gets none.
 *
 * A staff-only note notifies only the people it mentions who may read it (`canViewComment`).
 */
export async function notifyCommentPosted(trx: Db, event: CommentPosted): Promise<void> {
	if (event.internal) {
		await notifyInternalNoteMentions(trx, event);
		return;
	}
	const kinds = new Map<number, NotificationKind>();
	for (const userId of await listFollowerIds(trx, event.postId, event.actorId)) {
		kinds.set(userId, 'comment');
	}
	if (event.parentAuthorId !== null) {
		kinds.set(event.parentAuthorId, 'reply');
	}
	for (const userId of await userIdsByHandle(trx, event.mentions)) {
		kinds.set(userId, 'mention');
	}
	kinds.delete(event.actorId);
	await createNotifications(
		trx,
		[...kinds].map(([userId, kind]) => ({
			userId,
			kind,
			postId: event.postId,
			commentId: event.commentId,
			actorId: event.actorId
		}))
	);
}

async function notifyInternalNoteMentions(trx: Db, event: CommentPosted): Promise<void> {
	const handles = event.mentions.slice(0, MENTION_NOTIFY_MAX);
	if (handles.length === 0) {
		return;
	}
	const people = await trx
		.selectFrom('app_user')
		.select(['id', 'role'])
		.where(sql<string>`lower(handle)`, 'in', handles)
		.execute();
	const note = { authorId: event.actorId, internal: true, visibility: 'visible' as const };
	await createNotifications(
		trx,
		people
			.filter((p) => p.id !== event.actorId && canBeNotifiedOfComment(p, note))
			.map((p) => ({
				userId: p.id,
				kind: 'mention' as const,
				postId: event.postId,
				commentId: event.commentId,
				actorId: event.actorId,
				data: { internal: true }
			}))
	);
}

/**
 * An edited comment that names new people mentions them. Anyone already notified about this
 * comment (as a follower, the one replied to, or mentioned before) is not told again.
 */
export async function notifyMentionsAdded(
	trx: Db,
	event: { postId: number; commentId: number; actorId: number; mentions: readonly string[] }
): Promise<void> {
	const userIds = await userIdsByHandle(trx, event.mentions);
	if (userIds.length === 0) {
		return;
	}
	const told = await trx
		.selectFrom('notification')
		.select('user_id')
		.where('comment_id', '=', event.commentId)
		.where('user_id', 'in', userIds)
		.execute();
	const skip = new Set([event.actorId, ...told.map((r) => r.user_id)]);
	await createNotifications(
		trx,
		userIds
			.filter((id) => !skip.has(id))
			.map((userId) => ({
				userId,
				kind: 'mention' as const,
				postId: event.postId,
				commentId: event.commentId,
				actorId: event.actorId
			}))
	);
}

export interface NotificationView {
	id: number;
	kind: NotificationKind;
	read: boolean;
	createdAt: Date;
	actor: { handle: string; displayName: string } | null;
	/** Null when the idea is gone: then there is nothing to open. */
	post: { id: number; title: string } | null;
	/** The private help thread it is about (its page checks who may read it). */
	helpThreadId: number | null;
	commentDeleted: boolean;
	/** One sentence, the same in the inbox and (later) in the email. */
	summary: string;
	/** A status change's public message, rendered by the one markdown renderer. */
	messageHtml: string | null;
	/** A status change that came with a changelog entry: where to read it. */
	changelog: { title: string; path: string } | null;
	/** Where a notification about something other than a post points (a testimonial invitation). */
	path: string | null;
}

/** The page a notification without a post points to, from its data: a path on this site only. */
function pathOf(kind: string, data: Record<string, unknown>): string | null {
	return kind === 'testimonial_invitation' &&
		typeof data.path === 'string' &&
		data.path.startsWith('/testimonials/invitations/')
		? data.path
		: null;
}

/** The changelog entry a notification's data names, if it names one well-formed. */
function changelogOf(data: Record<string, unknown>): { title: string; path: string } | null {
	const changelog = data.changelog as { title?: unknown; path?: unknown } | undefined;
	return typeof changelog?.title === 'string' &&
		typeof changelog.path === 'string' &&
		changelog.path.startsWith('/changelog/')
		? { title: changelog.title, path: changelog.path }
		: null;
}

/** The challenge a notification's data names, if it names one well-formed. */
export function challengeOf(data: Record<string, unknown>): { title: string; path: string } | null {
	const challenge = data.challenge as { title?: unknown; path?: unknown } | undefined;
	return typeof challenge?.title === 'string' &&
		typeof challenge.path === 'string' &&
		/^\/challenges\/\d+$/.test(challenge.path)
		? { title: challenge.title, path: challenge.path }
		: null;
}

/**
 * What a notification says, without markup: "Ada Lovelace replied to your comment on “Dark mode”".
 * Built when it is shown, from its kind and data, so it reads in the reader's language.
 */
export function describeNotification(
	kind: string,
	actorName: string | null,
	postTitle: string | null,
	data: Record<string, unknown> = {},
	onComment = false
): string {
	const who = actorName ?? m.discussions_notification_someone();
	const quoted =
		postTitle === null ? null : m.discussions_notification_quoted({ title: postTitle });
	// German declines "a deleted idea" after some prepositions; English does not.
	const where = quoted ?? m.discussions_notification_deleted_idea();
	const whereDative = quoted ?? m.discussions_notification_deleted_idea_dative();
	switch (kind) {
		case 'official_reply':
			return m.discussions_notification_official_reply({
				who,
				review: quoted ?? m.discussions_notification_review_deleted()
			});
		case 'review_followup': {
			const idea = (data.idea ?? {}) as { title?: unknown };
			const ideaTitle =
				typeof idea.title === 'string'
					? m.discussions_notification_quoted({ title: idea.title })
					: m.discussions_notification_an_idea();
			return quoted === null
				? m.discussions_notification_review_followup_deleted({ idea: ideaTitle })
				: m.discussions_notification_review_followup({ idea: ideaTitle, review: quoted });
		}
		case 'idea_merged': {
			const into = data.into as { title?: unknown } | undefined;
			return typeof into?.title === 'string'
				? m.discussions_notification_merged({ who, where, into: into.title })
				: m.discussions_notification_merged_other({ who, where });
		}
		case 'status_change':
			if (data.category === 'done') {
				return m.discussions_notification_shipped({ where });
			}
			return typeof data.to === 'string'
				? m.discussions_notification_status({ who, where, status: data.to })
				: m.discussions_notification_status_unknown({ who, where });
		case 'moderation':
			return describeModeration(
				data,
				onComment
					? m.discussions_notification_moderated_comment({ where: whereDative })
					: quoted === null
						? m.discussions_notification_moderated_post_deleted()
						: m.discussions_notification_moderated_post({ where: quoted })
			);
		case 'reply':
			return m.discussions_notification_reply({ who, where: whereDative });
		case 'mention':
			return m.discussions_notification_mention({ who, where: whereDative });
		case 'comment':
			return m.discussions_notification_comment({ who, where });
		case 'answer_accepted':
			return m.discussions_notification_answer_accepted({ who, where });
		case 'challenge_won':
			return m.challenges_notification_won({
				idea: where,
				rank: typeof data.rank === 'number' ? data.rank : 1,
				challenge: challengeOf(data)?.title ?? ''
			});
		case 'challenge_winners':
			return m.challenges_notification_winners({
				idea: where,
				challenge: challengeOf(data)?.title ?? ''
			});
		case 'help_reply':
			return m.help_notification({ name: actorName ?? m.help_someone() });
		case 'testimonial_invitation':
			return actorName === null
				? m.testimonials_notification_invited_team()
				: m.testimonials_notification_invited({ name: actorName });
		default:
			return m.discussions_notification_other({ who, where: whereDative });
	}
}

/** How a flag was decided, as the flagger reads it. */
function flagOutcome(decision: string): string {
	switch (decision) {
		case 'kept':
			return m.discussions_notification_flag_kept();
		case 'hidden':
			return m.discussions_notification_flag_hidden();
		case 'deleted':
			return m.discussions_notification_flag_deleted();
		case 'edited':
			return m.discussions_notification_flag_edited();
		case 'approved':
			return m.discussions_notification_flag_approved();
		default:
			return m.discussions_notification_flag_decided();
	}
}

/** A moderation decision, as its author or a flagger reads it. */
function describeModeration(data: Record<string, unknown>, what: string): string {
	const reason =
		typeof data.reason === 'string' && data.reason
			? ` ${m.discussions_notification_reason({ reason: data.reason })}`
			: '';
	if (data.role === 'flagger') {
		return m.discussions_notification_flag_reviewed({
			what,
			outcome: flagOutcome(String(data.decision))
		});
	}
	switch (data.decision) {
		case 'hidden':
			return `${m.discussions_notification_mod_hidden({ what })}${reason}`;
		case 'deleted':
			return `${m.discussions_notification_mod_deleted({ what })}${reason}`;
		case 'edited':
			return `${m.discussions_notification_mod_edited({ what })}${reason}`;
		case 'approved':
			return m.discussions_notification_mod_approved({ what });
		case 'kept':
			return m.discussions_notification_mod_kept({ what });
		default:
			return m.discussions_notification_mod_reviewed({ what });
	}
}

export const NOTIFICATIONS_PAGE_SIZE = 50;

/** A person's notifications, newest first; `before` (a notification id) pages further back. */
export async function listNotifications(
	db: Db,
	userId: number,
	options: { before?: number | null; limit?: number } = {}
): Promise<{ items: NotificationView[]; olderBefore: number | null }> {
	const limit = options.limit ?? NOTIFICATIONS_PAGE_SIZE;
	let query = db
		.selectFrom('notification')
		.leftJoin('app_user as actor', 'actor.id', 'notification.actor_id')
		.leftJoin('post', 'post.id', 'notification.post_id')
		.leftJoin('comment', 'comment.id', 'notification.comment_id')
		.select([
			'notification.id',
			'notification.kind',
			'notification.read_at',
			'notification.created_at',
			'notification.data',
			'notification.comment_id',
			'notification.help_thread_id',
			'actor.handle as actor_handle',
			'actor.display_name as actor_name',
			'post.id as post_id',
			'post.title as post_title',
			'post.deleted_at as post_deleted_at',
			'comment.deleted_at as comment_deleted_at',
			'notification.data'
		])
		.where('notification.user_id', '=', userId)
		.orderBy('notification.id', 'desc')
		.limit(limit + 1);
	if (options.before) {
		query = query.where('notification.id', '<', options.before);
	}
	const rows = await query.execute();
	const page = rows.slice(0, limit);
	return {
		items: page.map((row) => {
			const post =
				row.post_id !== null && row.post_title !== null && row.post_deleted_at === null
					? { id: row.post_id, title: row.post_title }
					: null;
			return {
				id: row.id,
				kind: row.kind as NotificationKind,
				read: row.read_at !== null,
				createdAt: row.created_at,
				actor:
					row.actor_handle !== null && row.actor_name !== null
						? { handle: row.actor_handle, displayName: row.actor_name }
						: null,
				post,
				helpThreadId: row.help_thread_id,
				commentDeleted: row.comment_deleted_at !== null,
				summary: describeNotification(
					row.kind,
					row.actor_name,
					post?.title ?? null,
					row.data ?? {},
					row.comment_id !== null
				),
				messageHtml:
					row.kind === 'status_change' && typeof row.data.message_html === 'string'
						? row.data.message_html
						: null,
				changelog: changelogOf(row.data),
				path: pathOf(row.kind, row.data ?? {})
			};
		}),
		olderBefore: rows.length > limit ? page[page.length - 1]!.id : null
	};
}

/** The header's badge: served by the partial index on unread rows. */
export async function unreadCount(db: Db, userId: number): Promise<number> {
	const row = await db
		.selectFrom('notification')
		.select(sql<number>`count(*)`.as('n'))
		.where('user_id', '=', userId)
		.where('read_at', 'is', null)
		.executeTakeFirstOrThrow();
	return row.n;
}

/** Marks one of the person's notifications read; someone else's id changes nothing. */
export async function markRead(db: Db, userId: number, notificationId: number): Promise<boolean> {
	const result = await db
		.updateTable('notification')
		.set({ read_at: new Date() })
		.where('id', '=', notificationId)
		.where('user_id', '=', userId)
		.where('read_at', 'is', null)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

/** Marks every unread notification of the person read; returns how many. */
export async function markAllRead(db: Db, userId: number): Promise<number> {
	const result = await db
		.updateTable('notification')
		.set({ read_at: new Date() })
		.where('user_id', '=', userId)
		.where('read_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/**
 * Opening a notification marks it read and says where it points: the comment's anchor on the
 * idea page, or the idea. Null when it is not the person's, or its idea is gone.
 */
export async function openNotification(
	db: Db,
	userId: number,
	notificationId: number
): Promise<string | null> {
	const help = await db
		.selectFrom('notification')
		.select('help_thread_id')
		.where('id', '=', notificationId)
		.where('user_id', '=', userId)
		.where('help_thread_id', 'is not', null)
		.executeTakeFirst();
	if (help?.help_thread_id) {
		// The thread's page decides who may read it (404 for anyone else).
		await markRead(db, userId, notificationId);
		return helpPath({ id: help.help_thread_id });
	}
	const own = await db
		.selectFrom('notification')
		.select(['kind', 'data'])
		.where('id', '=', notificationId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	const elsewhere = own ? pathOf(own.kind, own.data ?? {}) : null;
	if (elsewhere !== null) {
		await markRead(db, userId, notificationId);
		return elsewhere;
	}
	const row = await db
		.selectFrom('notification')
		.innerJoin('post', 'post.id', 'notification.post_id')
		.select([
			'notification.comment_id',
			'notification.kind as notification_kind',
			'notification.data',
			'post.id',
			'post.kind',
			'post.title',
			'post.deleted_at'
		])
		.where('notification.id', '=', notificationId)
		.where('notification.user_id', '=', userId)
		.executeTakeFirst();
	if (!row) {
		return null;
	}
	// Challenge results open the challenge's page, where all the winners are.
	const challenge = (CHALLENGE_NOTIFICATION_KINDS as readonly string[]).includes(
		row.notification_kind
	)
		? challengeOf(row.data ?? {})
		: null;
	if (challenge) {
		await markRead(db, userId, notificationId);
		return challenge.path;
	}
	if (row.deleted_at !== null) {
		return null;
	}
	await markRead(db, userId, notificationId);
	const path = postPath(row.kind, { id: row.id, title: row.title });
	return row.comment_id === null ? path : `${path}#comment-${row.comment_id}`;
}
