import { describe, expect, it } from 'vitest';
import { DEFAULT_TIER_THRESHOLDS, isTier, tierFor } from './tiers';

describe('tierFor', () => {
	it.each([
		[0, 'lead'],
		[499.99, 'lead'],
		[500, 'iron'],
		[1_999, 'iron'],
		[2_000, 'gold'],
		[9_999, 'gold'],
		[10_000, 'platinum'],
		[1_000_000, 'platinum'],
		[-5, 'lead'],
		[Number.NaN, 'lead']
	] as const)('%d a month is %s with the default thresholds', (value, tier) => {
		expect(tierFor(value, DEFAULT_TIER_THRESHOLDS)).toBe(tier);
	});

	it('follows the thresholds it is given', () => {
		const thresholds = { platinum: 100, gold: 50, iron: 10 };
		expect(tierFor(100, thresholds)).toBe('platinum');
		expect(tierFor(60, thresholds)).toBe('gold');
		expect(tierFor(10, thresholds)).toBe('iron');
		expect(tierFor(9, thresholds)).toBe('lead');
	});

	it('defaults are ordered from platinum down', () => {
		const { platinum, gold, iron } = DEFAULT_TIER_THRESHOLDS;
		expect(platinum).toBeGreaterThan(gold);
		expect(gold).toBeGreaterThan(iron);
	});
});

describe('isTier', () => {
	it('knows the four tiers and nothing else', () => {
		expect(['platinum', 'gold', 'iron', 'lead'].every(isTier)).toBe(true);
		expect(isTier('bronze')).toBe(false);
		expect(isTier(undefined)).toBe(false);
	});
});
