import { describe, expect, it } from 'vitest';
import { negotiateLocale } from './locales';

describe('negotiateLocale', () => {
	it.each([
		['de-DE,de;q=0.9,en;q=0.8', 'de'],
		['en-US,en;q=0.9', 'en'],
		['fr-FR,fr;q=0.9,de;q=0.5,en;q=0.4', 'de'],
		['de-AT', 'de'],
		['en;q=0.2, de;q=0.8', 'de'],
		['DE', 'de'],
		['de;q=0, en', 'en'],
		['fr, es', null],
		['*', null],
		['', null],
		[null, null],
		['de;q=abc, en;q=0.1', 'en']
	])('%s → %s', (header, expected) => {
		expect(negotiateLocale(header)).toBe(expected);
	});
});
