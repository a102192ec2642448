import { STATUS_CATEGORIES } from '$lib/domain/ideas';
import { tierLabel, TIERS } from '$lib/domain/tiers';
import { getTierThresholds } from '$lib/server/moderation/settings';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { listIdeaFilterOptions } from '$lib/server/ideas/queries';
import { canTriage } from '$lib/server/policy';
import { demandFormula, listPriorities, RECENT_DAYS } from '$lib/server/triage/priorities';
import { priorityFilters } from '$lib/server/triage/priority-filters';
import { categoryLabel } from '$lib/server/triage/statuses';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canTriage(event.locals.actor));
	const filters = priorityFilters(event.url);
	const db = getDb();
	const thresholds = await getTierThresholds(db);
	const [rows, options] = await Promise.all([
		listPriorities(db, { ...filters, thresholds }),
		listIdeaFilterOptions(db)
	]);
	return {
		rows,
		filters,
		products: options.products,
		categories: STATUS_CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) })),
		tiers: TIERS.map((t) => ({ value: t, label: tierLabel(t) })),
		thresholds,
		formula: demandFormula(),
		recentDays: RECENT_DAYS,
		csvHref: `/staff/priorities.csv${event.url.search}`
	};
}) satisfies PageServerLoad;
