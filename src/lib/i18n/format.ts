// Dates and numbers in the reader's language (the request's locale on the server, the page's
// <html lang> in the browser). Dates are shown in UTC, as they always have been here.
// Each takes an optional `locale` last (mail is written in its recipient's language).
import { getLocale, type Locale } from '$lib/paraglide/runtime';

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(options: Intl.DateTimeFormatOptions, given?: Locale): Intl.DateTimeFormat {
	const locale = given ?? getLocale();
	const key = `d|${locale}|${JSON.stringify(options)}`;
	let format = cache.get(key) as Intl.DateTimeFormat | undefined;
	if (!format) {
		format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options });
		cache.set(key, format);
	}
	return format;
}

function numberFormat(options: Intl.NumberFormatOptions, given?: Locale): Intl.NumberFormat {
	const locale = given ?? getLocale();
	const key = `n|${locale}|${JSON.stringify(options)}`;
	let format = cache.get(key) as Intl.NumberFormat | undefined;
	if (!format) {
		format = new Intl.NumberFormat(locale, options);
		cache.set(key, format);
	}
	return format;
}

type DateInput = Date | string | number;

/** "Nov 23, 2026" / "23.11.2026" (medium), or "November 23, 2026" / "23. November 2026" (long). */
export function formatDate(
	date: DateInput,
	style: 'short' | 'medium' | 'long' = 'medium',
	locale?: Locale
): string {
	return dateFormat({ dateStyle: style }, locale).format(new Date(date));
}

/** A date with its time (UTC), e.g. "Nov 23, 2026, 2:05 PM" / "23.11.2026, 14:05". */
export function formatDateTime(
	date: DateInput,
	style: 'short' | 'medium' | 'long' = 'medium',
	locale?: Locale
): string {
	return dateFormat({ dateStyle: style, timeStyle: 'short' }, locale).format(new Date(date));
}

/** Any other date shape ({ month: 'short', year: 'numeric' } and so on), in UTC. */
export function formatDateParts(
	date: DateInput,
	options: Intl.DateTimeFormatOptions,
	locale?: Locale
): string {
	return dateFormat(options, locale).format(new Date(date));
}

/** 1,234.5 / 1.234,5 — at most one decimal unless options say otherwise. */
export function formatNumber(
	value: number,
	options: Intl.NumberFormatOptions = {},
	locale?: Locale
): string {
	return numberFormat({ maximumFractionDigits: 1, ...options }, locale).format(value);
}

/** A share in 0..1 as a percentage: 0.75 → "75%" / "75 %". */
export function formatPercent(share: number, fractionDigits = 0, locale?: Locale): string {
	return numberFormat({ style: 'percent', maximumFractionDigits: fractionDigits }, locale).format(
		share
	);
}
