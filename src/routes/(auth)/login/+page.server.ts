import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { SIGN_IN_FIELDS, signIn, signInSchema } from '$lib/server/auth/accounts';
import { safeNext } from '$lib/server/auth/guards';
import { startSession } from '$lib/server/auth/web';
import { echo, parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { clientInfo, rateLimits, tooManyAttempts } from '$lib/server/http';
import { canSignIn } from '$lib/server/policy';
import { providerButtons, ssoNotice } from '$lib/server/sso/web';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';

export const load = (({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (!canSignIn(locals.actor)) {
		redirect(303, next);
	}
	return {
		next,
		notice: url.searchParams.get('notice'),
		providers: providerButtons(),
		sso: ssoNotice(url)
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		const next = safeNext(form.get('next')?.toString());
		if (!canSignIn(event.locals.actor)) {
			redirect(303, next);
		}
		const values = echo(form, ['identifier']);
		const parsed = parseForm(form, signInSchema, SIGN_IN_FIELDS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors, message: null });
		}
		const result = await signIn(getDb(), rateLimits(), parsed.data, clientInfo(event));
		if (!result.ok) {
			if (result.reason === 'limited') {
				return tooManyAttempts(event, result.limited, m.account_too_many_sign_ins(), values);
			}
			return fail(400, {
				values,
				errors: {} as FieldErrors,
				message: m.account_sign_in_mismatch()
			});
		}
		await startSession(event, result.user.id);
		redirect(303, next);
	}
} satisfies Actions;
