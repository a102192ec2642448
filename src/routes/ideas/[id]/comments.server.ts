// The idea page's comments: the thread it shows, and its comment/editComment/deleteComment actions.
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { ideaPath } from '$lib/domain/ideas';
import { requireUser } from '$lib/server/auth/guards';
import {
	commentBodySchema,
	countVisible,
	deleteComment,
	editComment,
	listComments,
	postComment,
	type ChangeCommentResult,
	type CommentView
} from '$lib/server/comments';
import { getDb } from '$lib/server/db/app';
import { m } from '$lib/paraglide/messages';
import { parseIdeaId } from '$lib/server/ideas';
import type { IdeaRecord } from '$lib/server/ideas/facts';
import { readForm } from '$lib/server/forms';
import { canComment, type UserActor } from '$lib/server/policy';
import { checkPostingAllowed, refuseIfSuspended } from '$lib/server/moderation/web';
import { suspensionRefusal } from '$lib/server/moderation/posting';

export interface CommentsData {
	threads: CommentView[];
	/** Comments that are not deleted (what `post.comment_count` counts). */
	count: number;
	canComment: boolean;
	/** For visitors: where "Sign in to comment" goes (and comes back from). */
	signInHref: string | null;
	/** Why a signed-in member cannot comment, when it is not the idea (a suspension). */
	closedMessage: string | null;
}

/** What a failed comment form gets back: which form, what was typed, and what went wrong. */
export interface CommentFormState {
	/** 'new', 'reply-<comment id>', 'edit-<comment id>' or 'delete-<comment id>'. */
	target: string;
	body: string;
	errors: { body?: string; parent?: string };
	message: string | null;
}

export async function loadComments(event: RequestEvent, idea: IdeaRecord): Promise<CommentsData> {
	const { actor } = event.locals;
	const threads = await listComments(getDb(), actor, idea);
	return {
		threads,
		count: countVisible(threads),
		canComment: canComment(actor, idea),
		signInHref:
			actor.kind === 'anonymous' ? `/login?next=${encodeURIComponent(ideaPath(idea))}` : null,
		closedMessage: suspensionRefusal(actor)
	};
}

function ideaIdOf(event: RequestEvent): number {
	const id = parseIdeaId(event.params.id ?? '');
	if (id === null) {
		error(404, m.ideas_no_such_idea());
	}
	return id;
}

/** Visitors go to sign in and come back to the idea (not to the action's `?/comment` URL). */
function requireSignIn(event: RequestEvent): UserActor {
	return requireUser({ locals: event.locals, url: new URL(event.url.pathname, event.url) });
}

function text(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** A comment id from a hidden field; anything else is a broken form, not a person's mistake. */
function commentIdOf(form: FormData, name = 'comment'): number {
	const raw = text(form, name);
	if (!/^\d{1,15}$/.test(raw)) {
		error(400, m.ideas_form_unreadable());
	}
	return Number(raw);
}

function failed(status: number, state: CommentFormState) {
	return fail(status, { commentForm: state });
}

async function comment(event: RequestEvent) {
	const actor = requireSignIn(event);
	const postId = ideaIdOf(event);
	const form = await readForm(event.request);
	const body = text(form, 'body');
	const parentId = form.has('parent') ? commentIdOf(form, 'parent') : null;
	const target = parentId === null ? 'new' : `reply-${parentId}`;
	// A comment that will be refused as invalid costs no posting allowance: postComment says why.
	const valid = commentBodySchema.safeParse(body).success;
	const allowed = valid
		? await checkPostingAllowed(event, actor, { kind: 'comment', body })
		: ({ ok: true, visibility: 'visible' } as const);
	if (!allowed.ok) {
		return failed(allowed.status, {
			target,
			body,
			errors: allowed.reason === 'links' ? { body: allowed.message } : {},
			message: allowed.message
		});
	}
	const result = await postComment(getDb(), actor, {
		postId,
		body,
		parentId,
		visibility: allowed.visibility
	});
	if (!result.ok) {
		if (result.reason === 'invalid') {
			return failed(400, {
				target,
				body,
				errors: result.errors,
				message: result.errors.parent ?? null
			});
		}
		if (result.reason === 'closed') {
			return failed(409, {
				target,
				body,
				errors: {},
				message: m.ideas_comment_on_deleted()
			});
		}
		if (result.reason === 'not_found') {
			error(404, m.ideas_no_such_idea());
		}
		error(403, m.ideas_comment_forbidden());
	}
	redirect(303, result.path);
}

/** The answer to an edit or delete that did not happen, or the redirect to the comment. */
function changed(result: ChangeCommentResult, target: string, body: string) {
	if (result.ok) {
		redirect(303, result.path);
	}
	switch (result.reason) {
		case 'not_found':
			return failed(404, { target, body, errors: {}, message: m.ideas_comment_not_found() });
		case 'deleted':
			return failed(409, { target, body, errors: {}, message: m.ideas_comment_was_deleted() });
		case 'forbidden':
			return failed(403, {
				target,
				body,
				errors: {},
				message: m.ideas_comment_not_yours()
			});
		case 'invalid':
			return failed(400, { target, body, errors: result.errors, message: null });
	}
}

async function edit(event: RequestEvent) {
	const actor = requireSignIn(event);
	refuseIfSuspended(actor);
	const postId = ideaIdOf(event);
	const form = await readForm(event.request);
	const commentId = commentIdOf(form);
	const body = text(form, 'body');
	const result = await editComment(getDb(), actor, { postId, commentId, body });
	return changed(result, `edit-${commentId}`, body);
}

async function remove(event: RequestEvent) {
	const actor = requireSignIn(event);
	refuseIfSuspended(actor);
	const postId = ideaIdOf(event);
	const commentId = commentIdOf(await readForm(event.request));
	const result = await deleteComment(getDb(), actor, { postId, commentId });
	return changed(result, `delete-${commentId}`, '');
}

export const commentActions = {
	comment,
	editComment: edit,
	deleteComment: remove
};
