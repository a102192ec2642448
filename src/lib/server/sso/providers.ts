// The sign-on providers: GitHub (OAuth 2 with its REST API) and OpenID Connect issuers (Google,
// or any issuer found through discovery). arctic builds the authorization URL with PKCE and
// exchanges the code; jose checks ID tokens against the issuer's published keys.
import {
	ArcticFetchError,
	CodeChallengeMethod,
	OAuth2Client,
	OAuth2RequestError,
	UnexpectedErrorResponseBodyError,
	UnexpectedResponseError,
	type OAuth2Tokens
} from 'arctic';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { Config } from '../config';
import {
	GITHUB_ISSUER,
	claimIsTrue,
	githubIdentity,
	type GitHubEmail,
	type ProviderIdentity
} from './profile';

export type ProviderId = 'github' | 'google' | 'oidc';
export const PROVIDER_IDS: readonly ProviderId[] = ['github', 'google', 'oidc'];

/** The secrets of one sign-on attempt, kept in the browser's short-lived cookie. */
export interface Attempt {
	state: string;
	codeVerifier: string;
	/** OIDC only: bound into the ID token, so a token minted for another attempt is refused. */
	nonce: string | null;
}

export interface SsoProvider {
	id: ProviderId;
	/** For the button: "Continue with {label}". */
	label: string;
	usesNonce: boolean;
	authorizationUrl(redirectUri: string, attempt: Attempt): Promise<URL>;
	/** Exchanges the code and says who signed in; throws SsoError when that cannot be trusted. */
	identify(redirectUri: string, code: string, attempt: Attempt): Promise<ProviderIdentity>;
}

export type SsoFailure =
	/** The provider could not be reached or answered nonsense. */
	| 'provider_unavailable'
	/** The provider refused the code: used, expired, or not ours. */
	| 'code_rejected'
	/** The ID token failed a check: signature, issuer, audience, expiry or nonce. */
	| 'invalid_token';

export class SsoError extends Error {
	constructor(
		readonly reason: SsoFailure,
		message: string
	) {
		super(message);
		this.name = 'SsoError';
	}
}

const TIMEOUT_MS = 10_000;

/** arctic's errors as ours: a refused code is the visitor's problem, the rest the provider's. */
function exchangeFailure(error: unknown): SsoError {
	if (error instanceof OAuth2RequestError) {
		return new SsoError('code_rejected', `token endpoint refused the code: ${error.code}`);
	}
	if (
		error instanceof ArcticFetchError ||
		error instanceof UnexpectedResponseError ||
		error instanceof UnexpectedErrorResponseBodyError
	) {
		return new SsoError('provider_unavailable', `token endpoint failed: ${error.message}`);
	}
	return error instanceof SsoError
		? error
		: new SsoError('provider_unavailable', `token exchange failed: ${String(error)}`);
}

async function exchangeCode(
	client: OAuth2Client,
	tokenEndpoint: string,
	code: string,
	codeVerifier: string
): Promise<OAuth2Tokens> {
	let tokens: OAuth2Tokens;
	try {
		tokens = await client.validateAuthorizationCode(tokenEndpoint, code, codeVerifier);
	} catch (error) {
		throw exchangeFailure(error);
	}
	// GitHub answers a bad code with 200 and an `error` field.
	const data = tokens.data as { error?: unknown; access_token?: unknown };
	if (typeof data.error === 'string') {
		throw new SsoError('code_rejected', `token endpoint refused the code: ${data.error}`);
	}
	if (typeof data.access_token !== 'string') {
		throw new SsoError('provider_unavailable', 'token endpoint sent no access token');
	}
	return tokens;
}

async function getJson(url: string, accessToken: string, accept = 'application/json') {
	let response: Response;
	try {
		response = await fetch(url, {
			headers: {
				Authorization: `Bearer ${accessToken}`,
				Accept: accept,
				'User-Agent': 'Roundtable'
			},
			signal: AbortSignal.timeout(TIMEOUT_MS)
		});
	} catch (error) {
		throw new SsoError('provider_unavailable', `${url} unreachable: ${String(error)}`);
	}
	if (!response.ok) {
		await response.body?.cancel();
		throw new SsoError('provider_unavailable', `${url} answered ${response.status}`);
	}
	try {
		return (await response.json()) as unknown;
	} catch {
		throw new SsoError('provider_unavailable', `${url} sent no JSON`);
	}
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
	const result = schema.safeParse(value);
	if (!result.success) {
		throw new SsoError('provider_unavailable', `unexpected ${what}: ${result.error.message}`);
	}
	return result.data;
}

// ─── GitHub ─────────────────────────────────────────────────────────────────────────────────

export interface GitHubEndpoints {
	authorize: string;
	token: string;
	/** The REST API's base, for /user and /user/emails. */
	api: string;
}

export const GITHUB_ENDPOINTS: GitHubEndpoints = {
	authorize: 'https://github.com/login/oauth/authorize',
	token: 'https://github.com/login/oauth/access_token',
	api: 'https://api.github.com'
};

const githubUserSchema = z.object({
	id: z.number().int(),
	login: z.string().min(1),
	name: z.string().nullable().optional(),
	email: z.string().nullable().optional()
});
const githubEmailsSchema = z.array(
	z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() })
);

/** GitHub: OAuth 2 (no ID token), the person from /user and the verified address from /user/emails. */
export function githubProvider(options: {
	clientId: string;
	clientSecret: string;
	endpoints?: GitHubEndpoints;
}): SsoProvider {
	const endpoints = options.endpoints ?? GITHUB_ENDPOINTS;
	const client = (redirectUri: string) =>
		new OAuth2Client(options.clientId, options.clientSecret, redirectUri);
	return {
		id: 'github',
		label: 'GitHub',
		usesNonce: false,
		async authorizationUrl(redirectUri, attempt) {
			return client(redirectUri).createAuthorizationURLWithPKCE(
				endpoints.authorize,
				attempt.state,
				CodeChallengeMethod.S256,
				attempt.codeVerifier,
				['read:user', 'user:email']
			);
		},
		async identify(redirectUri, code, attempt) {
			const tokens = await exchangeCode(
				client(redirectUri),
				endpoints.token,
				code,
				attempt.codeVerifier
			);
			const accept = 'application/vnd.github+json';
			const user = parsed(
				githubUserSchema,
				await getJson(`${endpoints.api}/user`, tokens.accessToken(), accept),
				'GitHub user'
			);
			const emails: GitHubEmail[] = parsed(
				githubEmailsSchema,
				await getJson(`${endpoints.api}/user/emails`, tokens.accessToken(), accept),
				'GitHub emails'
			);
			return githubIdentity(
				{ id: user.id, login: user.login, name: user.name ?? null, email: user.email ?? null },
				emails
			);
		}
	};
}

// ─── OpenID Connect ─────────────────────────────────────────────────────────────────────────

const discoverySchema = z.object({
	issuer: z.string().url(),
	authorization_endpoint: z.string().url(),
	token_endpoint: z.string().url(),
	jwks_uri: z.string().url(),
	userinfo_endpoint: z.string().url().optional(),
	id_token_signing_alg_values_supported: z.array(z.string()).optional()
});
type Discovery = z.infer<typeof discoverySchema>;

const userinfoSchema = z.object({
	sub: z.string(),
	email: z.string().optional(),
	email_verified: z.unknown().optional(),
	name: z.string().optional(),
	preferred_username: z.string().optional()
});

/** Asymmetric algorithms only: an HS256 token would be signed with our own client secret. */
const SAFE_ALGORITHMS = [
	'RS256',
	'RS384',
	'RS512',
	'PS256',
	'PS384',
	'PS512',
	'ES256',
	'ES384',
	'ES512',
	'EdDSA'
];
const DISCOVERY_TTL_MS = 60 * 60 * 1000;
/** Clock difference tolerated between us and the issuer for exp/iat/nbf. */
const CLOCK_TOLERANCE_S = 60;

interface Discovered {
	document: Discovery;
	keys: ReturnType<typeof createRemoteJWKSet>;
	fetchedAt: number;
}

const discoveries = new Map<string, Discovered>();

/** For tests that restart an issuer on the same address with new keys. */
export function forgetDiscoveries(): void {
	discoveries.clear();
}

function trimSlash(url: string): string {
	return url.replace(/\/+$/, '');
}

/**
 * The issuer's configuration from /.well-known/openid-configuration, kept an hour. Its `issuer`
 * must be the one configured (OIDC Discovery §4.3), so a document served elsewhere is refused.
 */
async function discover(issuer: string): Promise<Discovered> {
	const cached = discoveries.get(issuer);
	if (cached && Date.now() - cached.fetchedAt < DISCOVERY_TTL_MS) {
		return cached;
	}
	const url = `${trimSlash(issuer)}/.well-known/openid-configuration`;
	let body: unknown;
	try {
		const response = await fetch(url, {
			headers: { Accept: 'application/json' },
			signal: AbortSignal.timeout(TIMEOUT_MS)
		});
		if (!response.ok) {
			await response.body?.cancel();
			throw new Error(`answered ${response.status}`);
		}
		body = await response.json();
	} catch (error) {
		throw new SsoError('provider_unavailable', `discovery at ${url} failed: ${String(error)}`);
	}
	const document = parsed(discoverySchema, body, 'discovery document');
	if (trimSlash(document.issuer) !== trimSlash(issuer)) {
		throw new SsoError(
			'provider_unavailable',
			`discovery document names issuer ${document.issuer}, not ${issuer}`
		);
	}
	const discovered: Discovered = {
		document,
		keys: createRemoteJWKSet(new URL(document.jwks_uri), { timeoutDuration: TIMEOUT_MS }),
		fetchedAt: Date.now()
	};
	discoveries.set(issuer, discovered);
	return discovered;
}

function algorithmsOf(document: Discovery): string[] {
	const offered = document.id_token_signing_alg_values_supported ?? ['RS256'];
	return offered.filter((alg) => SAFE_ALGORITHMS.includes(alg));
}

/**
 * The ID token's claims once every check passed: signature against the issuer's keys, issuer,
 * audience (and authorized party when there are several), expiry and issue time, and the nonce
 * of this very attempt.
 */
export async function verifyIdToken(
	idToken: string,
	expected: {
		keys: Discovered['keys'];
		issuers: string[];
		clientId: string;
		nonce: string;
		algorithms: string[];
	}
): Promise<JWTPayload> {
	let payload: JWTPayload;
	try {
		({ payload } = await jwtVerify(idToken, expected.keys, {
			issuer: expected.issuers,
			audience: expected.clientId,
			algorithms: expected.algorithms,
			clockTolerance: CLOCK_TOLERANCE_S,
			requiredClaims: ['sub', 'exp', 'iat']
		}));
	} catch (error) {
		if (error instanceof joseErrors.JWKSTimeout) {
			throw new SsoError('provider_unavailable', 'the issuer’s keys could not be fetched');
		}
		if (error instanceof joseErrors.JOSEError) {
			throw new SsoError('invalid_token', `ID token refused: ${error.code} ${error.message}`);
		}
		throw new SsoError('provider_unavailable', `ID token check failed: ${String(error)}`);
	}
	if (payload.nonce !== expected.nonce) {
		throw new SsoError('invalid_token', 'ID token refused: nonce does not match this attempt');
	}
	if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== expected.clientId) {
		throw new SsoError('invalid_token', 'ID token refused: issued to another party (azp)');
	}
	return payload;
}

function stringClaim(value: unknown): string | null {
	return typeof value === 'string' && value.trim().length > 0 ? value.trim() : null;
}

/** Any OpenID Connect issuer, found through discovery; Google is one with a fixed issuer. */
export function oidcProvider(options: {
	id: ProviderId;
	label: string;
	issuer: string;
	clientId: string;
	clientSecret: string;
	/** Other spellings of the issuer its tokens may carry (Google: "accounts.google.com"). */
	alsoIssuers?: string[];
}): SsoProvider {
	const client = (redirectUri: string) =>
		new OAuth2Client(options.clientId, options.clientSecret, redirectUri);
	return {
		id: options.id,
		label: options.label,
		usesNonce: true,
		async authorizationUrl(redirectUri, attempt) {
			const { document } = await discover(options.issuer);
			const url = client(redirectUri).createAuthorizationURLWithPKCE(
				document.authorization_endpoint,
				attempt.state,
				CodeChallengeMethod.S256,
				attempt.codeVerifier,
				['openid', 'email', 'profile']
			);
			if (attempt.nonce) {
				url.searchParams.set('nonce', attempt.nonce);
			}
			return url;
		},
		async identify(redirectUri, code, attempt) {
			if (!attempt.nonce) {
				throw new SsoError('invalid_token', 'no nonce was set for this attempt');
			}
			const { document, keys } = await discover(options.issuer);
			const tokens = await exchangeCode(
				client(redirectUri),
				document.token_endpoint,
				code,
				attempt.codeVerifier
			);
			let idToken: string;
			try {
				idToken = tokens.idToken();
			} catch {
				throw new SsoError('invalid_token', 'the token endpoint sent no ID token');
			}
			const claims: Record<string, unknown> = {
				...(await verifyIdToken(idToken, {
					keys,
					issuers: [document.issuer, ...(options.alsoIssuers ?? [])],
					clientId: options.clientId,
					nonce: attempt.nonce,
					algorithms: algorithmsOf(document)
				}))
			};
			// Some issuers keep the email out of the ID token; the userinfo endpoint has it, for
			// the same subject only.
			if (!stringClaim(claims.email) && document.userinfo_endpoint) {
				const info = parsed(
					userinfoSchema,
					await getJson(document.userinfo_endpoint, tokens.accessToken()),
					'userinfo'
				);
				if (info.sub !== claims.sub) {
					throw new SsoError('invalid_token', 'userinfo is about another subject');
				}
				Object.assign(claims, {
					email: info.email,
					email_verified: info.email_verified,
					name: claims.name ?? info.name,
					preferred_username: claims.preferred_username ?? info.preferred_username
				});
			}
			const email = stringClaim(claims.email)?.toLowerCase() ?? null;
			return {
				issuer: document.issuer,
				subject: String(claims.sub),
				email,
				emailVerified: email !== null && claimIsTrue(claims.email_verified),
				username: stringClaim(claims.preferred_username) ?? stringClaim(claims.nickname),
				name: stringClaim(claims.name)
			};
		}
	};
}

// ─── Configured providers ───────────────────────────────────────────────────────────────────

export const GOOGLE_ISSUER = 'https://accounts.google.com';

type SsoConfig = Pick<
	Config,
	| 'GITHUB_CLIENT_ID'
	| 'GITHUB_CLIENT_SECRET'
	| 'GOOGLE_CLIENT_ID'
	| 'GOOGLE_CLIENT_SECRET'
	| 'OIDC_ISSUER'
	| 'OIDC_CLIENT_ID'
	| 'OIDC_CLIENT_SECRET'
	| 'OIDC_NAME'
>;

/** The providers this site offers, in button order: each once all its settings are there. */
export function providersFrom(cfg: SsoConfig): SsoProvider[] {
	const providers: SsoProvider[] = [];
	if (cfg.GITHUB_CLIENT_ID && cfg.GITHUB_CLIENT_SECRET) {
		providers.push(
			githubProvider({ clientId: cfg.GITHUB_CLIENT_ID, clientSecret: cfg.GITHUB_CLIENT_SECRET })
		);
	}
	if (cfg.GOOGLE_CLIENT_ID && cfg.GOOGLE_CLIENT_SECRET) {
		providers.push(
			oidcProvider({
				id: 'google',
				label: 'Google',
				issuer: GOOGLE_ISSUER,
				alsoIssuers: ['accounts.google.com'],
				clientId: cfg.GOOGLE_CLIENT_ID,
				clientSecret: cfg.GOOGLE_CLIENT_SECRET
			})
		);
	}
	if (cfg.OIDC_ISSUER && cfg.OIDC_CLIENT_ID && cfg.OIDC_CLIENT_SECRET) {
		providers.push(
			oidcProvider({
				id: 'oidc',
				label: cfg.OIDC_NAME,
				issuer: cfg.OIDC_ISSUER,
				clientId: cfg.OIDC_CLIENT_ID,
				clientSecret: cfg.OIDC_CLIENT_SECRET
			})
		);
	}
	return providers;
}

export function isProviderId(value: string): value is ProviderId {
	return (PROVIDER_IDS as readonly string[]).includes(value);
}

export { GITHUB_ISSUER };
