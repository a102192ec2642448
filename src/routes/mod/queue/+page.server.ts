import { error, fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import {
	DECISION_FIELDS,
	decide,
	decisionSchema,
	listQueue,
	type ItemRef
} from '$lib/server/moderation';
import { canViewModerationQueue } from '$lib/server/policy';
import type { ModerationDecision } from '$lib/domain/moderation';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canViewModerationQueue(event.locals.actor));
	return { items: await listQueue(getDb(), event.locals.actor) };
}) satisfies PageServerLoad;

function itemOf(form: FormData): ItemRef {
	const type = form.get('type');
	const id = form.get('id');
	if ((type !== 'post' && type !== 'comment') || typeof id !== 'string' || !/^\d{1,15}$/.test(id)) {
		error(400, m.mod_form_unreadable());
	}
	return { type, id: Number(id) };
}

/** "The post was hidden: …" in the reader's language. */
function doneMessage(type: ItemRef['type'], decision: ModerationDecision): string {
	const post = {
		kept: m.mod_queue_done_post_kept,
		approved: m.mod_queue_done_post_approved,
		hidden: m.mod_queue_done_post_hidden,
		deleted: m.mod_queue_done_post_deleted,
		edited: m.mod_queue_done_post_edited
	};
	const comment = {
		kept: m.mod_queue_done_comment_kept,
		approved: m.mod_queue_done_comment_approved,
		hidden: m.mod_queue_done_comment_hidden,
		deleted: m.mod_queue_done_comment_deleted,
		edited: m.mod_queue_done_comment_edited
	};
	return (type === 'post' ? post : comment)[decision]();
}

export const actions = {
	decide: async (event) => {
		authorize(event, canViewModerationQueue(event.locals.actor));
		const form = await readForm(event.request);
		const ref = itemOf(form);
		const target = `${ref.type}-${ref.id}`;
		const values: Record<string, string> = {};
		for (const name of DECISION_FIELDS) {
			const value = form.get(name);
			if (typeof value === 'string') {
				values[name] = value.slice(0, 20_000);
			}
		}
		const parsed = parseForm(form, decisionSchema, DECISION_FIELDS);
		if (!parsed.ok) {
			return fail(400, { target, done: null, values, errors: parsed.errors, message: null });
		}
		const result = await decide(getDb(), event.locals.actor, ref, parsed.data);
		if (!result.ok) {
			const answers = {
				not_found: [404, m.mod_queue_error_not_found()],
				forbidden: [403, m.mod_queue_error_forbidden()],
				not_pending: [409, m.mod_queue_error_not_pending()],
				invalid: [400, null]
			} as const;
			const [status, message] = answers[result.reason];
			return fail(status, {
				target,
				done: null,
				values,
				errors: (result.reason === 'invalid' ? result.errors : {}) as FieldErrors,
				message
			});
		}
		return {
			target,
			done: doneMessage(ref.type, result.decision),
			path: result.path,
			values: {} as Record<string, string>,
			errors: {} as FieldErrors,
			message: null
		};
	}
} satisfies Actions;
