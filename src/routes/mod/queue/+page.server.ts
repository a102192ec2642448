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
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canViewModerationQueue(event.locals.actor));
	return { items: await listQueue(getDb(), event.locals.actor) };
}) satisfies PageServerLoad;

function itemOf(form: FormData): ItemRef {
	const type = form.get('type');
	const id = form.get('id');
	if ((type !== 'post' && type !== 'comment') || typeof id !== 'string' || !/^\d{1,15}$/.test(id)) {
		error(400, 'The form could not be read. Reload the page and try again.');
	}
	return { type, id: Number(id) };
}

const DONE = {
	kept: 'kept: its flags are dismissed and it is visible',
	approved: 'approved: it is visible now',
	hidden: 'hidden: its author sees your reason',
	deleted: 'deleted',
	edited: 'edited and visible again'
} as const;

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
				not_found: [404, 'That item is gone: it was deleted. Reload the queue.'],
				forbidden: [
					403,
					'You cannot decide on this item: moderators act on members’ posts only, not on their own or on those of moderators, staff or admins.'
				],
				not_pending: [409, 'That item is not waiting for approval any more. Reload the queue.'],
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
			done: `The ${ref.type === 'post' ? 'post' : 'comment'} was ${DONE[result.decision]}.`,
			path: result.path,
			values: {} as Record<string, string>,
			errors: {} as FieldErrors,
			message: null
		};
	}
} satisfies Actions;
