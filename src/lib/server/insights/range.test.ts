import { describe, expect, it } from 'vitest';
import { rangeQuery, readRange } from './range';

const now = new Date('2026-11-23T12:00:00Z');
const read = (search: string) => readRange(new URL(`http://x.test/staff/insights${search}`), now);

describe('readRange', () => {
	it('defaults to the last 90 days', () => {
		expect(read('')).toMatchObject({
			range: { from: '2026-08-26', to: '2026-11-23', preset: '90d' },
			errors: {}
		});
	});

	it('takes a preset', () => {
		expect(read('?range=30d').range).toEqual({
			from: '2026-10-25',
			to: '2026-11-23',
			preset: '30d'
		});
		expect(read('?range=12m').range.preset).toBe('12m');
	});

	it('takes custom dates, both included', () => {
		expect(read('?from=2026-01-01&to=2026-03-31')).toMatchObject({
			range: { from: '2026-01-01', to: '2026-03-31', preset: 'custom' },
			errors: {}
		});
	});

	it('refuses bad dates with a message per field and keeps the default range', () => {
		const bad = read('?from=2026-02-30&to=yesterday');
		expect(bad.range.preset).toBe('90d');
		expect(bad.errors.from).toMatch(/YYYY-MM-DD/);
		expect(bad.errors.to).toMatch(/YYYY-MM-DD/);
		expect(bad.values).toEqual({ from: '2026-02-30', to: 'yesterday' });
		expect(read('?from=2026-05-01&to=2026-04-01').errors.from).toMatch(/on or before/);
		expect(read('?from=2026-05-01&to=2026-12-01').errors.to).toMatch(/future/);
		expect(read('?from=2020-01-01&to=2026-01-01').errors.from).toMatch(/at most/);
		expect(read('?from=2026-05-01').errors.to).toMatch(/Enter the end date/);
		expect(read('?range=7y')).toMatchObject({
			range: { preset: '90d' },
			errors: { range: expect.any(String) }
		});
	});
});

describe('rangeQuery', () => {
	it('asks for the same range again', () => {
		expect(rangeQuery(read('?range=12m').range)).toBe('range=12m');
		expect(rangeQuery(read('?from=2026-01-01&to=2026-03-31').range)).toBe(
			'from=2026-01-01&to=2026-03-31'
		);
	});
});
