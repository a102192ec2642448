// The one-time "thank you" after answering or dismissing: a short-lived cookie the action sets
// before redirecting back, which the next layout load reads and clears (with or without JS).
import type { Cookies } from '@sveltejs/kit';
import type { SurveyThanks } from '$lib/components/surveys/types';

const COOKIE = 'survey_thanks';

/** Secure over https; on plain http (a local install) the browser would drop a secure cookie. */
const options = (url: URL) => ({
	path: '/',
	httpOnly: true,
	sameSite: 'lax' as const,
	secure: url.protocol === 'https:'
});

export function setSurveyThanks(cookies: Cookies, url: URL, thanks: SurveyThanks): void {
	cookies.set(COOKIE, thanks, { ...options(url), maxAge: 60 });
}

export function takeSurveyThanks(cookies: Cookies, url: URL): SurveyThanks | null {
	const value = cookies.get(COOKIE);
	if (value === undefined) {
		return null;
	}
	cookies.delete(COOKIE, options(url));
	return value === 'answered' || value === 'dismissed' ? value : null;
}
