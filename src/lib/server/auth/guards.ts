// Guards for loads and actions: they turn a policy answer into a redirect or an error.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { UserActor } from '../policy';
import { m } from '$lib/paraglide/messages';

function signInUrl(url: URL): string {
	return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}

/** Anonymous visitors are sent to sign in; signed-in ones get the actor back. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): UserActor {
	const { actor } = event.locals;
	if (actor.kind === 'anonymous') {
		redirect(303, signInUrl(event.url));
	}
	return actor;
}

/**
 * Stops the request unless the policy allowed it: anonymous visitors are sent to sign in,
 * signed-in ones get 403.
 */
export function authorize(event: Pick<RequestEvent, 'locals' | 'url'>, allowed: boolean): void {
	if (allowed) {
		return;
	}
	if (event.locals.actor.kind === 'anonymous') {
		redirect(303, signInUrl(event.url));
	}
	error(403, m.account_forbidden());
}

const SITE = 'http://site.invalid';

/**
 * A `next` parameter is followed only to a path on this site. It is resolved the way a browser
 * would (which drops tabs and newlines, so `/\t/evil.com` means `//evil.com`) and kept only if
 * it stays on the site.
 */
export function safeNext(value: string | null | undefined, fallback = '/'): string {
	if (!value || !value.startsWith('/')) {
		return fallback;
	}
	let target: URL;
	try {
		target = new URL(value, SITE);
	} catch {
		return fallback;
	}
	if (target.origin !== SITE) {
		return fallback;
	}
	return target.pathname + target.search + target.hash;
}
