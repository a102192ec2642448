import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { SIGN_UP_FIELDS, signUp, signUpSchema } from '$lib/server/auth/accounts';
import { PASSWORD_MIN } from '$lib/server/auth/password';
import { safeNext } from '$lib/server/auth/guards';
import { startSession } from '$lib/server/auth/web';
import { echo, parseForm, readForm } from '$lib/server/forms';
import { clientInfo, rateLimits, tooManyAttempts } from '$lib/server/http';
import { canSignUp } from '$lib/server/policy';
import { providerButtons } from '$lib/server/sso/web';
import { REFERRAL_COOKIE, findReferrer } from '$lib/server/customers/referrals';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';

const SAFE_FIELDS = ['email', 'handle', 'displayName'];

export const load = (async ({ locals, url, cookies }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (!canSignUp(locals.actor)) {
		redirect(303, next);
	}
	// A referral code that names nobody is dropped quietly: the visitor just signs up.
	const ref = url.searchParams.get('ref') ?? cookies.get(REFERRAL_COOKIE) ?? null;
	const referrer = await findReferrer(getDb(), ref);
	return {
		passwordMin: PASSWORD_MIN,
		next,
		providers: providerButtons(),
		ref: referrer ? ref : null,
		invitedBy: referrer?.displayName ?? null
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		if (!canSignUp(event.locals.actor)) {
			redirect(303, '/');
		}
		const form = await readForm(event.request);
		const values = echo(form, SAFE_FIELDS);
		const parsed = parseForm(form, signUpSchema, SIGN_UP_FIELDS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors, message: null });
		}
		const referralCode = form.get('ref')?.toString() || event.cookies.get(REFERRAL_COOKIE) || null;
		const result = await signUp(
			getDb(),
			rateLimits(),
			parsed.data,
			{ ...clientInfo(event), origin: event.url.origin },
			{ referralCode }
		);
		if (!result.ok) {
			if ('limited' in result) {
				return tooManyAttempts(event, result.limited, m.account_too_many_sign_ups(), values);
			}
			return fail(400, { values, errors: result.errors, message: null });
		}
		event.cookies.delete(REFERRAL_COOKIE, { path: '/' });
		await startSession(event, result.user.id);
		redirect(303, safeNext(form.get('next')?.toString()));
	}
} satisfies Actions;
