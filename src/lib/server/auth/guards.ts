// Guards for loads and actions: they turn a policy answer into a redirect or an error.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { UserActor } from '../policy';

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
	error(403, 'You do not have permission to do that.');
}

/** A `next` parameter is followed only to a path on this site. */
export function safeNext(value: string | null | undefined, fallback = '/'): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
		return fallback;
	}
	return value;
}
