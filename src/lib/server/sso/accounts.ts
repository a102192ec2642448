// Accounts and provider identities: who a sign-on is, whether it may open an existing account,
// and linking and unlinking. The rule that matters most: an identity reaches an existing account
// only through its own link, or through an email address the provider verified; an unverified
// address that matches an account is refused, never linked (that would be account takeover).
import { sql } from 'kysely';
import { z } from 'zod';
import { lockSiteSetup, type Db } from '../db';
import { config } from '../config';
import { checkLimit, hitLimit, type Limited, type RateLimits } from '../rate-limit';
import type { ClientInfo } from '../auth/accounts';
import { joinCompanyByVerifiedDomain } from '../companies/membership';
import {
	displayNameFrom,
	handleBase,
	handleCandidate,
	isValidHandle,
	type ProviderIdentity
} from './profile';
import type { ProviderId } from './providers';

export type SsoSignInResult =
	| { ok: true; userId: number; outcome: 'signed_in' | 'linked' | 'created' }
	| {
			ok: false;
			/**
			 * email_unverified: an account has this address but the provider did not verify it.
			 * admin_email_unverified: the address is ADMIN_EMAIL, which only a verified sign-on may take.
			 * no_email: the provider shared no address, and an account needs one.
			 * other_identity_linked: the account with this verified address already has another
			 * identity at this provider.
			 */
			reason:
				| 'email_unverified'
				| 'account_unverified'
				| 'admin_email_unverified'
				| 'no_email'
				| 'other_identity_linked';
	  }
	| { ok: false; reason: 'limited'; limited: Limited };

const emailSchema = z.email();

/** The address as the app keeps it, or null when the provider's is not a usable address. */
function usableEmail(email: string | null): string | null {
	const value = email?.trim().toLowerCase() ?? '';
	return value.length <= 254 && emailSchema.safeParse(value).success ? value : null;
}

function isUniqueViolation(error: unknown): boolean {
	return (error as { code?: string } | null)?.code === '23505';
}

async function linkedUserId(
	db: Db,
	provider: ProviderId,
	identity: ProviderIdentity
): Promise<number | null> {
	const row = await db
		.updateTable('oauth_account')
		.set({ last_used_at: new Date(), email: usableEmail(identity.email) })
		.where('provider', '=', provider)
		.where('issuer', '=', identity.issuer)
		.where('provider_user_id', '=', identity.subject)
		.returning('user_id')
		.executeTakeFirst();
	return row?.user_id ?? null;
}

async function insertLink(
	db: Db,
	userId: number,
	provider: ProviderId,
	identity: ProviderIdentity
): Promise<void> {
	await db
		.insertInto('oauth_account')
		.values({
			provider,
			issuer: identity.issuer,
			provider_user_id: identity.subject,
			user_id: userId,
			email: usableEmail(identity.email)
		})
		.execute();
}

/** The first free handle from the identity's base: base, base_2, base_3…, then a random tail. */
async function freeHandle(db: Db, identity: ProviderIdentity): Promise<string> {
	const base = handleBase(identity);
	const candidates = Array.from({ length: 20 }, (_, i) => handleCandidate(base, i + 1));
	const taken = new Set(
		(
			await db
				.selectFrom('app_user')
				.select(sql<string>`lower(handle)`.as('handle'))
				.where(
					sql`lower(handle)`,
					'in',
					candidates.map((c) => c.toLowerCase())
				)
				.execute()
		).map((r) => r.handle)
	);
	const free = candidates.find((c) => !taken.has(c.toLowerCase()) && isValidHandle(c));
	return free ?? handleCandidate(base, 1000 + Math.floor(Math.random() * 9_000_000));
}

/**
 * Creates the account for a new identity. ADMIN_EMAIL's rule holds as for a password sign-up,
 * with one more condition: only a provider-verified address becomes admin, and an unverified
 * ADMIN_EMAIL is refused outright so nobody can squat the owner's address.
 */
async function createAccount(
	db: Db,
	provider: ProviderId,
	identity: ProviderIdentity,
	email: string
): Promise<number | 'admin_email_unverified'> {
	const adminEmail = config().ADMIN_EMAIL?.toLowerCase();
	if (adminEmail && email === adminEmail && !identity.emailVerified) {
		return 'admin_email_unverified';
	}
	const handle = await freeHandle(db, identity);
	return db.transaction().execute(async (trx) => {
		await lockSiteSetup(trx);
		const existing = await trx.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
		const admin = identity.emailVerified && (adminEmail ? email === adminEmail : !existing);
		const user = await trx
			.insertInto('app_user')
			.values({
				email,
				handle,
				display_name: displayNameFrom(identity, handle),
				password_hash: null,
				role: admin ? 'admin' : 'member',
				email_verified_at: identity.emailVerified ? new Date() : null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await insertLink(trx, user.id, provider, identity);
		if (identity.emailVerified) {
			await joinCompanyByVerifiedDomain(trx, user.id);
		}
		return user.id;
	});
}

/**
 * Signs a provider identity in: its linked account; else the account with the address the
 * provider verified (linking the identity to it); else a new account. Creating an account counts
 * against the sign-up limit per client IP, as a password sign-up does.
 */
export async function signInWithIdentity(
	db: Db,
	limits: RateLimits,
	provider: ProviderId,
	identity: ProviderIdentity,
	client: ClientInfo
): Promise<SsoSignInResult> {
	// Two callbacks for the same new identity at once: the loser's insert fails on the primary
	// key, and its second pass finds the winner's link.
	for (let attempt = 0; ; attempt++) {
		try {
			return await signInOnce(db, limits, provider, identity, client);
		} catch (error) {
			if (!isUniqueViolation(error) || attempt > 0) {
				throw error;
			}
		}
	}
}

async function signInOnce(
	db: Db,
	limits: RateLimits,
	provider: ProviderId,
	identity: ProviderIdentity,
	client: ClientInfo
): Promise<SsoSignInResult> {
	const linked = await linkedUserId(db, provider, identity);
	if (linked !== null) {
		return { ok: true, userId: linked, outcome: 'signed_in' };
	}
	const email = usableEmail(identity.email);
	if (!email) {
		return { ok: false, reason: 'no_email' };
	}
	const owner = await db
		.selectFrom('app_user')
		.select(['id', 'email_verified_at'])
		.where('email', '=', email)
		.executeTakeFirst();
	if (owner) {
		if (!identity.emailVerified) {
			return { ok: false, reason: 'email_unverified' };
		}
		const taken = await providerLinked(db, owner.id, provider, identity.issuer);
		if (taken) {
			// The account already has another identity at this provider: linking a second one by
			// email would silently add a way in; the member can swap it in settings.
			return { ok: false, reason: 'other_identity_linked' };
		}
		if (!owner.email_verified_at) {
			// Both sides must have proved the address: an account registered with someone else's
			// address and never confirmed must not receive the real owner's identity (its
			// registrant would keep a way in). The owner can reset the password by email instead.
			return { ok: false, reason: 'account_unverified' };
		}
		await insertLink(db, owner.id, provider, identity);
		return { ok: true, userId: owner.id, outcome: 'linked' };
	}
	const limited = await checkLimit(limits.signUpIp, client.ip);
	if (limited) {
		return { ok: false, reason: 'limited', limited };
	}
	const created = await createAccount(db, provider, identity, email);
	if (created === 'admin_email_unverified') {
		return { ok: false, reason: created };
	}
	await hitLimit(limits.signUpIp, client.ip);
	return { ok: true, userId: created, outcome: 'created' };
}

async function providerLinked(
	db: Db,
	userId: number,
	provider: ProviderId,
	issuer: string
): Promise<boolean> {
	const row = await db
		.selectFrom('oauth_account')
		.select('user_id')
		.where('user_id', '=', userId)
		.where('provider', '=', provider)
		.where('issuer', '=', issuer)
		.executeTakeFirst();
	return row !== undefined;
}

export type LinkResult =
	| { ok: true; outcome: 'linked' | 'already_linked' }
	| {
			ok: false;
			/** identity_taken: another member has it. provider_taken: this member has another one there. */
			reason: 'identity_taken' | 'provider_taken';
	  };

/**
 * Links an identity to the signed-in member, who proved both sides (their session and the
 * provider's sign-in), so the email addresses need not match.
 */
export async function linkIdentity(
	db: Db,
	userId: number,
	provider: ProviderId,
	identity: ProviderIdentity
): Promise<LinkResult> {
	const current = await linkedUserId(db, provider, identity);
	if (current !== null) {
		return current === userId
			? { ok: true, outcome: 'already_linked' }
			: { ok: false, reason: 'identity_taken' };
	}
	if (await providerLinked(db, userId, provider, identity.issuer)) {
		return { ok: false, reason: 'provider_taken' };
	}
	try {
		await insertLink(db, userId, provider, identity);
	} catch (error) {
		if (isUniqueViolation(error)) {
			// Someone linked it (or this member linked another) in the meantime.
			const now = await linkedUserId(db, provider, identity);
			return now === userId
				? { ok: true, outcome: 'already_linked' }
				: { ok: false, reason: now === null ? 'provider_taken' : 'identity_taken' };
		}
		throw error;
	}
	return { ok: true, outcome: 'linked' };
}

export interface LinkedIdentity {
	provider: ProviderId;
	issuer: string;
	email: string | null;
	createdAt: Date;
	lastUsedAt: Date;
}

export interface SignInMethodsOf {
	hasPassword: boolean;
	identities: LinkedIdentity[];
}

/** A member's ways to sign in: a password or not, and their linked identities, oldest first. */
export async function signInMethods(db: Db, userId: number): Promise<SignInMethodsOf> {
	const user = await db
		.selectFrom('app_user')
		.select(sql<boolean>`password_hash is not null`.as('hasPassword'))
		.where('id', '=', userId)
		.executeTakeFirstOrThrow();
	const identities = await db
		.selectFrom('oauth_account')
		.select([
			'provider',
			'issuer',
			'email',
			'created_at as createdAt',
			'last_used_at as lastUsedAt'
		])
		.where('user_id', '=', userId)
		.orderBy('created_at')
		.orderBy('provider')
		.execute();
	return { hasPassword: user.hasPassword, identities };
}

export type UnlinkResult =
	{ ok: true } | { ok: false; reason: 'not_linked' | 'last_sign_in_method' };

/**
 * Removes the member's identity at `provider`, unless it is their last way to sign in. The
 * member's row is locked, so two unlinks at once cannot both pass the check.
 */
export async function unlinkProvider(
	db: Db,
	userId: number,
	provider: ProviderId,
	mayUnlink: (methods: { hasPassword: boolean; otherIdentities: number }) => boolean
): Promise<UnlinkResult> {
	return db.transaction().execute(async (trx): Promise<UnlinkResult> => {
		const user = await trx
			.selectFrom('app_user')
			.select(sql<boolean>`password_hash is not null`.as('hasPassword'))
			.where('id', '=', userId)
			.forUpdate()
			.executeTakeFirstOrThrow();
		const links = await trx
			.selectFrom('oauth_account')
			.select(['provider', 'issuer'])
			.where('user_id', '=', userId)
			.execute();
		const mine = links.filter((l) => l.provider === provider);
		if (mine.length === 0) {
			return { ok: false, reason: 'not_linked' };
		}
		if (
			!mayUnlink({ hasPassword: user.hasPassword, otherIdentities: links.length - mine.length })
		) {
			return { ok: false, reason: 'last_sign_in_method' };
		}
		await trx
			.deleteFrom('oauth_account')
			.where('user_id', '=', userId)
			.where('provider', '=', provider)
			.execute();
		return { ok: true };
	});
}

/**
 * Counts a failed callback against the client IP, as a failed password sign-in counts; says
 * whether the address is limited now (on the failure that reaches the limit, as sign-in does).
 */
export async function countFailedSignOn(limits: RateLimits, ip: string): Promise<Limited | null> {
	return (await hitLimit(limits.signInIp, ip)) ?? (await checkLimit(limits.signInIp, ip));
}

/** Whether the client IP is over the failed sign-in limit already. */
export async function signOnLimited(limits: RateLimits, ip: string): Promise<Limited | null> {
	return checkLimit(limits.signInIp, ip);
}
