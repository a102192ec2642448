// Threads: starting one (with an optional poll), the list (pinned first, then latest activity,
// with each member's unread count), the thread page's header, and the moderators' thread tools.
import type { Visibility } from '$lib/domain/moderation';
import { sql } from 'kysely';
import { z } from 'zod';
import {
	POLL_OPTION_MAX,
	POLL_OPTIONS_MAX,
	POLL_OPTIONS_MIN,
	POLL_QUESTION_MAX,
	THREAD_BODY_MAX,
	THREAD_TITLE_MAX,
	THREAD_TITLE_MIN,
	THREADS_PAGE_SIZE,
	discussionPath
} from '$lib/domain/discussions';
import { formatNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { recordAudit } from '../audit';
import { autoFollow } from '../follows';
import { renderMarkdown } from '../markdown';
import { canModerateThreads, canStartDiscussion, type Actor } from '../policy';
import { loadThreadFacts } from './facts';

/** Poll options as typed: one per line; blank lines dropped, repeats (any case) merged. */
export function parsePollOptions(text: string): string[] {
	const seen = new Set<string>();
	const options: string[] = [];
	for (const line of text.split(/\r?\n/)) {
		const option = line.trim();
		if (option && !seen.has(option.toLowerCase())) {
			seen.add(option.toLowerCase());
			options.push(option);
		}
	}
	return options;
}

/** A required text field; its message is read per request, in the reader's language. */
function requiredText(missing: () => string) {
	const error = () => missing();
	return z.string({ error }).trim().min(1, { error });
}

const checkbox = z
	.string()
	.optional()
	.transform((v) => v === 'on' || v === 'true' || v === '1');

export const threadSchema = z
	.object({
		title: requiredText(m.discussions_title_missing)
			.min(THREAD_TITLE_MIN, {
				error: () => m.discussions_title_too_short({ min: THREAD_TITLE_MIN })
			})
			.max(THREAD_TITLE_MAX, {
				error: () => m.discussions_title_too_long({ max: THREAD_TITLE_MAX })
			}),
		body: requiredText(m.discussions_body_missing).max(THREAD_BODY_MAX, {
			error: () => m.discussions_body_too_long({ max: formatNumber(THREAD_BODY_MAX) })
		}),
		category: z.coerce
			.number({ error: () => m.discussions_category_missing() })
			.int({ error: () => m.discussions_category_missing() })
			.positive({ error: () => m.discussions_category_missing() }),
		question: checkbox,
		pollQuestion: z
			.string()
			.trim()
			.max(POLL_QUESTION_MAX, {
				error: () => m.discussions_poll_question_too_long({ max: POLL_QUESTION_MAX })
			})
			.default(''),
		pollOptions: z.string().default('').transform(parsePollOptions),
		pollMultiple: checkbox,
		pollClosesOn: z
			.string()
			.trim()
			.default('')
			.refine((v) => v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v), {
				error: () => m.discussions_date_format()
			})
	})
	.superRefine((value, ctx) => {
		const hasPoll = value.pollQuestion !== '' || value.pollOptions.length > 0;
		if (!hasPoll) {
			return;
		}
		if (value.pollQuestion === '') {
			ctx.addIssue({
				code: 'custom',
				path: ['pollQuestion'],
				message: m.discussions_poll_question_missing()
			});
		}
		if (
			value.pollOptions.length < POLL_OPTIONS_MIN ||
			value.pollOptions.length > POLL_OPTIONS_MAX
		) {
			ctx.addIssue({
				code: 'custom',
				path: ['pollOptions'],
				message: m.discussions_poll_options_count({ min: POLL_OPTIONS_MIN, max: POLL_OPTIONS_MAX })
			});
		} else if (value.pollOptions.some((o) => o.length > POLL_OPTION_MAX)) {
			ctx.addIssue({
				code: 'custom',
				path: ['pollOptions'],
				message: m.discussions_poll_option_too_long({ max: POLL_OPTION_MAX })
			});
		}
		if (value.pollClosesOn !== '') {
			const closes = new Date(`${value.pollClosesOn}T23:59:59Z`);
			if (Number.isNaN(closes.getTime()) || closes.getTime() <= Date.now()) {
				ctx.addIssue({
					code: 'custom',
					path: ['pollClosesOn'],
					message: m.discussions_poll_closes_past()
				});
			}
		}
	});
export const THREAD_FIELDS = [
	'title',
	'body',
	'category',
	'question',
	'pollQuestion',
	'pollOptions',
	'pollMultiple',
	'pollClosesOn'
] as const;
export type ThreadInput = z.output<typeof threadSchema>;
export type ThreadFieldErrors = Partial<Record<keyof ThreadInput, string>>;

export type StartThreadResult =
	| { ok: true; id: number; path: string }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'invalid'; errors: ThreadFieldErrors };

/**
 * A member starts a discussion: the post, its discussion row, its poll, the author's follow and
 * the ledger's `thread_posted`, in one transaction. A poll closes at the end of its day (UTC).
 */
export async function startThread(
	db: Db,
	actor: Actor,
	input: ThreadInput,
	/** A new member's first posts may wait for approval (moderation's posting check). */
	options: { visibility?: Visibility } = {}
): Promise<StartThreadResult> {
	if (!canStartDiscussion(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<StartThreadResult> => {
		const category = await trx
			.selectFrom('discussion_category')
			.select(['id', 'product_id', 'archived_at'])
			.where('id', '=', input.category)
			.executeTakeFirst();
		if (!category || category.archived_at !== null) {
			return {
				ok: false,
				reason: 'invalid',
				errors: { category: m.discussions_category_choose_one() }
			};
		}
		const post = await trx
			.insertInto('post')
			.values({
				kind: 'discussion',
				product_id: category.product_id,
				author_id: actor.id,
				title: input.title,
				body_source: input.body,
				body_html: renderMarkdown(input.body),
				visibility: options.visibility ?? 'visible'
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.insertInto('discussion')
			.values({ post_id: post.id, category_id: category.id, is_question: input.question })
			.execute();
		if (input.pollQuestion !== '') {
			const poll = await trx
				.insertInto('poll')
				.values({
					post_id: post.id,
					question: input.pollQuestion,
					multiple: input.pollMultiple,
					closes_at: input.pollClosesOn ? new Date(`${input.pollClosesOn}T23:59:59Z`) : null
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('poll_option')
				.values(input.pollOptions.map((label, i) => ({ poll_id: poll.id, label, position: i })))
				.execute();
		}
		await autoFollow(trx, actor.id, post.id);
		await recordActivity(trx, {
			userId: actor.id,
			kind: 'thread_posted',
			postId: post.id,
			productId: category.product_id,
			data: { question: input.question, poll: input.pollQuestion !== '' }
		});
		return { ok: true, id: post.id, path: discussionPath({ id: post.id, title: input.title }) };
	});
}

export interface ThreadSummary {
	id: number;
	title: string;
	path: string;
	category: { name: string; slug: string };
	author: { handle: string; displayName: string };
	isQuestion: boolean;
	answered: boolean;
	pinned: boolean;
	locked: boolean;
	closed: boolean;
	hasPoll: boolean;
	replyCount: number;
	likeCount: number;
	createdAt: Date;
	lastActivityAt: Date;
	/**
	 * For signed-in members: replies since their last visit (0 when read up), or null when they
	 * have never opened the thread. Always null for visitors.
	 */
	unread: number | null;
	visited: boolean;
}

/** Visible replies that are not deleted: what every count a member sees counts. */
const visibleReplies = sql<number>`(select count(*) from comment c
	where c.post_id = post.id and c.deleted_at is null and c.visibility = 'visible')`;

/**
 * A page of threads, all or one category's: pinned first (latest pin first), then by latest
 * activity. Pages are numbered (1, 2, …): a forum list is read from the top, a page or two deep.
 * With `newest`, the threads are instead newest first, before the id given (the API's pages,
 * which must not shift as threads gain replies), `limit` of them.
 */
export async function listThreads(
	db: Db,
	actor: Actor,
	options: {
		categoryId?: number | null;
		page?: number;
		newest?: { beforeId: number | null; limit: number };
	} = {}
): Promise<{ threads: ThreadSummary[]; total: number; page: number; pages: number }> {
	const page = Math.max(1, options.page ?? 1);
	const viewerId = actor.kind === 'user' ? actor.id : null;
	let base = db
		.selectFrom('post')
		.innerJoin('discussion as d', 'd.post_id', 'post.id')
		.where('post.kind', '=', 'discussion')
		.where('post.deleted_at', 'is', null)
		.where('post.visibility', '=', 'visible');
	if (options.categoryId != null) {
		base = base.where('d.category_id', '=', options.categoryId);
	}
	const { total } = await base.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow();
	const newest = options.newest;
	const ordered = newest
		? base
				.$if(newest.beforeId !== null, (q) => q.where('post.id', '<', newest.beforeId!))
				.orderBy('post.id', 'desc')
				.limit(newest.limit)
		: base
				.orderBy(sql`d.pinned_at is null`)
				.orderBy(sql`d.pinned_at desc nulls last`)
				.orderBy('post.last_activity_at', 'desc')
				.orderBy('post.id', 'desc')
				.limit(THREADS_PAGE_SIZE)
				.offset((page - 1) * THREADS_PAGE_SIZE);
	const rows = await ordered
		.innerJoin('discussion_category as c', 'c.id', 'd.category_id')
		.innerJoin('app_user as u', 'u.id', 'post.author_id')
		.leftJoin('thread_visit as v', (join) =>
			join.onRef('v.post_id', '=', 'post.id').on('v.user_id', '=', viewerId ?? -1)
		)
		.select([
			'post.id',
			'post.title',
			'post.vote_count',
			'post.created_at',
			'post.last_activity_at',
			'c.name as category_name',
			'c.slug as category_slug',
			'u.handle',
			'u.display_name',
			'd.is_question',
			'd.accepted_comment_id',
			'd.pinned_at',
			'd.locked_at',
			'd.closed_at',
			'v.last_seen_comment_id',
			visibleReplies.as('reply_count'),
			sql<boolean>`exists (select 1 from poll where poll.post_id = post.id)`.as('has_poll'),
			sql<number>`(select count(*) from comment c where c.post_id = post.id
				and c.deleted_at is null and c.visibility = 'visible'
				and c.id > coalesce(v.last_seen_comment_id, 0))`.as('unread')
		])
		.execute();
	return {
		total,
		page,
		pages: Math.max(1, Math.ceil(total / THREADS_PAGE_SIZE)),
		threads: rows.map((row) => {
			const visited = row.last_seen_comment_id !== null;
			return {
				id: row.id,
				title: row.title,
				path: discussionPath(row),
				category: { name: row.category_name, slug: row.category_slug },
				author: { handle: row.handle, displayName: row.display_name },
				isQuestion: row.is_question,
				answered: row.accepted_comment_id !== null,
				pinned: row.pinned_at !== null,
				locked: row.locked_at !== null,
				closed: row.closed_at !== null,
				hasPoll: row.has_poll,
				replyCount: row.reply_count,
				likeCount: row.vote_count,
				createdAt: row.created_at,
				lastActivityAt: row.last_activity_at,
				unread: viewerId === null || !visited ? null : row.unread,
				visited
			};
		})
	};
}

export interface ThreadDetail {
	id: number;
	title: string;
	path: string;
	bodyHtml: string;
	bodySource: string;
	category: { id: number; name: string; slug: string };
	author: { id: number; handle: string; displayName: string };
	createdAt: Date;
	editedAt: Date | null;
	deleted: boolean;
	visibility: 'visible' | 'pending' | 'hidden';
	hiddenReason: string | null;
	isQuestion: boolean;
	acceptedCommentId: number | null;
	pinned: boolean;
	locked: boolean;
	closed: boolean;
	likeCount: number;
}

export async function getThreadDetail(db: Db, postId: number): Promise<ThreadDetail | undefined> {
	const row = await db
		.selectFrom('post')
		.innerJoin('discussion as d', 'd.post_id', 'post.id')
		.innerJoin('discussion_category as c', 'c.id', 'd.category_id')
		.innerJoin('app_user as u', 'u.id', 'post.author_id')
		.select([
			'post.id',
			'post.title',
			'post.body_html',
			'post.body_source',
			'post.created_at',
			'post.edited_at',
			'post.deleted_at',
			'post.visibility',
			'post.hidden_reason',
			'post.vote_count',
			'c.id as category_id',
			'c.name as category_name',
			'c.slug as category_slug',
			'u.id as author_id',
			'u.handle',
			'u.display_name',
			'd.is_question',
			'd.accepted_comment_id',
			'd.pinned_at',
			'd.locked_at',
			'd.closed_at'
		])
		.where('post.id', '=', postId)
		.where('post.kind', '=', 'discussion')
		.executeTakeFirst();
	if (!row) {
		return undefined;
	}
	return {
		id: row.id,
		title: row.title,
		path: discussionPath(row),
		bodyHtml: row.body_html,
		bodySource: row.body_source,
		category: { id: row.category_id, name: row.category_name, slug: row.category_slug },
		author: { id: row.author_id, handle: row.handle, displayName: row.display_name },
		createdAt: row.created_at,
		editedAt: row.edited_at,
		deleted: row.deleted_at !== null,
		visibility: row.visibility,
		hiddenReason: row.hidden_reason,
		isQuestion: row.is_question,
		acceptedCommentId: row.accepted_comment_id,
		pinned: row.pinned_at !== null,
		locked: row.locked_at !== null,
		closed: row.closed_at !== null,
		likeCount: row.vote_count
	};
}

/** `/discussions/42-some-title` → 42. */
export function parseThreadId(param: string): number | null {
	const match = /^(\d{1,15})(?:-|$)/.exec(param);
	return match ? Number(match[1]) : null;
}

// Thread tools ------------------------------------------------------------------------------

export const THREAD_TOOLS = ['pin', 'unpin', 'lock', 'unlock', 'close', 'reopen'] as const;
export type ThreadTool = (typeof THREAD_TOOLS)[number];

const TOOLS: Record<
	ThreadTool,
	{ column: 'pinned_at' | 'locked_at' | 'closed_at'; on: boolean; audit: string }
> = {
	pin: { column: 'pinned_at', on: true, audit: 'thread.pinned' },
	unpin: { column: 'pinned_at', on: false, audit: 'thread.unpinned' },
	lock: { column: 'locked_at', on: true, audit: 'thread.locked' },
	unlock: { column: 'locked_at', on: false, audit: 'thread.unlocked' },
	close: { column: 'closed_at', on: true, audit: 'thread.closed' },
	reopen: { column: 'closed_at', on: false, audit: 'thread.reopened' }
};

export type ThreadToolResult =
	| { ok: true; path: string; changed: boolean }
	| { ok: false; reason: 'not_found' | 'forbidden' }
	| { ok: false; reason: 'invalid'; message: string };

/**
 * A moderator pins, locks or closes a thread (or undoes it), or moves it to another category.
 * Doing what is already done changes and records nothing; every change is audit-logged.
 */
export async function applyThreadTool(
	db: Db,
	actor: Actor,
	postId: number,
	tool: ThreadTool | { move: number },
	reason: string | null = null
): Promise<ThreadToolResult> {
	if (!canModerateThreads(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<ThreadToolResult> => {
		const thread = await loadThreadFacts(trx, postId, { forUpdate: true });
		if (!thread || thread.deleted) {
			return { ok: false, reason: 'not_found' };
		}
		if (typeof tool === 'object') {
			const category = await trx
				.selectFrom('discussion_category')
				.select(['id', 'name', 'product_id', 'archived_at'])
				.where('id', '=', tool.move)
				.executeTakeFirst();
			if (!category || category.archived_at !== null) {
				return { ok: false, reason: 'invalid', message: m.discussions_category_choose_one() };
			}
			if (category.id === thread.categoryId) {
				return { ok: true, path: thread.path, changed: false };
			}
			await trx
				.updateTable('discussion')
				.set({ category_id: category.id })
				.where('post_id', '=', postId)
				.execute();
			await trx
				.updateTable('post')
				.set({ product_id: category.product_id })
				.where('id', '=', postId)
				.execute();
			await recordAudit(trx, actor, {
				action: 'thread.moved',
				targetType: 'post',
				targetId: postId,
				reason,
				details: {
					title: thread.title,
					from: thread.categoryId,
					to: category.id,
					toName: category.name
				}
			});
			return { ok: true, path: thread.path, changed: true };
		}
		const { column, on, audit } = TOOLS[tool];
		const result = await trx
			.updateTable('discussion')
			.set({ [column]: on ? new Date() : null })
			.where('post_id', '=', postId)
			.where(column, on ? 'is' : 'is not', null)
			.executeTakeFirst();
		const changed = result.numUpdatedRows > 0n;
		if (changed) {
			await recordAudit(trx, actor, {
				action: audit,
				targetType: 'post',
				targetId: postId,
				reason,
				details: { title: thread.title }
			});
		}
		return { ok: true, path: thread.path, changed };
	});
}
