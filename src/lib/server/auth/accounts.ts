// Accounts: sign up, sign in, change and reset passwords. Routes parse input with the schemas
// here and map the results; the rules live here.
import { sql } from 'kysely';
import { z } from 'zod';
import { lockSiteSetup, type Db } from '../db';
import type { User } from '../db/schema';
import { config } from '../config';
import { sendOnce } from '../email/mailer';
import type { JobRun } from '../jobs';
import { recipientLocale } from '../email/render';
import { m } from '$lib/paraglide/messages';
import { enqueue } from '../jobs';
import {
	checkLimit,
	hitLimit,
	refundLimit,
	resetLimit,
	type Limited,
	type RateLimits
} from '../rate-limit';
import { requiredText } from '../forms';
import { creditReferral } from '../customers/referrals';
import { generateSessionToken, hashToken, invalidateUserSessions } from './session';
import { queueVerificationEmail } from './verification';
import {
	PASSWORD_MAX,
	hashPassword,
	passwordProblem,
	verifyDecoy,
	verifyPassword
} from './password';

export const HANDLE_PATTERN = /^[A-Za-z0-9_]{3,30}$/;
const RESET_LIFETIME_MS = 60 * 60 * 1000;

const email = requiredText(() => m.account_email_required())
	.max(254, { error: () => m.account_email_too_long() })
	.toLowerCase()
	.pipe(z.email({ error: () => m.account_email_invalid({ example: 'name@example.com' }) }));

const newPassword = z
	.string({ error: () => m.account_password_choose() })
	.superRefine((password, ctx) => {
		const problem = passwordProblem(password);
		if (problem) {
			ctx.addIssue({ code: 'custom', message: problem });
		}
	});

export const signUpSchema = z
	.object({
		email,
		handle: requiredText(() => m.account_handle_required()).regex(HANDLE_PATTERN, {
			error: () => m.account_handle_invalid()
		}),
		displayName: requiredText(() => m.account_display_name_required()).max(60, {
			error: () => m.account_at_most_chars({ max: 60 })
		}),
		password: newPassword
	})
	.superRefine((input, ctx) => {
		const problem = passwordProblem(input.password, input);
		if (problem) {
			ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
		}
	});
export const SIGN_UP_FIELDS = ['email', 'handle', 'displayName', 'password'] as const;
export type SignUpInput = z.output<typeof signUpSchema>;

export const signInSchema = z.object({
	identifier: requiredText(() => m.account_identifier_required()).max(254, {
		error: () => m.account_too_long()
	}),
	password: z
		.string({ error: () => m.account_password_required() })
		.min(1, { error: () => m.account_password_required() })
		.max(PASSWORD_MAX, { error: () => m.account_password_too_long() })
});
export const SIGN_IN_FIELDS = ['identifier', 'password'] as const;

export const changePasswordSchema = z.object({
	currentPassword: z
		.string({ error: () => m.account_current_password_required() })
		.min(1, { error: () => m.account_current_password_required() }),
	newPassword
});
export const CHANGE_PASSWORD_FIELDS = ['currentPassword', 'newPassword'] as const;

export const resetRequestSchema = z.object({ email });
export const resetPasswordSchema = z.object({ password: newPassword });

export interface ClientInfo {
	ip: string;
	userAgent?: string | null;
}

export type SignUpResult =
	| { ok: true; user: User }
	| { ok: false; errors: Partial<Record<keyof SignUpInput, string>> }
	| { ok: false; limited: Limited };

function isUniqueViolation(error: unknown): boolean {
	return (error as { code?: string } | null)?.code === '23505';
}

async function takenFields(db: Db, input: Pick<SignUpInput, 'email' | 'handle'>) {
	const rows = await db
		.selectFrom('app_user')
		.select(['email', 'handle'])
		.where((eb) =>
			eb.or([
				eb('email', '=', input.email),
				eb(sql`lower(handle)`, '=', input.handle.toLowerCase())
			])
		)
		.execute();
	const errors: Partial<Record<'email' | 'handle', string>> = {};
	if (rows.some((r) => r.email === input.email)) {
		errors.email = m.account_email_taken();
	}
	if (rows.some((r) => r.handle.toLowerCase() === input.handle.toLowerCase())) {
		errors.handle = m.account_handle_taken();
	}
	return errors;
}

/**
 * Creates a member account. With ADMIN_EMAIL set, that account (and only it) becomes an admin,
 * so nobody can race the owner to a new public site; without it, the first account does. With
 * the site's `origin`, the mail that verifies the address is queued with the account.
 * A valid `referralCode` credits its owner in the same transaction; any other code is ignored.
 */
export async function signUp(
	db: Db,
	limits: RateLimits,
	input: SignUpInput,
	client: ClientInfo & { origin?: string },
	options: { referralCode?: string | null } = {}
): Promise<SignUpResult> {
	const limited = await checkLimit(limits.signUpIp, client.ip);
	if (limited) {
		return { ok: false, limited };
	}
	const taken = await takenFields(db, input);
	if (taken.email || taken.handle) {
		return { ok: false, errors: taken };
	}
	const passwordHash = await hashPassword(input.password);
	try {
		const user = await db.transaction().execute(async (trx) => {
			await lockSiteSetup(trx);
			const existing = await trx.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
			const adminEmail = config().ADMIN_EMAIL?.toLowerCase();
			const admin = adminEmail ? input.email === adminEmail : !existing;
			const created = await trx
				.insertInto('app_user')
				.values({
					email: input.email,
					handle: input.handle,
					display_name: input.displayName,
					password_hash: passwordHash,
					role: admin ? 'admin' : 'member'
				})
				.returningAll()
				.executeTakeFirstOrThrow();
			if (client.origin) {
				await queueVerificationEmail(trx, created.id, client.origin);
			}
			const referrerId = await creditReferral(trx, created.id, options.referralCode);
			return { ...created, referred_by_id: referrerId };
		});
		await hitLimit(limits.signUpIp, client.ip);
		return { ok: true, user };
	} catch (error) {
		if (isUniqueViolation(error)) {
			return { ok: false, errors: await takenFields(db, input) };
		}
		throw error;
	}
}

export type SignInResult =
	| { ok: true; user: User }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'limited'; limited: Limited };

export async function findUserByIdentifier(db: Db, identifier: string): Promise<User | undefined> {
	const value = identifier.trim();
	return db
		.selectFrom('app_user')
		.selectAll()
		.where(
			value.includes('@')
				? (eb) => eb('email', '=', value.toLowerCase())
				: (eb) => eb(sql`lower(handle)`, '=', value.toLowerCase())
		)
		.executeTakeFirst();
}

async function signInLimited(limits: RateLimits, ip: string, accountKey: string) {
	return (
		(await checkLimit(limits.signInIp, ip)) ?? (await checkLimit(limits.signInAccount, accountKey))
	);
}

/**
 * Checks an email-or-handle and password. Each attempt is counted against the client IP and the
 * account before the slow hash, in one atomic step per limit, so attempts that arrive together
 * (on one process or several) cannot all slip under the limit. A success takes its count back
 * from the IP and clears the account's.
 */
export async function signIn(
	db: Db,
	limits: RateLimits,
	input: { identifier: string; password: string },
	client: ClientInfo
): Promise<SignInResult> {
	const user = await findUserByIdentifier(db, input.identifier);
	const accountKey = user ? `user:${user.id}` : `name:${input.identifier.trim().toLowerCase()}`;
	const limited =
		(await hitLimit(limits.signInIp, client.ip)) ??
		(await hitLimit(limits.signInAccount, accountKey));
	if (limited) {
		return { ok: false, reason: 'limited', limited };
	}
	const valid = user
		? await verifyPassword(user.password_hash, input.password)
		: await verifyDecoy(input.password);
	if (user && valid) {
		await refundLimit(limits.signInIp, client.ip);
		await resetLimit(limits.signInAccount, accountKey);
		return { ok: true, user };
	}
	// Said on the failure that locks the account, not only on the next attempt.
	const nowLimited = await signInLimited(limits, client.ip, accountKey);
	return nowLimited
		? { ok: false, reason: 'limited', limited: nowLimited }
		: { ok: false, reason: 'invalid' };
}

export type ChangePasswordResult =
	| { ok: true }
	| { ok: false; errors: { currentPassword?: string; newPassword?: string } }
	| { ok: false; limited: Limited };

/** Changes the password and ends every other session of the user. */
export async function changePassword(
	db: Db,
	limits: RateLimits,
	userId: number,
	input: { currentPassword: string; newPassword: string },
	keepSessionId: string
): Promise<ChangePasswordResult> {
	const user = await db
		.selectFrom('app_user')
		.selectAll()
		.where('id', '=', userId)
		.executeTakeFirstOrThrow();
	const accountKey = `user:${user.id}`;
	const limited = await checkLimit(limits.signInAccount, accountKey);
	if (limited) {
		return { ok: false, limited };
	}
	if (user.password_hash === null) {
		// Made by single sign-on: the first password is set through a reset link (docs/sso.md).
		return {
			ok: false,
			errors: {
				currentPassword: m.account_no_password_yet()
			}
		};
	}
	if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
		const nowLimited = await hitLimit(limits.signInAccount, accountKey);
		return nowLimited
			? { ok: false, limited: nowLimited }
			: { ok: false, errors: { currentPassword: m.account_wrong_current_password() } };
	}
	const problem = passwordProblem(input.newPassword, user);
	if (problem) {
		return { ok: false, errors: { newPassword: problem } };
	}
	const passwordHash = await hashPassword(input.newPassword);
	await db.transaction().execute(async (trx) => {
		await trx
			.updateTable('app_user')
			.set({ password_hash: passwordHash, password_changed_at: new Date() })
			.where('id', '=', user.id)
			.execute();
		await invalidateUserSessions(trx, user.id, keepSessionId);
	});
	return { ok: true };
}

/**
 * Emails a single-use reset link valid for an hour, if an account has this address. The answer
 * is the same either way, so the form does not reveal which addresses have accounts. The mail
 * goes out from the job queue (sendPasswordResetEmail): a slow or failing mail server neither
 * delays the answer nor loses the mail.
 */
export async function requestPasswordReset(
	db: Db,
	limits: RateLimits,
	input: { email: string },
	client: ClientInfo & { origin: string }
): Promise<{ ok: true } | { ok: false; limited: Limited }> {
	const limited =
		(await hitLimit(limits.resetIp, client.ip)) ?? (await hitLimit(limits.resetEmail, input.email));
	if (limited) {
		return { ok: false, limited };
	}
	const user = await db
		.selectFrom('app_user')
		.select(['id'])
		.where('email', '=', input.email)
		.executeTakeFirst();
	if (!user) {
		return { ok: true };
	}
	// The job makes the token itself, so no usable link ever sits in the queue's tables.
	await enqueue(db, [
		{
			name: 'password-reset-email',
			data: { userId: user.id, requestId: crypto.randomUUID(), origin: client.origin }
		}
	]);
	return { ok: true };
}

/**
 * The `password-reset-email` job: makes the reset token and mails its link, once per request
 * (claimed under the request's id, see sendOnce); a failed send takes back the token and the claim
 * and throws, so the retry sends a fresh link. A sender that died mid-send leaves its token valid
 * until it expires; the retry mails another, also valid.
 */
export async function sendPasswordResetEmail(
	db: Db,
	job: { userId: number; requestId: string; origin: string },
	run?: JobRun
): Promise<'sent' | 'gone' | 'already_sent'> {
	const user = await db
		.selectFrom('app_user')
		.select(['id', 'email', 'display_name', 'locale'])
		.where('id', '=', job.userId)
		.executeTakeFirst();
	if (!user) {
		return 'gone';
	}
	let resetId: string | undefined;
	try {
		const sent = await sendOnce(
			db,
			`reset:${job.requestId}`,
			async (tx) => {
				const token = generateSessionToken();
				resetId = hashToken(token);
				await tx
					.insertInto('password_reset')
					.values({
						id: resetId,
						user_id: user.id,
						expires_at: new Date(Date.now() + RESET_LIFETIME_MS)
					})
					.execute();
				const { SITE_NAME } = config();
				const o = { locale: recipientLocale(user.locale) };
				return {
					to: user.email,
					subject: m.email_reset_subject({ site: SITE_NAME }, o),
					text: [
						m.email_greeting({ name: user.display_name }, o),
						'',
						m.email_reset_intro({ site: SITE_NAME }, o),
						m.email_reset_link({}, o),
						'',
						`${job.origin}/reset-password/${token}`,
						'',
						m.email_reset_ignore({}, o)
					].join('\n')
				};
			},
			run
		);
		return sent ? 'sent' : 'already_sent';
	} catch (error) {
		if (resetId) {
			await db.deleteFrom('password_reset').where('id', '=', resetId).execute();
		}
		throw error;
	}
}

async function findValidReset(db: Db, token: string) {
	return db
		.selectFrom('password_reset')
		.select(['id', 'user_id'])
		.where('id', '=', hashToken(token))
		.where('used_at', 'is', null)
		.where('expires_at', '>', new Date())
		.executeTakeFirst();
}

export async function isResetTokenValid(db: Db, token: string): Promise<boolean> {
	return (await findValidReset(db, token)) !== undefined;
}

export type ResetPasswordResult =
	| { ok: true; userId: number }
	| { ok: false; reason: 'invalid_token' }
	| { ok: false; reason: 'password'; message: string };

/** Sets a new password from a reset link: uses the link up and ends every session of the account. */
export async function resetPassword(
	db: Db,
	input: { token: string; password: string }
): Promise<ResetPasswordResult> {
	const reset = await findValidReset(db, input.token);
	if (!reset) {
		return { ok: false, reason: 'invalid_token' };
	}
	const user = await db
		.selectFrom('app_user')
		.select(['email', 'handle'])
		.where('id', '=', reset.user_id)
		.executeTakeFirstOrThrow();
	const problem = passwordProblem(input.password, user);
	if (problem) {
		return { ok: false, reason: 'password', message: problem };
	}
	const passwordHash = await hashPassword(input.password);
	return db.transaction().execute(async (trx): Promise<ResetPasswordResult> => {
		// The conditional update is what makes the link single-use, even under concurrent submits.
		const used = await trx
			.updateTable('password_reset')
			.set({ used_at: new Date() })
			.where('id', '=', reset.id)
			.where('used_at', 'is', null)
			.where('expires_at', '>', new Date())
			.returning('user_id')
			.executeTakeFirst();
		if (!used) {
			return { ok: false, reason: 'invalid_token' };
		}
		await trx
			.updateTable('password_reset')
			.set({ used_at: new Date() })
			.where('user_id', '=', used.user_id)
			.where('used_at', 'is', null)
			.execute();
		await trx
			.updateTable('app_user')
			.set({ password_hash: passwordHash, password_changed_at: new Date() })
			.where('id', '=', used.user_id)
			.execute();
		await invalidateUserSessions(trx, used.user_id);
		return { ok: true, userId: used.user_id };
	});
}
