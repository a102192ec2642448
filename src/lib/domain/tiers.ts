// The customer pyramid: a company's tier from its value (today `company.mrr`) and the thresholds
// an admin sets. Shared by server and UI; no server imports here.
import { m } from '$lib/paraglide/messages';

export const TIERS = ['platinum', 'gold', 'iron', 'lead'] as const;
export type Tier = (typeof TIERS)[number];

/** The tier's name in the reader's language. */
export function tierLabel(tier: Tier): string {
	const labels: Record<Tier, () => string> = {
		platinum: m.staff_tier_platinum,
		gold: m.staff_tier_gold,
		iron: m.staff_tier_iron,
		lead: m.staff_tier_lead
	};
	return labels[tier]();
}

/**
 * The tiers' names, read per lookup (each property is a getter calling `tierLabel`), so pages
 * that still index this map show the reader's language too. New code calls `tierLabel`.
 */
export const TIER_LABELS: Readonly<Record<Tier, string>> = Object.freeze(
	Object.defineProperties(
		{},
		Object.fromEntries(
			TIERS.map((tier) => [tier, { get: () => tierLabel(tier), enumerable: true }])
		)
	) as Record<Tier, string>
);

/** The least value (monthly recurring revenue) a company needs for each tier above lead. */
export interface TierThresholds {
	platinum: number;
	gold: number;
	iron: number;
}

/**
 * The site settings' defaults, until an admin sets their own at /admin/settings: platinum from
 * 10,000 a month, gold from 2,000, iron from 500; below 500 a company is lead, which by the
 * pyramid's definition costs more to serve than it brings. Only the settings read these: every
 * tier shown is computed from the admin's thresholds (`getTierThresholds`), so `tierFor` and
 * `tierCase` take them explicitly.
 */
export const DEFAULT_TIER_THRESHOLDS: Readonly<TierThresholds> = Object.freeze({
	platinum: 10_000,
	gold: 2_000,
	iron: 500
});

/** The tier of a company worth `companyValue` a month. A value that is not a number is lead. */
export function tierFor(companyValue: number, thresholds: TierThresholds): Tier {
	if (!Number.isFinite(companyValue)) {
		return 'lead';
	}
	if (companyValue >= thresholds.platinum) {
		return 'platinum';
	}
	if (companyValue >= thresholds.gold) {
		return 'gold';
	}
	if (companyValue >= thresholds.iron) {
		return 'iron';
	}
	return 'lead';
}

export function isTier(value: unknown): value is Tier {
	return typeof value === 'string' && (TIERS as readonly string[]).includes(value);
}
