import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { companyOverviewFilters, listCompanyOverviews } from '$lib/server/companies';
import { getTierThresholds } from '$lib/server/moderation/settings';
import { canViewCustomers } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canViewCustomers(event.locals.actor));
	const db = getDb();
	const filters = companyOverviewFilters(event.url);
	const thresholds = await getTierThresholds(db);
	return {
		rows: await listCompanyOverviews(db, thresholds, filters),
		filters,
		thresholds,
		csvHref: `/staff/companies.csv${event.url.search}`
	};
}) satisfies PageServerLoad;
