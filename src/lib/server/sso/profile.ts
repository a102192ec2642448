// What a provider tells us about a person, turned into what an account needs: a valid handle
// to start from, a display name, and which email (if any) the provider vouches for.
import { HANDLE_PATTERN } from '../auth/accounts';

/** What the app keeps from a provider's answer, whichever provider it was. */
export interface ProviderIdentity {
	/** Whose namespace `subject` is in: the OIDC issuer, or GitHub's address. */
	issuer: string;
	/** The provider's stable id for the person (OIDC `sub`, GitHub's numeric id). */
	subject: string;
	email: string | null;
	/** True only when the provider says it checked the person reads mail at `email`. */
	emailVerified: boolean;
	username: string | null;
	name: string | null;
}

const HANDLE_MAX = 30;
const HANDLE_MIN = 3;
const DISPLAY_NAME_MAX = 60;

/**
 * A handle in the app's rules made from what the provider offers: the username, else the name,
 * else the email's local part. Accents are dropped, anything else becomes an underscore.
 */
export function handleBase(
	identity: Pick<ProviderIdentity, 'username' | 'name' | 'email'>
): string {
	const source =
		[identity.username, identity.name, identity.email?.split('@')[0]].find(
			(v) => v && v.trim().length > 0
		) ?? '';
	let handle = source
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9_]+/g, '_')
		.replace(/_+/g, '_')
		.replace(/^_|_$/g, '')
		.slice(0, HANDLE_MAX);
	if (handle.length < HANDLE_MIN) {
		handle = handle ? `${handle}_member` : 'member';
	}
	return handle;
}

/** The n-th candidate for a handle: the base, then base_2, base_3…, cut to fit 30 characters. */
export function handleCandidate(base: string, n: number): string {
	if (n <= 1) {
		return base;
	}
	const suffix = `_${n}`;
	return base.slice(0, HANDLE_MAX - suffix.length) + suffix;
}

export function isValidHandle(handle: string): boolean {
	return HANDLE_PATTERN.test(handle);
}

/** The name others see: the provider's name, else the username, else the handle. */
export function displayNameFrom(
	identity: Pick<ProviderIdentity, 'name' | 'username'>,
	handle: string
): string {
	const name = [identity.name, identity.username]
		.map((v) => v?.replace(/\s+/g, ' ').trim())
		.find((v) => v && v.length > 0);
	return (name ?? handle).slice(0, DISPLAY_NAME_MAX);
}

export interface GitHubUser {
	id: number;
	login: string;
	name: string | null;
	email: string | null;
}

export interface GitHubEmail {
	email: string;
	primary: boolean;
	verified: boolean;
}

export const GITHUB_ISSUER = 'https://github.com';

/**
 * A GitHub account as an identity. Only the primary address, when GitHub verified it, is
 * vouched for; otherwise the primary (or public) address is kept as unverified, which may start
 * a new account but never opens an existing one.
 */
export function githubIdentity(user: GitHubUser, emails: GitHubEmail[]): ProviderIdentity {
	const primary = emails.find((e) => e.primary);
	const email = primary?.email ?? user.email ?? null;
	return {
		issuer: GITHUB_ISSUER,
		subject: String(user.id),
		email: email ? email.trim().toLowerCase() : null,
		emailVerified: !!primary?.verified,
		username: user.login,
		name: user.name
	};
}

/** OIDC says `email_verified` as a boolean; a few issuers send the string "true". */
export function claimIsTrue(value: unknown): boolean {
	return value === true || value === 'true';
}
