// What routes share when they turn a request into a domain call and a result into a response.
import { fail, type RequestEvent } from '@sveltejs/kit';
import { config } from './config';
import { getDatabase } from './db/app';
import { rateLimitsFor, type Limited, type RateLimits } from './rate-limit';
import type { ClientInfo } from './auth/accounts';
import type { FieldErrors } from './forms';
import { m } from '$lib/paraglide/messages';

export function clientInfo(event: Pick<RequestEvent, 'getClientAddress' | 'request'>): ClientInfo {
	return { ip: event.getClientAddress(), userAgent: event.request.headers.get('user-agent') };
}

export function rateLimits(): RateLimits {
	return rateLimitsFor(getDatabase().pool, config());
}

/** "Try again in 30 seconds." / "Try again in 5 minutes.", in the request's language. */
export function tryAgainIn(seconds: number): string {
	return seconds < 90
		? m.account_retry_seconds({ count: seconds })
		: m.account_retry_minutes({ count: Math.ceil(seconds / 60) });
}

/** A 429 for a form: says when to try again, in words and in Retry-After. */
export function tooManyAttempts(
	event: Pick<RequestEvent, 'setHeaders'>,
	limited: Limited,
	what: string,
	values: Record<string, string> = {}
) {
	event.setHeaders({ 'Retry-After': String(limited.retryAfterSeconds) });
	return fail(429, {
		values,
		errors: {} as FieldErrors,
		message: `${what} ${tryAgainIn(limited.retryAfterSeconds)}`
	});
}
