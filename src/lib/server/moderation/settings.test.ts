import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, siteSettingsSchema, tierOrderIssues } from './settings';

const form = (overrides: Record<string, string>) =>
	Object.fromEntries(
		Object.entries({ ...DEFAULT_SETTINGS, ...overrides }).map(([k, v]) => [k, String(v)])
	);

describe('tier thresholds in the site settings', () => {
	it('accepts thresholds that climb from iron to platinum', () => {
		const parsed = siteSettingsSchema.safeParse(
			form({ tierPlatinum: '5000', tierGold: '1000', tierIron: '100' })
		);
		expect(parsed.success && parsed.data.tierGold).toBe(1000);
	});

	it('reports gold not above iron on the gold field', () => {
		const parsed = siteSettingsSchema.safeParse(
			form({ tierPlatinum: '5000', tierGold: '100', tierIron: '100' })
		);
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
			['tierGold', 'The gold threshold must be above the iron threshold (100).']
		]);
	});

	it('reports platinum not above gold on the platinum field', () => {
		expect(tierOrderIssues({ tierPlatinum: 2000, tierGold: 2000, tierIron: 500 })).toEqual([
			{
				path: ['tierPlatinum'],
				message: 'The platinum threshold must be above the gold threshold (2000).'
			}
		]);
		expect(tierOrderIssues({ tierPlatinum: 1, tierGold: 2, tierIron: 3 })).toHaveLength(2);
	});

	it('has defaults that pass their own rule', () => {
		expect(tierOrderIssues(DEFAULT_SETTINGS)).toEqual([]);
	});
});
