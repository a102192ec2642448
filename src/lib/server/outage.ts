// While the database cannot be reached, every request that needs it is answered 503 with
// `Retry-After`, in the form its client reads (the API's JSON error, SvelteKit's data and action
// JSON, or a short page), instead of a 500 that reads like a bug. Nothing is kept between
// requests: the first one after the database returns is served as usual.
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from './db/unavailable';
import { resolveLocale, withLocale, LOCALE_COOKIE } from './i18n';

/**
 * Catches what the handles inside it throw (the session lookup) and, through
 * `noteDatabaseUnavailable` from handleError, what loads, actions and endpoints threw: SvelteKit
 * turns those into a 500 that handleError cannot re-status.
 */
export const databaseOutage: Handle = async ({ event, resolve }) => {
	let response: Response;
	try {
		response = await resolve(event);
	} catch (error) {
		if (!isDatabaseUnavailable(error)) {
			throw error;
		}
		logUnavailable(event, error);
		return unavailableResponse(event);
	}
	// A data request (client-side navigation) carries a failed load inside a 200.
	return event.locals.databaseUnavailable && (response.status >= 500 || event.isDataRequest)
		? unavailableResponse(event)
		: response;
};

/** Called by handleError: true (and the request is marked for a 503) for an outage error. */
export function noteDatabaseUnavailable(event: RequestEvent, error: unknown): boolean {
	if (!isDatabaseUnavailable(error)) {
		return false;
	}
	event.locals.databaseUnavailable = true;
	logUnavailable(event, error);
	return true;
}

// One line per request: during an outage a stack trace per request would bury everything else.
function logUnavailable(event: RequestEvent, error: unknown): void {
	const reason = error instanceof Error ? error.message : String(error);
	console.error(
		`[${event.locals.requestId}] ${event.request.method} ${event.url.pathname}: database unavailable (${reason}), answered 503`
	);
}

let stopping = false;
let watching = false;

/**
 * After SIGTERM, requests that arrive on connections kept alive are refused (503, Retry-After,
 * `Connection: close`) instead of started: the running ones finish, the connections close, and
 * the process stops well within SHUTDOWN_TIMEOUT, with no write begun that the cut-off at
 * SHUTDOWN_TIMEOUT could leave answered by a reset yet committed.
 */
export const refuseWhileStopping: Handle = async ({ event, resolve }) => {
	watchSignals();
	if (!stopping) {
		return resolve(event);
	}
	const response = unavailableResponse(event, m.common_error_stopping());
	response.headers.set('Connection', 'close');
	return response;
};

// Only the signals someone (adapter-node) already handles: a listener of our own would otherwise
// take away the default exit (vite dev's Ctrl-C). Set up at the first request, once adapter-node's
// listeners exist.
function watchSignals(): void {
	if (watching) {
		return;
	}
	watching = true;
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		if (process.listenerCount(signal) > 0) {
			process.once(signal, () => (stopping = true));
		}
	}
}

function unavailableResponse(event: RequestEvent, text?: string): Response {
	// The session lookup may have failed before the language was chosen: choose it without the account.
	const locale =
		event.locals.locale ??
		resolveLocale({
			cookie: event.cookies.get(LOCALE_COOKIE),
			acceptLanguage: event.request.headers.get('accept-language')
		});
	return withLocale(locale, () => {
		const headers = new Headers({
			'Retry-After': String(RETRY_AFTER_SECONDS),
			'Cache-Control': 'no-store',
			'X-Content-Type-Options': 'nosniff',
			'Content-Language': locale
		});
		const message = text ?? m.common_error_unavailable();
		const respond = (body: string, type: string) => {
			headers.set('Content-Type', type);
			return new Response(body, { status: 503, headers });
		};
		const id = event.locals.requestId;
		if (event.url.pathname === '/api' || event.url.pathname.startsWith('/api/')) {
			return respond(
				JSON.stringify({ error: { code: 'unavailable', message } }),
				'application/json; charset=utf-8'
			);
		}
		if (event.isDataRequest) {
			// Read by SvelteKit's client as the error of a navigation: shown on the error page.
			return respond(JSON.stringify({ message, id }), 'application/json; charset=utf-8');
		}
		if (event.request.method === 'POST' && event.request.headers.get('x-sveltekit-action')) {
			// A form sent with use:enhance reads an action result.
			return respond(
				JSON.stringify({ type: 'error', error: { message, id } }),
				'application/json; charset=utf-8'
			);
		}
		const title = m.common_error_unavailable_heading();
		// A page asked for is fetched again by itself; a form sent is not (Back keeps what was typed).
		const refresh =
			event.request.method === 'GET'
				? `<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS * 2}">\n`
				: '';
		return respond(
			`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}<title>${escapeHtml(title)}</title>
</head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
${id ? `<p><small>${escapeHtml(m.common_error_reference())} <code>${escapeHtml(id)}</code></small></p>\n` : ''}</body>
</html>
`,
			'text/html; charset=utf-8'
		);
	});
}

function escapeHtml(text: string): string {
	return text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);
}
