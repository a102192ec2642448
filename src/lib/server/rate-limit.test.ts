import { describe, expect, it } from 'vitest';
import { retryPhrase } from './rate-limit';

describe('retryPhrase', () => {
	it.each([
		[1, 'in 1 second'],
		[2, 'in 2 seconds'],
		[40, 'in 40 seconds'],
		[89, 'in 89 seconds']
	])('says %i seconds in seconds: "%s"', (seconds, phrase) => {
		expect(retryPhrase(seconds)).toBe(phrase);
	});

	it.each([
		[90, 'in 2 minutes'],
		[120, 'in 2 minutes'],
		[121, 'in 3 minutes'],
		[14 * 60, 'in 14 minutes'],
		[15 * 60, 'in 15 minutes'],
		[60 * 60, 'in 60 minutes']
	])('says %i seconds in whole minutes, rounded up: "%s"', (seconds, phrase) => {
		expect(retryPhrase(seconds)).toBe(phrase);
	});

	it('never promises a retry sooner than the limit allows', () => {
		for (let seconds = 1; seconds <= 3600; seconds++) {
			const [, amount, unit] = /^in (\d+) (second|minute)s?$/.exec(retryPhrase(seconds))!;
			const promised = Number(amount) * (unit === 'minute' ? 60 : 1);
			expect(promised, `${seconds}s`).toBeGreaterThanOrEqual(seconds);
		}
	});
});
