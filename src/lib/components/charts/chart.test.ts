import { describe, expect, it } from 'vitest';
import { describeChart, labelStep } from './chart';

describe('describeChart', () => {
	it('says the span and each series’ lowest, highest and latest value', () => {
		const text = describeChart(
			'Contributors',
			[
				{ label: 'w/c 1 Jun', values: { new: 3, returning: 0 } },
				{ label: 'w/c 8 Jun', values: { new: 0, returning: 2 } }
			],
			[
				{ key: 'new', label: 'New' },
				{ key: 'returning', label: 'Returning' }
			]
		);
		expect(text).toBe(
			'Contributors: 2 periods, w/c 1 Jun to w/c 8 Jun. ' +
				'New: lowest 0 (w/c 8 Jun), highest 3 (w/c 1 Jun), latest 0 (w/c 8 Jun). ' +
				'Returning: lowest 0 (w/c 1 Jun), highest 2 (w/c 8 Jun), latest 2 (w/c 8 Jun).'
		);
	});

	it('skips gaps and says when a series has no data', () => {
		const text = describeChart(
			'NPS',
			[
				{ label: 'Jan', values: { nps: null } },
				{ label: 'Feb', values: { nps: -10 } }
			],
			[
				{ key: 'nps', label: 'NPS' },
				{ key: 'csat', label: 'CSAT' }
			]
		);
		expect(text).toContain('NPS: lowest -10 (Feb), highest -10 (Feb), latest -10 (Feb).');
		expect(text).toContain('CSAT: no data.');
		expect(describeChart('Empty', [], [])).toBe('Empty: no data in this range.');
	});
});

describe('labelStep', () => {
	it('labels every bar when they fit and every n-th otherwise', () => {
		expect(labelStep(12)).toBe(1);
		expect(labelStep(13)).toBe(2);
		expect(labelStep(53)).toBe(5);
	});
});
