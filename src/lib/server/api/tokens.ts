// Personal API tokens: created in /settings/tokens, shown once, kept only as their SHA-256 (as
// sessions are), recognisable by their `rt_` prefix (secret scanners and people alike), listed
// with when they were last used, and revocable. A token acts as its owner within its scopes.
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { z } from 'zod';
import type { Db } from '../db';
import { hashToken } from '../auth/session';
import { requiredText } from '../forms';
import {
	API_SCOPES,
	canGrantApiScope,
	canManageApiTokens,
	type Actor,
	type ApiScope,
	type UserActor
} from '../policy';

export const TOKEN_PREFIX = 'rt_';
/** How much of the token the list shows (the prefix and 7 characters of the secret). */
const SHOWN_LENGTH = TOKEN_PREFIX.length + 7;
export const TOKEN_NAME_MAX = 80;
/** Tokens a member may hold at once (live ones): enough for every script, not a mint. */
export const TOKENS_PER_USER = 25;
const DAY = 86_400_000;
export const TOKEN_EXPIRY_CHOICES = ['never', '7', '30', '90', '365'] as const;

/** `rt_` and 160 random bits in base32: 35 characters, nothing to guess. */
export function generateApiToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
}

export function looksLikeApiToken(value: string): boolean {
	return /^rt_[a-z2-7]{32}$/.test(value);
}

export const createTokenSchema = z.object({
	name: requiredText('Name the token, for example after the script that uses it.').max(
		TOKEN_NAME_MAX,
		`Use at most ${TOKEN_NAME_MAX} characters for the name.`
	),
	scopes: z
		.array(z.enum(API_SCOPES, { error: 'Choose scopes from the list.' }))
		.min(1, 'Choose at least one scope.'),
	expires: z.enum(TOKEN_EXPIRY_CHOICES, { error: 'Choose when the token expires.' }).default('90')
});
export const CREATE_TOKEN_FIELDS = ['name', 'expires'] as const;
export const CREATE_TOKEN_LISTS = ['scopes'] as const;
export type CreateTokenInput = z.output<typeof createTokenSchema>;

export type CreateTokenResult =
	| { ok: true; token: string; id: number }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'invalid'; errors: Partial<Record<keyof CreateTokenInput, string>> };

/** Creates a token for the actor; the plain token is in the result and nowhere else, ever. */
export async function createApiToken(
	db: Db,
	actor: Actor,
	input: CreateTokenInput,
	now = new Date()
): Promise<CreateTokenResult> {
	if (!canManageApiTokens(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const scopes = API_SCOPES.filter((scope) => input.scopes.includes(scope));
	if (scopes.some((scope) => !canGrantApiScope(actor, scope))) {
		return {
			ok: false,
			reason: 'invalid',
			errors: { scopes: 'The staff scope is for staff accounts only.' }
		};
	}
	const live = await db
		.selectFrom('api_token')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('user_id', '=', actor.id)
		.where('revoked_at', 'is', null)
		.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
		.executeTakeFirstOrThrow();
	if (Number(live.n) >= TOKENS_PER_USER) {
		return {
			ok: false,
			reason: 'invalid',
			errors: { name: `You have ${TOKENS_PER_USER} tokens: revoke one you no longer use first.` }
		};
	}
	const token = generateApiToken();
	const row = await db
		.insertInto('api_token')
		.values({
			user_id: actor.id,
			name: input.name,
			token_hash: hashToken(token),
			token_prefix: token.slice(0, SHOWN_LENGTH),
			scopes,
			expires_at:
				input.expires === 'never' ? null : new Date(now.getTime() + Number(input.expires) * DAY)
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return { ok: true, token, id: row.id };
}

export interface ApiTokenSummary {
	id: number;
	name: string;
	/** `rt_abcdefg`: enough to tell tokens apart, useless to an attacker. */
	prefix: string;
	scopes: ApiScope[];
	createdAt: Date;
	expiresAt: Date | null;
	lastUsedAt: Date | null;
	expired: boolean;
}

/** The member's tokens that were not revoked, newest first (expired ones stay, marked, to clear). */
export async function listApiTokens(
	db: Db,
	actor: UserActor,
	now = new Date()
): Promise<ApiTokenSummary[]> {
	const rows = await db
		.selectFrom('api_token')
		.select(['id', 'name', 'token_prefix', 'scopes', 'created_at', 'expires_at', 'last_used_at'])
		.where('user_id', '=', actor.id)
		.where('revoked_at', 'is', null)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.execute();
	return rows.map((row) => ({
		id: row.id,
		name: row.name,
		prefix: row.token_prefix,
		scopes: row.scopes as ApiScope[],
		createdAt: row.created_at,
		expiresAt: row.expires_at,
		lastUsedAt: row.last_used_at,
		expired: row.expires_at !== null && row.expires_at.getTime() <= now.getTime()
	}));
}

/** Revokes one of the actor's own tokens; false when there is no such live token of theirs. */
export async function revokeApiToken(db: Db, actor: Actor, tokenId: number): Promise<boolean> {
	if (!canManageApiTokens(actor)) {
		return false;
	}
	const result = await db
		.updateTable('api_token')
		.set({ revoked_at: new Date() })
		.where('id', '=', tokenId)
		.where('user_id', '=', actor.id)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export interface AuthenticatedToken {
	id: number;
	scopes: ApiScope[];
	actor: UserActor;
}

/** `last_used_at` is written at most once a minute per token: a busy script is not a write storm. */
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * The token's owner and scopes, or null when the token is unknown, revoked or expired. The
 * owner's role and suspension are read now, so a demotion or suspension applies at once.
 */
export async function authenticateApiToken(
	db: Db,
	token: string,
	now = new Date()
): Promise<AuthenticatedToken | null> {
	if (!looksLikeApiToken(token)) {
		return null;
	}
	const row = await db
		.selectFrom('api_token')
		.innerJoin('app_user', 'app_user.id', 'api_token.user_id')
		.select([
			'api_token.id',
			'api_token.scopes',
			'api_token.expires_at',
			'api_token.revoked_at',
			'api_token.last_used_at',
			'app_user.id as user_id',
			'app_user.email',
			'app_user.handle',
			'app_user.display_name',
			'app_user.role',
			'app_user.suspended_until'
		])
		.where('api_token.token_hash', '=', hashToken(token))
		.executeTakeFirst();
	if (!row || row.revoked_at !== null) {
		return null;
	}
	if (row.expires_at !== null && row.expires_at.getTime() <= now.getTime()) {
		return null;
	}
	if (
		row.last_used_at === null ||
		now.getTime() - row.last_used_at.getTime() >= LAST_USED_GRANULARITY_MS
	) {
		await db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', row.id).execute();
	}
	return {
		id: row.id,
		scopes: row.scopes as ApiScope[],
		actor: {
			kind: 'user',
			id: row.user_id,
			email: row.email,
			handle: row.handle,
			displayName: row.display_name,
			role: row.role,
			suspendedUntil: row.suspended_until
		}
	};
}
