// The language of each request (docs/i18n.md): the member's own setting, else the visitor's
// choice (a cookie), else the browser's Accept-Language, else English. Paraglide's messages and
// $lib/i18n/format read it through getLocale(), which here answers from the request's context,
// so domain code called from a request speaks the reader's language without passing it around.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Cookies, Handle } from '@sveltejs/kit';
import { baseLocale, isLocale, negotiateLocale, type Locale } from '$lib/i18n/locales';
import { overwriteGetLocale } from '$lib/paraglide/runtime';

/** A visitor's chosen language; a member's lives on their account (app_user.locale). */
export const LOCALE_COOKIE = 'lang';
const ONE_YEAR = 365 * 24 * 60 * 60;

const requestLocale = new AsyncLocalStorage<Locale>();
overwriteGetLocale(() => requestLocale.getStore() ?? baseLocale);

/** Runs `fn` with `locale` as the language of every message and format inside it. */
export function withLocale<T>(locale: Locale, fn: () => T): T {
	return requestLocale.run(locale, fn);
}

export interface LocaleSources {
	/** The member's saved language, if signed in and set. */
	account?: string | null;
	/** The visitor's language cookie. */
	cookie?: string | null;
	acceptLanguage?: string | null;
}

export function resolveLocale({ account, cookie, acceptLanguage }: LocaleSources): Locale {
	if (account && isLocale(account)) {
		return account;
	}
	if (cookie && isLocale(cookie)) {
		return cookie;
	}
	return negotiateLocale(acceptLanguage) ?? baseLocale;
}

export function setLocaleCookie(cookies: Cookies, url: URL, locale: Locale | null): void {
	if (locale === null) {
		cookies.delete(LOCALE_COOKIE, { path: '/' });
		return;
	}
	cookies.set(LOCALE_COOKIE, locale, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: ONE_YEAR
	});
}

/** Runs after `auth`: the rest of the request, and its HTML, are in the resolved language. */
export const i18n: Handle = ({ event, resolve }) => {
	const actor = event.locals.actor;
	const locale = resolveLocale({
		account: actor.kind === 'user' ? actor.locale : null,
		cookie: event.cookies.get(LOCALE_COOKIE),
		acceptLanguage: event.request.headers.get('accept-language')
	});
	event.locals.locale = locale;
	return withLocale(locale, async () => {
		const response = await resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%lang%', locale)
		});
		response.headers.set('Content-Language', locale);
		const vary = response.headers.get('Vary');
		if (!vary?.includes('Accept-Language')) {
			response.headers.set(
				'Vary',
				vary ? `${vary}, Accept-Language, Cookie` : 'Accept-Language, Cookie'
			);
		}
		return response;
	});
};
