// Referral links: every member has one; a sign-up through it credits the referrer in the ledger
// (`referral_joined`), once per new account, never for referring oneself.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db';
import { recordActivity } from '../activity';

/** 12 random bytes in base64url: 16 characters nobody can guess or enumerate. */
export const REFERRAL_CODE_PATTERN = /^[A-Za-z0-9_-]{16}$/;

function newReferralCode(): string {
	return randomBytes(12).toString('base64url');
}

/** The cookie `/join/<code>` leaves, so a visitor who looks around first is still credited. */
export const REFERRAL_COOKIE = 'rt_ref';
export const REFERRAL_COOKIE_DAYS = 30;

export function referralPath(code: string): string {
	return `/join/${code}`;
}

/** The member's referral code, made on first use (a unique clash is retried with a new code). */
export async function ensureReferralCode(db: Db, userId: number): Promise<string> {
	for (let attempt = 0; attempt < 3; attempt++) {
		const existing = await db
			.selectFrom('app_user')
			.select('referral_code')
			.where('id', '=', userId)
			.executeTakeFirstOrThrow();
		if (existing.referral_code) {
			return existing.referral_code;
		}
		try {
			const updated = await db
				.updateTable('app_user')
				.set({ referral_code: newReferralCode() })
				.where('id', '=', userId)
				.where('referral_code', 'is', null)
				.returning('referral_code')
				.executeTakeFirst();
			if (updated?.referral_code) {
				return updated.referral_code;
			}
		} catch (error) {
			if ((error as { code?: string } | null)?.code !== '23505') {
				throw error;
			}
		}
	}
	throw new Error('Could not make a referral code.');
}

/** The member a code belongs to, or null for a malformed or unknown code. */
export async function findReferrer(
	db: Db,
	code: string | null | undefined
): Promise<{ id: number; displayName: string } | null> {
	if (!code || !REFERRAL_CODE_PATTERN.test(code)) {
		return null;
	}
	const row = await db
		.selectFrom('app_user')
		.select(['id', 'display_name'])
		.where('referral_code', '=', code)
		.executeTakeFirst();
	return row ? { id: row.id, displayName: row.display_name } : null;
}

/**
 * Credits the owner of `code` with the new account `newUserId`, inside the sign-up transaction;
 * returns the referrer's id. An unknown code, the new member's own code or an account already
 * credited changes nothing (null).
 */
export async function creditReferral(
	trx: Db,
	newUserId: number,
	code: string | null | undefined
): Promise<number | null> {
	const referrer = await findReferrer(trx, code);
	if (!referrer || referrer.id === newUserId) {
		return null;
	}
	const credited = await trx
		.updateTable('app_user')
		.set({ referred_by_id: referrer.id })
		.where('id', '=', newUserId)
		.where('referred_by_id', 'is', null)
		.returning('id')
		.executeTakeFirst();
	if (!credited) {
		return null;
	}
	await recordActivity(trx, {
		userId: referrer.id,
		kind: 'referral_joined',
		data: { referredUserId: newUserId }
	});
	return referrer.id;
}

export interface ReferralSummary {
	code: string;
	path: string;
	joined: { handle: string; displayName: string; joinedAt: Date }[];
}

/** What a member sees of their referrals: their link and who joined through it. */
export async function referralSummary(db: Db, userId: number): Promise<ReferralSummary> {
	const code = await ensureReferralCode(db, userId);
	const joined = await db
		.selectFrom('app_user')
		.select(['handle', 'display_name', 'created_at'])
		.where('referred_by_id', '=', userId)
		.orderBy('created_at', 'desc')
		.orderBy(sql`id`, 'desc')
		.execute();
	return {
		code,
		path: referralPath(code),
		joined: joined.map((r) => ({
			handle: r.handle,
			displayName: r.display_name,
			joinedAt: r.created_at
		}))
	};
}
