// The languages Roundtable ships and how a request's Accept-Language header picks one. Shared by
// the server (src/lib/server/i18n.ts) and the pages (the language pickers). docs/i18n.md.
import { baseLocale, isLocale, locales, type Locale } from '$lib/paraglide/runtime';

export { baseLocale, isLocale, locales, type Locale };

/** Each language's name in itself, as language pickers show it. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch' };

/**
 * The shipped language the browser prefers most, from an Accept-Language header
 * ("de-CH,de;q=0.9,en;q=0.8"), or null when it names none of ours. A region falls back to its
 * language ("de-AT" → "de"); q=0 means "not this one"; "*" does not choose.
 */
export function negotiateLocale(header: string | null | undefined): Locale | null {
	if (!header) {
		return null;
	}
	const ranked = header
		.split(',')
		.map((part, index) => {
			const [tag = '', ...params] = part.trim().split(';');
			const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			const quality = q === undefined ? 1 : Number(q.slice(2));
			return {
				tag: tag.trim().toLowerCase(),
				quality: Number.isFinite(quality) ? quality : 0,
				index
			};
		})
		.filter((entry) => entry.tag !== '' && entry.quality > 0)
		.sort((a, b) => b.quality - a.quality || a.index - b.index);
	for (const { tag } of ranked) {
		const language = tag.split('-')[0]!;
		if (isLocale(language)) {
			return language;
		}
	}
	return null;
}
