// Verified email: a single-use link, valid for a day, proves a member reads mail at their address.
// Like password resets, only the SHA-256 of the link's token is stored and the job makes the token,
// so no usable link sits in the queue. Verifying lets the member join their company by domain.
import type { Db } from '../db';
import { config } from '../config';
import { sendOnce } from '../email/mailer';
import type { JobRun } from '../jobs';
import { recipientLocale } from '../email/render';
import { m } from '$lib/paraglide/messages';
import { enqueue } from '../jobs';
import { hitLimit, type Limited, type RateLimits } from '../rate-limit';
import { joinCompanyByVerifiedDomain } from '../companies/membership';
import { generateSessionToken, hashToken } from './session';

export const VERIFICATION_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Queues the verification mail; call it in the transaction that creates the need (sign-up). */
export async function queueVerificationEmail(
	trx: Db,
	userId: number,
	origin: string
): Promise<void> {
	await enqueue(trx, [
		{ name: 'verify-email', data: { userId, requestId: crypto.randomUUID(), origin } }
	]);
}

export type ResendResult =
	| { ok: true }
	| { ok: false; reason: 'already_verified' }
	| { ok: false; reason: 'limited'; limited: Limited };

/** A member asks for the link again (three times an hour at most). */
export async function resendVerificationEmail(
	db: Db,
	limits: RateLimits,
	userId: number,
	origin: string
): Promise<ResendResult> {
	const user = await db
		.selectFrom('app_user')
		.select(['email_verified_at'])
		.where('id', '=', userId)
		.executeTakeFirstOrThrow();
	if (user.email_verified_at) {
		return { ok: false, reason: 'already_verified' };
	}
	const limited = await hitLimit(limits.verifyEmail, `user:${userId}`);
	if (limited) {
		return { ok: false, reason: 'limited', limited };
	}
	await queueVerificationEmail(db, userId, origin);
	return { ok: true };
}

/**
 * The `verify-email` job: makes the token and mails its link, once per request (claimed under
 * the request's id, see sendOnce); a failed send takes back the token and the claim and throws, so
 * the retry sends a fresh link. An address verified in the meantime gets no mail.
 */
export async function sendVerificationEmail(
	db: Db,
	job: { userId: number; requestId: string; origin: string },
	run?: JobRun
): Promise<'sent' | 'gone' | 'already_verified' | 'already_sent'> {
	const user = await db
		.selectFrom('app_user')
		.select(['id', 'email', 'display_name', 'email_verified_at', 'locale'])
		.where('id', '=', job.userId)
		.executeTakeFirst();
	if (!user) {
		return 'gone';
	}
	if (user.email_verified_at) {
		return 'already_verified';
	}
	let id: string | undefined;
	try {
		const sent = await sendOnce(
			db,
			`verify:${job.requestId}`,
			async (tx) => {
				const token = generateSessionToken();
				id = hashToken(token);
				await tx
					.insertInto('email_verification')
					.values({
						id,
						user_id: user.id,
						email: user.email,
						expires_at: new Date(Date.now() + VERIFICATION_LIFETIME_MS)
					})
					.execute();
				const { SITE_NAME } = config();
				const o = { locale: recipientLocale(user.locale) };
				return {
					to: user.email,
					subject: m.email_verify_subject({ site: SITE_NAME }, o),
					text: [
						m.email_greeting({ name: user.display_name }, o),
						'',
						m.email_verify_intro({ email: user.email, site: SITE_NAME }, o),
						m.email_verify_link({}, o),
						'',
						`${job.origin}/verify-email/${token}`,
						'',
						m.email_verify_ignore({}, o)
					].join('\n')
				};
			},
			run
		);
		return sent ? 'sent' : 'already_sent';
	} catch (error) {
		if (id) {
			await db.deleteFrom('email_verification').where('id', '=', id).execute();
		}
		throw error;
	}
}

export type VerifyEmailResult =
	| {
			ok: true;
			userId: number;
			email: string;
			company: { id: number; name: string; slug: string } | null;
	  }
	| { ok: false; reason: 'invalid_token' };

/**
 * Uses a verification link: marks the address verified (when it is still the account's address)
 * and lets the member join the company of that domain, all in one transaction.
 */
export async function verifyEmail(db: Db, token: string): Promise<VerifyEmailResult> {
	return db.transaction().execute(async (trx): Promise<VerifyEmailResult> => {
		// The conditional update is what makes the link single-use, even under concurrent clicks.
		const used = await trx
			.updateTable('email_verification')
			.set({ used_at: new Date() })
			.where('id', '=', hashToken(token))
			.where('used_at', 'is', null)
			.where('expires_at', '>', new Date())
			.returning(['user_id', 'email'])
			.executeTakeFirst();
		if (!used) {
			return { ok: false, reason: 'invalid_token' };
		}
		const user = await trx
			.updateTable('app_user')
			.set((eb) => ({ email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(new Date())) }))
			.where('id', '=', used.user_id)
			.where('email', '=', used.email)
			.returning(['id', 'email'])
			.executeTakeFirst();
		if (!user) {
			// The account's address changed since the link was sent: it proves nothing now.
			return { ok: false, reason: 'invalid_token' };
		}
		await trx
			.updateTable('email_verification')
			.set({ used_at: new Date() })
			.where('user_id', '=', user.id)
			.where('used_at', 'is', null)
			.execute();
		const company = await joinCompanyByVerifiedDomain(trx, user.id);
		return { ok: true, userId: user.id, email: user.email, company };
	});
}

/** Whether the account's address is verified (for /settings). */
export async function emailVerifiedAt(db: Db, userId: number): Promise<Date | null> {
	const row = await db
		.selectFrom('app_user')
		.select('email_verified_at')
		.where('id', '=', userId)
		.executeTakeFirst();
	return row?.email_verified_at ?? null;
}

/** Whether a link can still be used (the page asks before showing its button). */
export async function isVerificationTokenValid(db: Db, token: string): Promise<boolean> {
	const row = await db
		.selectFrom('email_verification')
		.select('id')
		.where('id', '=', hashToken(token))
		.where('used_at', 'is', null)
		.where('expires_at', '>', new Date())
		.executeTakeFirst();
	return row !== undefined;
}
