import { describe, expect, it } from 'vitest';
import {
	fillPeriods,
	formatDuration,
	granularityFor,
	median,
	percent,
	periodsOf,
	presetRange,
	rangeBounds,
	weekStart
} from './insights';
import { closure } from '$lib/server/insights/queries';

describe('presetRange', () => {
	it('ends today and counts today among its days', () => {
		const now = new Date('2026-11-23T15:00:00Z');
		expect(presetRange('30d', now)).toEqual({
			from: '2026-10-25',
			to: '2026-11-23',
			preset: '30d'
		});
		expect(presetRange('90d', now).from).toBe('2026-08-26');
		expect(presetRange('12m', now).from).toBe('2025-11-24');
	});
});

describe('rangeBounds', () => {
	it('runs from midnight of the first day to midnight after the last (UTC)', () => {
		expect(rangeBounds({ from: '2026-06-01', to: '2026-06-14' })).toEqual({
			start: new Date('2026-06-01T00:00:00Z'),
			end: new Date('2026-06-15T00:00:00Z')
		});
	});
});

describe('granularityFor', () => {
	it('shows up to 120 days per week and longer ranges per month', () => {
		expect(granularityFor({ from: '2026-01-01', to: '2026-04-30' })).toBe('week');
		expect(granularityFor({ from: '2026-01-01', to: '2026-05-01' })).toBe('month');
	});
});

describe('weekStart', () => {
	it('is the Monday of the week, as date_trunc gives it', () => {
		expect(weekStart('2026-06-01')).toBe('2026-06-01');
		expect(weekStart('2026-06-07')).toBe('2026-06-01');
		expect(weekStart('2026-06-08')).toBe('2026-06-08');
		// Across a year end.
		expect(weekStart('2027-01-01')).toBe('2026-12-28');
	});
});

describe('periodsOf', () => {
	it('lists every week overlapping the range, clipped to it', () => {
		const weeks = periodsOf({ from: '2026-06-03', to: '2026-06-16' }, 'week');
		expect(weeks.map((w) => [w.key, w.start, w.end])).toEqual([
			['2026-06-01', '2026-06-03', '2026-06-07'],
			['2026-06-08', '2026-06-08', '2026-06-14'],
			['2026-06-15', '2026-06-15', '2026-06-16']
		]);
		expect(weeks[0]!.label).toBe('w/c 1 Jun');
	});

	it('lists months across a year end, the last one ending with the range', () => {
		const months = periodsOf({ from: '2025-11-24', to: '2026-02-10' }, 'month');
		expect(months.map((m) => [m.key, m.start, m.end, m.label])).toEqual([
			['2025-11-01', '2025-11-24', '2025-11-30', 'Nov 2025'],
			['2025-12-01', '2025-12-01', '2025-12-31', 'Dec 2025'],
			['2026-01-01', '2026-01-01', '2026-01-31', 'Jan 2026'],
			['2026-02-01', '2026-02-01', '2026-02-10', 'Feb 2026']
		]);
	});
});

describe('fillPeriods', () => {
	it('keeps periods without rows, with the empty value', () => {
		const periods = periodsOf({ from: '2026-06-01', to: '2026-06-14' }, 'week');
		const filled = fillPeriods(periods, new Map([['2026-06-08', { n: 4 }]]), () => ({ n: 0 }));
		expect(filled.map((p) => [p.period.key, p.n])).toEqual([
			['2026-06-01', 0],
			['2026-06-08', 4]
		]);
	});
});

describe('median', () => {
	it('is the middle value, or the mean of the middle two', () => {
		expect(median([30, 2, 10, 4])).toBe(7);
		expect(median([5, 1, 3])).toBe(3);
		expect(median([8])).toBe(8);
		expect(median([])).toBeNull();
	});
});

describe('percent and loop closure', () => {
	it('gives 3 of 4 notified voters as 75 %, and nothing for no voters', () => {
		expect(closure({ ideas: 1, voters: 4, notified: 3 }).rate).toBe(75);
		expect(closure({ ideas: 2, voters: 3, notified: 2 }).rate).toBe(66.7);
		expect(closure().rate).toBeNull();
		expect(percent(0, 5)).toBe(0);
	});
});

describe('formatDuration', () => {
	it('writes hours under two days, days after', () => {
		expect(formatDuration(7)).toBe('7 h');
		expect(formatDuration(60)).toBe('2.5 d');
		expect(formatDuration(null)).toBe('—');
	});
});
