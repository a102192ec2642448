import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { getDb } from '$lib/server/db/app';
import { anonymous } from '$lib/server/policy';
import {
	SESSION_COOKIE,
	deleteSessionCookie,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/auth/session';
import { isForbiddenCrossSiteForm } from '$lib/server/csrf';
import { startServer } from '$lib/server/startup';
import { i18n } from '$lib/server/i18n';
import { config } from '$lib/server/config';
import { appendStatementLog, serverTimingEntry, trackQueries } from '$lib/server/db/query-stats';
import { databaseOutage, noteDatabaseUnavailable, refuseWhileStopping } from '$lib/server/outage';
import { m } from '$lib/paraglide/messages';

export const init: ServerInit = async () => {
	try {
		await startServer();
	} catch (error) {
		// A start-up failure (database unreachable or locked, bad configuration) is said in one
		// line, not a stack trace; the exit code tells scripts it failed.
		console.error(`Roundtable could not start: ${error instanceof Error ? error.message : error}`);
		process.exit(1);
	}
};

// Every request says how many SQL statements it sent, and their time, in Server-Timing.
const queryStats: Handle = async ({ event, resolve }) => {
	const statementLog = config().SQL_STATEMENT_LOG;
	const { stats, result } = trackQueries(() => resolve(event), statementLog !== undefined);
	const response = await result;
	response.headers.append('Server-Timing', serverTimingEntry(stats));
	if (statementLog) {
		const request = { method: event.request.method, path: event.url.pathname + event.url.search };
		appendStatementLog(statementLog, request, stats);
	}
	return response;
};

// SvelteKit's origin check with one exception, the one-click unsubscribe (see csrf.ts).
const csrf: Handle = async ({ event, resolve }) => {
	if (isForbiddenCrossSiteForm(event.request, event.url)) {
		return new Response(`Cross-site ${event.request.method} form submissions are forbidden`, {
			status: 403,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	return resolve(event);
};

const requestId: Handle = async ({ event, resolve }) => {
	event.locals.requestId = crypto.randomUUID();
	const response = await resolve(event);
	response.headers.set('X-Request-Id', event.locals.requestId);
	return response;
};

const auth: Handle = async ({ event, resolve }) => {
	event.locals.actor = anonymous;
	event.locals.sessionId = null;
	event.locals.unreadNotifications = 0;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const { session, user, renewed, unreadNotifications } = await validateSessionToken(
			getDb(),
			token
		);
		if (session) {
			event.locals.actor = { kind: 'user', ...user };
			event.locals.sessionId = session.id;
			event.locals.unreadNotifications = unreadNotifications;
			if (renewed) {
				setSessionCookie(event.cookies, event.url, token, session.expiresAt);
			}
		} else {
			deleteSessionCookie(event.cookies, event.url);
		}
	}
	return resolve(event);
};

// The Content-Security-Policy itself comes from kit.csp in svelte.config.js.
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const headers = response.headers;
	headers.set('X-Content-Type-Options', 'nosniff');
	headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	headers.set('X-Frame-Options', 'DENY');
	headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
	if (event.locals.actor.kind === 'user' && !headers.has('Cache-Control')) {
		// Pages for a signed-in person must not be kept by shared caches or the back button.
		headers.set('Cache-Control', 'private, no-store');
	}
	return response;
};

// refuseWhileStopping answers 503 once SIGTERM came; databaseOutage wraps everything that reads
// the database (from the session lookup on), so a stopped database is a 503 with Retry-After,
// whichever part of the request met it.
export const handle = sequence(
	refuseWhileStopping,
	queryStats,
	csrf,
	requestId,
	databaseOutage,
	auth,
	i18n,
	securityHeaders
);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const id = event.locals.requestId ?? crypto.randomUUID();
	if (status === 404) {
		return { message: m.common_error_not_found(), id };
	}
	if (noteDatabaseUnavailable(event, error)) {
		// Logged in one line; databaseOutage turns the response into a 503.
		return { message: m.common_error_unavailable(), id };
	}
	console.error(`[${id}] ${event.request.method} ${event.url.pathname} failed:`, error);
	return { message: status >= 500 ? m.common_error_server() : message, id };
};
