// The sign-on flow over HTTP: starting it (a short-lived cookie keeps state, PKCE verifier and
// nonce in this browser) and finishing it at the callback, which checks everything before
// anything is stored or anyone is signed in.
import { generateCodeVerifier, generateState } from 'arctic';
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { config, type Config } from '../config';
import { getDb } from '../db/app';
import { safeNext } from '../auth/guards';
import { secureCookie } from '../auth/session';
import { startSession } from '../auth/web';
import { clientInfo, rateLimits } from '../http';
import { canLinkProvider, canSignInWithProvider } from '../policy';
import { countFailedSignOn, linkIdentity, signInWithIdentity, signOnLimited } from './accounts';
import { SSO_SUCCESS, isSsoCode, ssoMessage, type SsoCode } from './messages';
import { SsoError, isProviderId, providersFrom, type SsoProvider } from './providers';

export const ATTEMPT_COOKIE = 'sso_attempt';
const ATTEMPT_LIFETIME_S = 10 * 60;

let cached: { cfg: Config; providers: SsoProvider[] } | undefined;

/** The providers configured for this process, built once per configuration. */
export function configuredProviders(): SsoProvider[] {
	const cfg = config();
	if (cached?.cfg !== cfg) {
		cached = { cfg, providers: providersFrom(cfg) };
	}
	return cached.providers;
}

/** For the login, sign-up and settings pages: which buttons to show. */
export function providerButtons(): { id: string; label: string }[] {
	return configuredProviders().map(({ id, label }) => ({ id, label }));
}

/** A provider's name for people, configured or not (an old link may outlive its settings). */
export function providerLabel(id: string): string {
	const configured = configuredProviders().find((p) => p.id === id);
	if (configured) {
		return configured.label;
	}
	return id === 'github' ? 'GitHub' : id === 'google' ? 'Google' : config().OIDC_NAME;
}

/** The message for a page the flow landed on (?sso=code&provider=id), or null. */
export function ssoNotice(url: URL): { success: boolean; text: string } | null {
	const code = url.searchParams.get('sso');
	if (!isSsoCode(code)) {
		return null;
	}
	const label = providerLabel(url.searchParams.get('provider') ?? '');
	return { success: SSO_SUCCESS.includes(code), text: ssoMessage(code, label) };
}

export function findProvider(id: string): SsoProvider | undefined {
	return isProviderId(id) ? configuredProviders().find((p) => p.id === id) : undefined;
}

const attemptSchema = z.object({
	provider: z.string(),
	state: z.string().min(20),
	codeVerifier: z.string().min(43),
	nonce: z.string().min(20).nullable(),
	next: z.string(),
	/** Set when a signed-in member links: the callback must see the same member. */
	linkUserId: z.number().int().nullable()
});
type StoredAttempt = z.infer<typeof attemptSchema>;

function redirectUri(event: RequestEvent, provider: SsoProvider): string {
	return `${event.url.origin}/auth/${provider.id}/callback`;
}

function cookieOptions(event: RequestEvent) {
	// Lax: the provider sends the browser back with a top-level GET, which Lax cookies go along with.
	return {
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: secureCookie(event.url),
		path: '/auth',
		maxAge: ATTEMPT_LIFETIME_S
	};
}

function landing(linking: boolean, code: SsoCode, provider: string, next?: string): string {
	const params = new URLSearchParams({ sso: code, provider });
	if (next && next !== '/') {
		params.set('next', next);
	}
	return `${linking ? '/settings' : '/login'}?${params}`;
}

/** GET /auth/[provider]: sends the browser to the provider, to sign in or (?link) to link. */
export async function beginSignOn(event: RequestEvent, providerId: string): Promise<never> {
	const provider = findProvider(providerId);
	const linking = event.url.searchParams.has('link');
	const next = safeNext(event.url.searchParams.get('next'), linking ? '/settings' : '/');
	if (!provider) {
		redirect(303, linking ? '/settings' : '/login');
	}
	const actor = event.locals.actor;
	if (linking ? !canLinkProvider(actor) : !canSignInWithProvider(actor)) {
		redirect(303, linking ? `/login?next=${encodeURIComponent('/settings')}` : next);
	}
	const attempt: StoredAttempt = {
		provider: provider.id,
		state: generateState(),
		codeVerifier: generateCodeVerifier(),
		nonce: provider.usesNonce ? generateState() : null,
		next,
		linkUserId: linking && actor.kind === 'user' ? actor.id : null
	};
	let url: URL;
	try {
		url = await provider.authorizationUrl(redirectUri(event, provider), attempt);
	} catch (error) {
		console.error(`sign-on with ${provider.id} could not start:`, errorText(error));
		redirect(303, landing(linking, 'provider_unavailable', provider.id, next));
	}
	event.cookies.set(ATTEMPT_COOKIE, JSON.stringify(attempt), cookieOptions(event));
	redirect(302, url.toString());
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** The attempt this browser started, taken out of its cookie (an attempt is used once). */
function takeAttempt(event: RequestEvent): StoredAttempt | null {
	const raw = event.cookies.get(ATTEMPT_COOKIE);
	if (raw === undefined) {
		return null;
	}
	event.cookies.delete(ATTEMPT_COOKIE, cookieOptions(event));
	try {
		const parsed = attemptSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}

/** Constant-time comparison of the state sent back with the one this browser keeps. */
function sameState(a: string, b: string): boolean {
	const left = new TextEncoder().encode(a);
	const right = new TextEncoder().encode(b);
	if (left.length !== right.length) {
		return false;
	}
	let diff = 0;
	for (let i = 0; i < left.length; i++) {
		diff |= left[i]! ^ right[i]!;
	}
	return diff === 0;
}

/**
 * GET /auth/[provider]/callback: checks the state against this browser's attempt, exchanges the
 * code, verifies who it is, then signs in (or links). Every failure lands on the login page (or
 * settings, when linking) with a message, having stored nothing; failures count against the
 * client IP like failed password sign-ins.
 */
export async function finishSignOn(event: RequestEvent, providerId: string): Promise<never> {
	const provider = findProvider(providerId);
	const attempt = takeAttempt(event);
	const linking = attempt?.linkUserId != null;
	const limits = rateLimits();
	const { ip } = clientInfo(event);
	const label = provider?.id ?? providerId;
	const fail = async (code: SsoCode, counts = true): Promise<never> => {
		const limited = counts ? await countFailedSignOn(limits, ip) : null;
		redirect(303, landing(linking, limited ? 'limited' : code, label, attempt?.next));
	};

	if (await signOnLimited(limits, ip)) {
		redirect(303, landing(linking, 'limited', label, attempt?.next));
	}
	const params = event.url.searchParams;
	const state = params.get('state');
	if (!provider || !attempt || attempt.provider !== provider.id || !state) {
		return fail('bad_state');
	}
	if (!sameState(state, attempt.state)) {
		return fail('bad_state');
	}
	const providerError = params.get('error');
	if (providerError) {
		// The person said no at the provider: not an attack, nothing to count.
		return fail(providerError === 'access_denied' ? 'denied' : 'provider_unavailable', false);
	}
	const code = params.get('code');
	if (!code) {
		return fail('code_rejected');
	}
	const actor = event.locals.actor;
	if (linking ? actor.kind !== 'user' || actor.id !== attempt.linkUserId : actor.kind === 'user') {
		// Signed out (or in as someone else) since the attempt started.
		return fail('bad_state');
	}

	let identity;
	try {
		identity = await provider.identify(redirectUri(event, provider), code, attempt);
	} catch (error) {
		if (error instanceof SsoError) {
			console.warn(`sign-on with ${provider.id} refused: ${error.message}`);
			return fail(error.reason, error.reason !== 'provider_unavailable');
		}
		throw error;
	}

	const db = getDb();
	if (linking && actor.kind === 'user') {
		const linked = await linkIdentity(db, actor.id, provider.id, identity);
		redirect(
			303,
			landing(true, linked.ok ? linked.outcome : linked.reason, provider.id, attempt.next)
		);
	}
	const result = await signInWithIdentity(db, limits, provider.id, identity, clientInfo(event));
	if (!result.ok) {
		return fail(result.reason, false);
	}
	await startSession(event, result.userId);
	redirect(303, attempt.next);
}
