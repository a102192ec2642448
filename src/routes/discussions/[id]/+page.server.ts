import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { quoteMarkdown } from '$lib/domain/discussions';
import { getDb } from '$lib/server/db/app';
import { checkPostingAllowed } from '$lib/server/moderation/web';
import { openFlagsBy } from '$lib/server/moderation';
import { flag } from '$lib/server/moderation/flag-action';
import {
	THREAD_TOOLS,
	applyThreadTool,
	castBallot,
	deleteReply,
	editReply,
	getPoll,
	getThreadDetail,
	lastSeen,
	listCategories,
	listReplies,
	loadThreadFacts,
	markSeen,
	parseThreadId,
	postReply,
	setAcceptedAnswer,
	setReplyLike,
	setThreadLike,
	type ChangeReplyResult,
	type ThreadTool
} from '$lib/server/discussions';
import { followPost, isFollowing } from '$lib/server/follows';
import { readForm } from '$lib/server/forms';
import {
	canAcceptAnswer,
	canFlag,
	canFollow,
	canLike,
	canModerateThreads,
	canReplyToThread,
	type UserActor
} from '$lib/server/policy';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const id = parseThreadId(event.params.id);
	const db = getDb();
	const [thread, facts] =
		id === null ? [] : await Promise.all([getThreadDetail(db, id), loadThreadFacts(db, id)]);
	if (!thread || !facts) {
		error(404, m.discussions_not_found_long());
	}
	const { actor } = event.locals;
	const moderator = canModerateThreads(actor);
	const isAuthor = actor.kind === 'user' && actor.id === thread.author.id;
	if (thread.deleted && !moderator) {
		error(410, m.discussions_deleted());
	}
	if (thread.visibility !== 'visible' && !moderator && !isAuthor) {
		error(404, m.discussions_not_found_long());
	}
	if (event.url.pathname !== thread.path) {
		redirect(308, thread.path + event.url.search);
	}

	// The mark before this visit decides what is "new"; then the visit moves it forward.
	const seenUpTo = actor.kind === 'user' ? await lastSeen(db, actor.id, thread.id) : null;
	const replies = await listReplies(db, actor, facts, seenUpTo);
	if (actor.kind === 'user') {
		await markSeen(db, actor.id, thread.id, replies.at(-1)?.id ?? 0);
	}
	const [poll, following, liked, categories] = await Promise.all([
		getPoll(db, actor, facts),
		actor.kind === 'user' ? isFollowing(db, actor.id, thread.id) : false,
		actor.kind === 'user'
			? db
					.selectFrom('vote')
					.select('user_id')
					.where('post_id', '=', thread.id)
					.where('user_id', '=', actor.id)
					.executeTakeFirst()
					.then((row) => row !== undefined)
			: false,
		moderator ? listCategories(db) : []
	]);
	const flagged =
		actor.kind === 'user'
			? await openFlagsBy(db, actor.id, {
					postIds: [thread.id],
					commentIds: replies.map((r) => r.id)
				})
			: null;

	const quoteId = event.url.searchParams.get('quote');
	const quoted =
		quoteId !== null && /^\d{1,15}$/.test(quoteId)
			? replies.find((r) => r.id === Number(quoteId) && r.can.quote)
			: undefined;
	const quoteText =
		quoted && quoted.author && quoted.bodySource !== null
			? quoteMarkdown(quoted.author, quoted.bodySource)
			: thread.bodySource && event.url.searchParams.get('quote') === 'thread'
				? quoteMarkdown(thread.author, thread.bodySource)
				: '';
	const accepted = replies.find((r) => r.accepted) ?? null;
	return {
		thread,
		replies,
		accepted,
		firstUnseenId: replies.find((r) => r.unseen && !r.deleted)?.id ?? null,
		poll,
		following,
		liked,
		quoteText,
		categories: categories.map((c) => ({ id: c.id, name: c.name })),
		can: {
			reply: canReplyToThread(actor, facts),
			like: canLike(actor, facts),
			follow: canFollow(actor),
			accept: canAcceptAnswer(actor, facts),
			moderate: moderator,
			flag: canFlag(actor, facts) && thread.visibility === 'visible'
		},
		/** Whether the viewer has flagged this discussion and not yet seen it decided. */
		flagged: flagged?.posts.has(thread.id) ?? false,
		/** The replies the viewer has flagged and not yet seen decided. */
		flaggedReplies: [...(flagged?.comments ?? [])],
		signInHref: actor.kind === 'anonymous' ? `/login?next=${encodeURIComponent(thread.path)}` : null
	};
}) satisfies PageServerLoad;

// Actions ------------------------------------------------------------------------------------

/** Visitors go to sign in and come back to the thread (not to the action's URL). */
function requireMember(event: RequestEvent): UserActor {
	const { actor } = event.locals;
	if (actor.kind === 'anonymous') {
		redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
	}
	return actor;
}

function threadIdOf(event: RequestEvent): number {
	const id = parseThreadId(event.params.id ?? '');
	if (id === null) {
		error(404, m.discussions_not_found());
	}
	return id;
}

function text(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** An id from a hidden field; anything else is a broken form, not a person's mistake. */
function idField(form: FormData, name: string): number {
	const raw = text(form, name);
	if (!/^\d{1,15}$/.test(raw)) {
		error(400, m.discussions_form_unreadable());
	}
	return Number(raw);
}

/** A refused thread-level action: which part of the page says so, and what it says. */
function refuse(status: number, where: string, message: string) {
	return fail(status, { where, message });
}

function replyFailed(status: number, target: string, body: string, message: string) {
	return fail(status, { replyForm: { target, body, message } });
}

async function reply(event: RequestEvent) {
	const actor = requireMember(event);
	const postId = threadIdOf(event);
	const body = text(await readForm(event.request), 'body');
	const allowed = await checkPostingAllowed(event, actor, { kind: 'comment', body });
	if (!allowed.ok) {
		return replyFailed(allowed.status, 'new', body, allowed.message);
	}
	const result = await postReply(getDb(), actor, { postId, body, visibility: allowed.visibility });
	if (!result.ok) {
		switch (result.reason) {
			case 'invalid':
				return replyFailed(400, 'new', body, result.error);
			case 'locked':
				return replyFailed(409, 'new', body, m.discussions_locked_no_replies());
			case 'closed':
				return replyFailed(409, 'new', body, m.discussions_closed_no_replies());
			case 'not_found':
				error(404, m.discussions_not_found());
			// falls through: error() throws
			case 'forbidden':
				return replyFailed(403, 'new', body, m.discussions_cannot_reply());
		}
	}
	redirect(303, result.path);
}

function changed(result: ChangeReplyResult, target: string, body: string) {
	if (result.ok) {
		redirect(303, result.path);
	}
	switch (result.reason) {
		case 'not_found':
			return replyFailed(404, target, body, m.discussions_reply_not_found());
		case 'deleted':
			return replyFailed(409, target, body, m.discussions_reply_deleted());
		case 'forbidden':
			return replyFailed(403, target, body, m.discussions_reply_not_yours());
		case 'invalid':
			return replyFailed(400, target, body, result.error);
	}
}

async function like(event: RequestEvent, liked: boolean, onReply: boolean) {
	const actor = requireMember(event);
	const postId = threadIdOf(event);
	const form = await readForm(event.request);
	const commentId = onReply ? idField(form, 'comment') : null;
	const result =
		commentId === null
			? await setThreadLike(getDb(), actor, postId, liked)
			: await setReplyLike(getDb(), actor, { postId, commentId }, liked);
	if (!result.ok) {
		if (result.reason === 'not_found') {
			error(404, m.discussions_thread_or_reply_not_found());
		}
		return refuse(
			403,
			commentId === null ? 'thread' : `reply-${commentId}`,
			m.discussions_cannot_like()
		);
	}
	redirect(
		303,
		`${event.url.pathname}#${commentId === null ? 'thread-actions' : `comment-${commentId}`}`
	);
}

async function accept(event: RequestEvent, mark: boolean) {
	const actor = requireMember(event);
	const postId = threadIdOf(event);
	const form = await readForm(event.request);
	const commentId = mark ? idField(form, 'comment') : null;
	const result = await setAcceptedAnswer(getDb(), actor, { postId, commentId });
	if (!result.ok) {
		if (result.reason === 'not_found') {
			error(404, m.discussions_not_found());
		}
		if (result.reason === 'invalid') {
			return refuse(400, 'answer', result.message);
		}
		return refuse(403, 'answer', m.discussions_only_asker_accepts());
	}
	redirect(303, result.path);
}

async function vote(event: RequestEvent) {
	const actor = requireMember(event);
	const postId = threadIdOf(event);
	const form = await readForm(event.request);
	const raw = form.getAll('option').filter((v): v is string => typeof v === 'string');
	if (raw.some((v) => !/^\d{1,15}$/.test(v))) {
		return refuse(400, 'poll', m.discussions_poll_choose_options());
	}
	const result = await castBallot(getDb(), actor, { postId, optionIds: raw.map(Number) });
	if (!result.ok) {
		switch (result.reason) {
			case 'not_found':
				error(404, m.discussions_no_poll());
			// falls through: error() throws
			case 'already_voted':
				return refuse(409, 'poll', m.discussions_poll_already_voted());
			case 'closed':
				return refuse(409, 'poll', m.discussions_poll_closed_no_votes());
			case 'forbidden':
				return refuse(403, 'poll', m.discussions_cannot_vote());
			case 'invalid':
				return refuse(400, 'poll', result.message);
		}
	}
	redirect(303, result.path);
}

async function tool(event: RequestEvent) {
	const actor = requireMember(event);
	const postId = threadIdOf(event);
	const form = await readForm(event.request);
	const name = text(form, 'tool');
	const reason = text(form, 'reason').trim().slice(0, 500) || null;
	let request: ThreadTool | { move: number };
	if (name === 'move') {
		request = { move: idField(form, 'category') };
	} else if ((THREAD_TOOLS as readonly string[]).includes(name)) {
		request = name as ThreadTool;
	} else {
		return refuse(400, 'tools', m.discussions_choose_tool());
	}
	const result = await applyThreadTool(getDb(), actor, postId, request, reason);
	if (!result.ok) {
		if (result.reason === 'not_found') {
			error(404, m.discussions_not_found());
		}
		if (result.reason === 'invalid') {
			return refuse(400, 'tools', result.message);
		}
		return refuse(403, 'tools', m.discussions_only_moderators_tools());
	}
	redirect(303, `${result.path}#tools`);
}

async function follow(event: RequestEvent, following: boolean) {
	const actor = requireMember(event);
	const result = await followPost(getDb(), actor, threadIdOf(event), following);
	if (!result.ok) {
		error(404, m.discussions_not_found());
	}
	redirect(303, `${event.url.pathname}#follow`);
}

export const actions = {
	flag,
	reply,
	editReply: async (event) => {
		const actor = requireMember(event);
		const postId = threadIdOf(event);
		const form = await readForm(event.request);
		const commentId = idField(form, 'comment');
		const body = text(form, 'body');
		return changed(
			await editReply(getDb(), actor, { postId, commentId, body }),
			`edit-${commentId}`,
			body
		);
	},
	deleteReply: async (event) => {
		const actor = requireMember(event);
		const postId = threadIdOf(event);
		const commentId = idField(await readForm(event.request), 'comment');
		return changed(
			await deleteReply(getDb(), actor, { postId, commentId }),
			`delete-${commentId}`,
			''
		);
	},
	like: (event) => like(event, true, false),
	unlike: (event) => like(event, false, false),
	likeReply: (event) => like(event, true, true),
	unlikeReply: (event) => like(event, false, true),
	accept: (event) => accept(event, true),
	unaccept: (event) => accept(event, false),
	vote,
	tool,
	follow: (event) => follow(event, true),
	unfollow: (event) => follow(event, false)
} satisfies Actions;
