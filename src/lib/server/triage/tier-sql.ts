// The tier of a company as SQL, from the same thresholds `tierFor` uses, so lists can filter and
// group by tier in the database and agree with the pure function.
import { sql, type RawBuilder } from 'kysely';
import type { Tier, TierThresholds } from '$lib/domain/tiers';

/**
 * `case when company.mrr >= … then 'platinum' … else 'lead' end` over the given column, with the
 * admin's thresholds (`getTierThresholds`).
 */
export function tierCase(mrr: RawBuilder<number>, thresholds: TierThresholds): RawBuilder<Tier> {
	return sql<Tier>`case when ${mrr} >= ${thresholds.platinum} then 'platinum' when ${mrr} >= ${thresholds.gold} then 'gold' when ${mrr} >= ${thresholds.iron} then 'iron' else 'lead' end`;
}
