import { error, fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { echo, parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import {
	SUSPEND_FIELDS,
	liftSuspension,
	searchMembers,
	suspendMember,
	suspendSchema
} from '$lib/server/moderation';
import { canModerate } from '$lib/server/policy';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canModerate(event.locals.actor));
	const q = (event.url.searchParams.get('q') ?? '').slice(0, 100);
	return { q, members: await searchMembers(getDb(), event.locals.actor, q) };
}) satisfies PageServerLoad;

function memberOf(form: FormData): number {
	const raw = form.get('user');
	if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) {
		error(400, m.mod_form_unreadable());
	}
	return Number(raw);
}

function refused(reason: 'not_found' | 'forbidden' | 'not_suspended') {
	const answers = {
		not_found: [404, m.mod_users_error_not_found()],
		forbidden: [403, m.mod_users_error_forbidden()],
		not_suspended: [409, m.mod_users_error_not_suspended()]
	} as const;
	return answers[reason];
}

export const actions = {
	suspend: async (event) => {
		authorize(event, canModerate(event.locals.actor));
		const form = await readForm(event.request);
		const userId = memberOf(form);
		const values = echo(form, SUSPEND_FIELDS);
		const parsed = parseForm(form, suspendSchema, SUSPEND_FIELDS);
		if (!parsed.ok) {
			return fail(400, {
				target: userId,
				done: null,
				values,
				errors: parsed.errors,
				message: null
			});
		}
		const result = await suspendMember(getDb(), event.locals.actor, userId, parsed.data);
		if (!result.ok) {
			const [status, message] = refused(result.reason);
			return fail(status, {
				target: userId,
				done: null,
				values,
				errors: {} as FieldErrors,
				message
			});
		}
		return {
			target: userId,
			done: m.mod_users_done_suspended({
				handle: `@${result.handle}`,
				date: parsed.data.until.toISOString().slice(0, 10)
			}),
			values: {} as Record<string, string>,
			errors: {} as FieldErrors,
			message: null
		};
	},
	lift: async (event) => {
		authorize(event, canModerate(event.locals.actor));
		const userId = memberOf(await readForm(event.request));
		const result = await liftSuspension(getDb(), event.locals.actor, userId);
		if (!result.ok) {
			const [status, message] = refused(result.reason);
			return fail(status, {
				target: userId,
				done: null,
				values: {} as Record<string, string>,
				errors: {} as FieldErrors,
				message
			});
		}
		return {
			target: userId,
			done: m.mod_users_done_lifted({ handle: `@${result.handle}` }),
			values: {} as Record<string, string>,
			errors: {} as FieldErrors,
			message: null
		};
	}
} satisfies Actions;
