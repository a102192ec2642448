import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { isResetTokenValid, resetPassword, resetPasswordSchema } from '$lib/server/auth/accounts';
import { PASSWORD_MIN } from '$lib/server/auth/password';
import { endSession } from '$lib/server/auth/web';
import { parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';

export const load = (async ({ params }) => {
	return { valid: await isResetTokenValid(getDb(), params.token), passwordMin: PASSWORD_MIN };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		const parsed = parseForm(form, resetPasswordSchema, ['password']);
		if (!parsed.ok) {
			return fail(400, { errors: parsed.errors, message: null });
		}
		const result = await resetPassword(getDb(), { token: event.params.token, ...parsed.data });
		if (!result.ok) {
			return result.reason === 'invalid_token'
				? fail(400, {
						errors: {} as FieldErrors,
						message: m.account_link_expired_new()
					})
				: fail(400, { errors: { password: result.message }, message: null });
		}
		// Every session of the account ended; this browser's cookie goes too.
		await endSession(event);
		redirect(303, '/login?notice=password-reset');
	}
} satisfies Actions;
