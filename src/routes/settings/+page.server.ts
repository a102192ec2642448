import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import {
	CHANGE_PASSWORD_FIELDS,
	changePassword,
	changePasswordSchema
} from '$lib/server/auth/accounts';
import { requireUser } from '$lib/server/auth/guards';
import { emailVerifiedAt, resendVerificationEmail } from '$lib/server/auth/verification';
import { invalidateUserSessions, listUserSessions } from '$lib/server/auth/session';
import { endSession } from '$lib/server/auth/web';
import { parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { rateLimits, tooManyAttempts } from '$lib/server/http';
import { retryPhrase } from '$lib/server/rate-limit';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const user = requireUser(event);
	const [sessions, verifiedAt] = await Promise.all([
		listUserSessions(getDb(), user.id),
		emailVerifiedAt(getDb(), user.id)
	]);
	return {
		account: {
			email: user.email,
			handle: user.handle,
			displayName: user.displayName,
			verifiedAt
		},
		sessions: sessions.map(({ id, ...session }) => ({
			...session,
			current: id === event.locals.sessionId
		}))
	};
}) satisfies PageServerLoad;

export const actions = {
	changePassword: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event.request);
		const parsed = parseForm(form, changePasswordSchema, CHANGE_PASSWORD_FIELDS);
		if (!parsed.ok) {
			return fail(400, {
				passwordErrors: parsed.errors,
				passwordMessage: null,
				passwordChanged: false
			});
		}
		const result = await changePassword(
			getDb(),
			rateLimits(),
			user.id,
			parsed.data,
			event.locals.sessionId!
		);
		if (!result.ok) {
			if ('limited' in result) {
				return tooManyAttempts(event, result.limited, 'Too many wrong passwords.');
			}
			return fail(400, {
				passwordErrors: result.errors,
				passwordMessage: null,
				passwordChanged: false
			});
		}
		return { passwordErrors: {} as FieldErrors, passwordMessage: null, passwordChanged: true };
	},
	resendVerification: async (event) => {
		const user = requireUser(event);
		const result = await resendVerificationEmail(getDb(), rateLimits(), user.id, event.url.origin);
		if (!result.ok) {
			if (result.reason === 'limited') {
				event.setHeaders({ 'Retry-After': String(result.limited.retryAfterSeconds) });
				return fail(429, {
					verificationMessage: `We sent several links already. Try again ${retryPhrase(result.limited.retryAfterSeconds)}.`,
					verificationSent: false
				});
			}
			return { verificationMessage: null, verificationSent: false };
		}
		return { verificationMessage: null, verificationSent: true };
	},
	signOutEverywhere: async (event) => {
		const user = requireUser(event);
		await invalidateUserSessions(getDb(), user.id);
		await endSession(event);
		redirect(303, '/login?notice=signed-out-everywhere');
	}
} satisfies Actions;
