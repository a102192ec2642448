import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { requestPasswordReset, resetRequestSchema } from '$lib/server/auth/accounts';
import { echo, parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { clientInfo, rateLimits, tooManyAttempts } from '$lib/server/http';
import type { Actions } from './$types';
import { m } from '$lib/paraglide/messages';

export const actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		const values = echo(form, ['email']);
		const parsed = parseForm(form, resetRequestSchema, ['email']);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors, message: null, sent: false });
		}
		const result = await requestPasswordReset(getDb(), rateLimits(), parsed.data, {
			...clientInfo(event),
			origin: event.url.origin
		});
		if (!result.ok) {
			return tooManyAttempts(event, result.limited, m.account_too_many_resets(), values);
		}
		return { values, errors: {} as FieldErrors, message: null, sent: true };
	}
} satisfies Actions;
