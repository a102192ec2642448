// Cross-site form posts are refused, as SvelteKit's own check does, except where a signed token
// in the URL is the permission: RFC 8058 one-click unsubscribe is posted by the mail provider's
// servers, with no Origin header, and SvelteKit's check (which has no per-path exception) would
// refuse it. svelte.config.js turns SvelteKit's check off (trustedOrigins ['*']) so this one,
// which runs first in hooks.server.ts, is the check.

const FORM_TYPES = [
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'application/x-sveltekit-formdata'
];

/**
 * Token-authorised paths: they never act on the session, only on what the token names. The API
 * (/api/v1) writes only with a bearer token and ignores the session cookie for any write (see
 * src/lib/server/api/router.ts), so a cross-site post there can do nothing; letting it through
 * gives a script the API's own JSON answer (415 for a form body) instead of this plain 403.
 */
const TOKEN_AUTHORISED = /^(?:\/unsubscribe\/[^/]+\/?|\/api\/v1(?:\/.*)?)$/;

function isFormContentType(request: Request): boolean {
	const type = request.headers.get('content-type')?.split(';', 1)[0]!.trim().toLowerCase() ?? '';
	return FORM_TYPES.includes(type);
}

export function isForbiddenCrossSiteForm(request: Request, url: URL): boolean {
	return (
		['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method) &&
		isFormContentType(request) &&
		request.headers.get('origin') !== url.origin &&
		!TOKEN_AUTHORISED.test(url.pathname)
	);
}
