import { describe, expect, it } from 'vitest';
import { weekStartOf } from './participation';

describe('weekStartOf', () => {
	it('is the Monday 00:00 UTC of the week, as date_trunc(week) in Postgres', () => {
		expect(weekStartOf(new Date('2026-11-23T06:00:00Z')).toISOString()).toBe(
			'2026-11-23T00:00:00.000Z'
		);
		expect(weekStartOf(new Date('2026-11-29T23:59:59Z')).toISOString()).toBe(
			'2026-11-23T00:00:00.000Z'
		);
		expect(weekStartOf(new Date('2026-11-22T23:59:59Z')).toISOString()).toBe(
			'2026-11-16T00:00:00.000Z'
		);
	});
});
