import { describe, expect, it } from 'vitest';
import {
	challengeState,
	parseUtcDateTime,
	sortChallenges,
	timeLeft,
	toUtcInputValue
} from './challenges';

const at = (iso: string) => new Date(iso);
const window = { startsAt: at('2026-06-10T00:00:00Z'), endsAt: at('2026-06-20T00:00:00Z') };

describe('challengeState', () => {
	it('is upcoming before the start, open from the start, closed from the end', () => {
		expect(challengeState(window, at('2026-06-09T23:59:59Z'))).toBe('upcoming');
		expect(challengeState(window, window.startsAt)).toBe('open');
		expect(challengeState(window, at('2026-06-19T23:59:59.999Z'))).toBe('open');
		expect(challengeState(window, window.endsAt)).toBe('closed');
		expect(challengeState(window, at('2027-01-01T00:00:00Z'))).toBe('closed');
	});
});

describe('sortChallenges', () => {
	const now = at('2026-06-15T00:00:00Z');
	const c = (id: number, start: string, end: string) => ({
		id,
		startsAt: at(start),
		endsAt: at(end)
	});
	it('lists open (ending soonest), then upcoming (starting soonest), then closed (latest first)', () => {
		const list = [
			c(1, '2026-05-01T00:00:00Z', '2026-05-10T00:00:00Z'), // closed earlier
			c(2, '2026-06-20T00:00:00Z', '2026-07-01T00:00:00Z'), // upcoming later
			c(3, '2026-06-01T00:00:00Z', '2026-06-30T00:00:00Z'), // open, ends later
			c(4, '2026-06-01T00:00:00Z', '2026-06-12T00:00:00Z'), // closed recently
			c(5, '2026-06-16T00:00:00Z', '2026-06-25T00:00:00Z'), // upcoming sooner
			c(6, '2026-06-14T00:00:00Z', '2026-06-18T00:00:00Z') // open, ends sooner
		];
		expect(sortChallenges(list, now).map((x) => x.id)).toEqual([6, 3, 5, 2, 4, 1]);
	});
});

describe('timeLeft', () => {
	it('splits what is left into whole days, hours and minutes, never below zero', () => {
		const now = at('2026-06-15T00:00:00Z');
		expect(timeLeft(at('2026-06-17T05:30:59Z'), now)).toEqual({ days: 2, hours: 5, minutes: 30 });
		expect(timeLeft(at('2026-06-14T00:00:00Z'), now)).toEqual({ days: 0, hours: 0, minutes: 0 });
	});
});

describe('parseUtcDateTime', () => {
	it('reads a datetime-local value as UTC', () => {
		expect(parseUtcDateTime('2026-12-01T09:30')?.toISOString()).toBe('2026-12-01T09:30:00.000Z');
		expect(parseUtcDateTime(' 2026-12-01T09:30:15 ')?.toISOString()).toBe(
			'2026-12-01T09:30:15.000Z'
		);
	});
	it('refuses other formats and impossible dates', () => {
		for (const bad of [
			'',
			'tomorrow',
			'2026-12-01',
			'2026-02-30T10:00',
			'2026-12-01T24:30',
			'2026-12-01T09:30Z'
		]) {
			expect(parseUtcDateTime(bad), bad).toBeNull();
		}
	});
	it('round-trips with toUtcInputValue', () => {
		const date = at('2026-12-01T09:30:00Z');
		expect(parseUtcDateTime(toUtcInputValue(date))).toEqual(date);
	});
});
