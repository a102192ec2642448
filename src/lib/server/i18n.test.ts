import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { resolveLocale, withLocale } from './i18n';

describe('resolveLocale', () => {
	it('prefers the member’s setting, then the visitor’s cookie, then the browser', () => {
		expect(resolveLocale({ account: 'de', cookie: 'en', acceptLanguage: 'en' })).toBe('de');
		expect(resolveLocale({ account: null, cookie: 'de', acceptLanguage: 'en' })).toBe('de');
		expect(resolveLocale({ account: null, cookie: null, acceptLanguage: 'de-CH,en;q=0.5' })).toBe(
			'de'
		);
		expect(resolveLocale({})).toBe('en');
	});

	it('ignores codes it does not ship', () => {
		expect(resolveLocale({ account: 'xx', cookie: 'fr', acceptLanguage: 'de' })).toBe('de');
		expect(resolveLocale({ account: 'xx', cookie: 'fr', acceptLanguage: 'fr' })).toBe('en');
	});
});

describe('withLocale', () => {
	it('makes messages inside it speak that language, and English outside', async () => {
		expect(m.common_sign_in()).toBe('Sign in');
		await withLocale('de', async () => {
			await new Promise((resolve) => setTimeout(resolve, 1));
			expect(m.common_sign_in()).toBe('Anmelden');
		});
		expect(m.common_sign_in()).toBe('Sign in');
	});
});
