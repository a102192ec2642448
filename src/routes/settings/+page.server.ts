import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import {
	CHANGE_PASSWORD_FIELDS,
	changePassword,
	changePasswordSchema
} from '$lib/server/auth/accounts';
import { requireUser } from '$lib/server/auth/guards';
import { invalidateUserSessions, listUserSessions } from '$lib/server/auth/session';
import { endSession } from '$lib/server/auth/web';
import { parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { rateLimits, tooManyAttempts } from '$lib/server/http';
import { z } from 'zod';
import { authorize } from '$lib/server/auth/guards';
import { referralSummary } from '$lib/server/customers/referrals';
import { isLeaderboardOptOut, setLeaderboardOptOut } from '$lib/server/customers/points';
import { canManageOwnAdvocacy } from '$lib/server/policy';
import type { Actions, PageServerLoad } from './$types';

const leaderboardSchema = z.object({
	listed: z.enum(['yes', 'no'], { error: 'Choose whether to appear on the leaderboard.' })
});

export const load = (async (event) => {
	const user = requireUser(event);
	const db = getDb();
	const [sessions, referrals, optedOut] = await Promise.all([
		listUserSessions(db, user.id),
		referralSummary(db, user.id),
		isLeaderboardOptOut(db, user.id)
	]);
	return {
		referral: {
			url: new URL(referrals.path, event.url.origin).href,
			joined: referrals.joined
		},
		leaderboardListed: !optedOut,
		account: { email: user.email, handle: user.handle, displayName: user.displayName },
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
	leaderboard: async (event) => {
		const user = requireUser(event);
		authorize(event, canManageOwnAdvocacy(user));
		const form = await readForm(event.request);
		const parsed = parseForm(form, leaderboardSchema, ['listed']);
		if (!parsed.ok) {
			return fail(400, { leaderboardErrors: parsed.errors, leaderboardSaved: false });
		}
		await setLeaderboardOptOut(getDb(), user.id, parsed.data.listed === 'no');
		return { leaderboardErrors: {} as FieldErrors, leaderboardSaved: true };
	},
	signOutEverywhere: async (event) => {
		const user = requireUser(event);
		await invalidateUserSessions(getDb(), user.id);
		await endSession(event);
		redirect(303, '/login?notice=signed-out-everywhere');
	}
} satisfies Actions;
