// The flag action every post page mounts: any member flags the post or one of its comments once.
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db/app';
import { parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { flagItem, flagSchema, type ItemRef } from '$lib/server/moderation';
import { refuseIfSuspended } from '$lib/server/moderation/web';

/** What the flag forms get back: which item ('post' or 'comment-<id>'), and how it went. */
export interface FlagFormState {
	target: string;
	done: boolean;
	hidden?: boolean;
	errors: FieldErrors;
	message: string | null;
	values: { reason?: string; note?: string };
}

const FIELDS = ['reason', 'note'] as const;

/** The flagged item from the form's hidden fields; anything else is a broken form. */
function itemOf(form: FormData): ItemRef {
	const comment = form.get('comment');
	const post = form.get('post');
	const raw = typeof comment === 'string' && comment ? comment : post;
	if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) {
		error(400, m.mod_form_unreadable());
	}
	return { type: typeof comment === 'string' && comment ? 'comment' : 'post', id: Number(raw) };
}

const MESSAGES = {
	not_found: m.mod_flag_error_not_found,
	own: m.mod_flag_error_own,
	already: m.mod_flag_error_already,
	forbidden: m.mod_flag_error_forbidden
} as const;
const STATUS = { not_found: 404, own: 403, already: 409, forbidden: 403 } as const;

export async function flag(event: RequestEvent) {
	const { actor } = event.locals;
	if (actor.kind === 'anonymous') {
		redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
	}
	refuseIfSuspended(actor);
	const form = await readForm(event.request);
	const ref = itemOf(form);
	const target = ref.type === 'post' ? 'post' : `comment-${ref.id}`;
	const values = {
		reason: String(form.get('reason') ?? '').slice(0, 20),
		note: String(form.get('note') ?? '').slice(0, 600)
	};
	const parsed = parseForm(form, flagSchema, FIELDS);
	if (!parsed.ok) {
		const state: FlagFormState = {
			target,
			done: false,
			errors: parsed.errors,
			message: null,
			values
		};
		return fail(400, { flagForm: state });
	}
	const result = await flagItem(getDb(), actor, ref, parsed.data);
	if (!result.ok) {
		const state: FlagFormState = {
			target,
			done: false,
			errors: {},
			message: MESSAGES[result.reason](),
			values
		};
		return fail(STATUS[result.reason], { flagForm: state });
	}
	const state: FlagFormState = {
		target,
		done: true,
		hidden: result.hidden,
		errors: {},
		message: null,
		values: {}
	};
	return { flagForm: state };
}
