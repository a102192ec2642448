import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db/app';
import {
	CHANGE_PASSWORD_FIELDS,
	changePassword,
	changePasswordSchema,
	requestPasswordReset
} from '$lib/server/auth/accounts';
import { requireUser } from '$lib/server/auth/guards';
import { emailVerifiedAt, resendVerificationEmail } from '$lib/server/auth/verification';
import { invalidateUserSessions, listUserSessions } from '$lib/server/auth/session';
import { endSession } from '$lib/server/auth/web';
import { parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { clientInfo, rateLimits, tooManyAttempts, tryAgainIn } from '$lib/server/http';
import { authorize } from '$lib/server/auth/guards';
import { referralSummary } from '$lib/server/customers/referrals';
import { isLeaderboardOptOut, setLeaderboardOptOut } from '$lib/server/customers/points';
import { canLinkProvider, canManageOwnAdvocacy, canUnlinkProvider } from '$lib/server/policy';
import { signInMethods, unlinkProvider } from '$lib/server/sso/accounts';
import { PROVIDER_IDS } from '$lib/server/sso/providers';
import { providerButtons, providerLabel, ssoNotice } from '$lib/server/sso/web';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';

const unlinkSchema = z.object({
	provider: z.enum(PROVIDER_IDS as ['github', 'google', 'oidc'], {
		error: () => m.account_unknown_provider()
	})
});

const leaderboardSchema = z.object({
	listed: z.enum(['yes', 'no'], { error: () => m.account_leaderboard_choose() })
});

export const load = (async (event) => {
	const user = requireUser(event);
	const db = getDb();
	const [sessions, verifiedAt, methods, referrals, optedOut] = await Promise.all([
		listUserSessions(db, user.id),
		emailVerifiedAt(db, user.id),
		signInMethods(db, user.id),
		referralSummary(db, user.id),
		isLeaderboardOptOut(db, user.id)
	]);
	const linked = methods.identities.map((identity) => ({
		provider: identity.provider,
		label: providerLabel(identity.provider),
		email: identity.email,
		createdAt: identity.createdAt,
		canUnlink: canUnlinkProvider(user, {
			ownerId: user.id,
			hasPassword: methods.hasPassword,
			otherIdentities: methods.identities.length - 1
		})
	}));
	return {
		hasPassword: methods.hasPassword,
		linked,
		linkable: canLinkProvider(user)
			? providerButtons().filter((p) => !linked.some((l) => l.provider === p.id))
			: [],
		sso: ssoNotice(event.url),
		referral: {
			url: new URL(referrals.path, event.url.origin).href,
			joined: referrals.joined
		},
		leaderboardListed: !optedOut,
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
				return tooManyAttempts(event, result.limited, m.account_too_many_wrong_passwords());
			}
			return fail(400, {
				passwordErrors: result.errors,
				passwordMessage: null,
				passwordChanged: false
			});
		}
		return { passwordErrors: {} as FieldErrors, passwordMessage: null, passwordChanged: true };
	},
	/** For an account made by single sign-on: its first password is set through a reset link. */
	sendPasswordLink: async (event) => {
		const user = requireUser(event);
		const result = await requestPasswordReset(
			getDb(),
			rateLimits(),
			{ email: user.email },
			{ ...clientInfo(event), origin: event.url.origin }
		);
		if (!result.ok) {
			return tooManyAttempts(event, result.limited, m.account_too_many_resets());
		}
		return { passwordLinkSent: true };
	},
	unlinkProvider: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event.request);
		const parsed = parseForm(form, unlinkSchema, ['provider']);
		if (!parsed.ok) {
			return fail(400, { unlinkMessage: m.account_choose_provider_to_unlink() });
		}
		const { provider } = parsed.data;
		const result = await unlinkProvider(getDb(), user.id, provider, (methods) =>
			canUnlinkProvider(user, { ownerId: user.id, ...methods })
		);
		if (!result.ok) {
			return fail(result.reason === 'not_linked' ? 404 : 409, {
				unlinkMessage:
					result.reason === 'not_linked'
						? m.account_provider_not_linked({ provider: providerLabel(provider) })
						: m.account_provider_only_way({ provider: providerLabel(provider) })
			});
		}
		redirect(303, `/settings?sso=unlinked&provider=${provider}`);
	},
	resendVerification: async (event) => {
		const user = requireUser(event);
		const result = await resendVerificationEmail(getDb(), rateLimits(), user.id, event.url.origin);
		if (!result.ok) {
			if (result.reason === 'limited') {
				event.setHeaders({ 'Retry-After': String(result.limited.retryAfterSeconds) });
				return fail(429, {
					verificationMessage: `${m.account_verification_limited()} ${tryAgainIn(result.limited.retryAfterSeconds)}`,
					verificationSent: false
				});
			}
			return { verificationMessage: null, verificationSent: false };
		}
		return { verificationMessage: null, verificationSent: true };
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
