// In the browser, messages and formats use the language the server rendered the page in (its
// <html lang>, set by src/lib/server/i18n.ts), so hydration and client navigation agree with it.
import { baseLocale, isLocale } from '$lib/i18n/locales';
import { overwriteGetLocale } from '$lib/paraglide/runtime';

overwriteGetLocale(() => {
	const lang = document.documentElement.lang;
	return isLocale(lang) ? lang : baseLocale;
});
