import { afterEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { formatDate, formatDateTime, formatNumber, formatPercent } from './format';

let locale: 'en' | 'de' = 'en';
overwriteGetLocale(() => locale);
afterEach(() => {
	locale = 'en';
});

const when = new Date('2026-11-23T14:05:00Z');

describe('format', () => {
	it('writes dates the English way, in UTC', () => {
		expect(formatDate(when)).toBe('Nov 23, 2026');
		expect(formatDate(when, 'long')).toBe('November 23, 2026');
		expect(formatDateTime(when)).toBe('Nov 23, 2026, 2:05 PM');
		expect(formatNumber(1234.56)).toBe('1,234.6');
		expect(formatPercent(0.75)).toBe('75%');
	});

	it('writes dates and numbers the German way', () => {
		locale = 'de';
		expect(formatDate(when)).toBe('23.11.2026');
		expect(formatDate(when, 'long')).toBe('23. November 2026');
		expect(formatDateTime(when)).toBe('23.11.2026, 14:05');
		expect(formatNumber(1234.56)).toBe('1.234,6');
		expect(formatPercent(0.75)).toBe('75\u00a0%');
	});

	it('writes in a given language whatever the reader’s (mail to its recipient)', () => {
		expect(formatDate(when, 'long', 'de')).toBe('23. November 2026');
		expect(formatDateTime(when, 'medium', 'de')).toBe('23.11.2026, 14:05');
		expect(formatNumber(1234.56, {}, 'de')).toBe('1.234,6');
		locale = 'de';
		expect(formatDate(when, 'medium', 'en')).toBe('Nov 23, 2026');
		expect(formatPercent(0.75, 0, 'en')).toBe('75%');
	});
});
