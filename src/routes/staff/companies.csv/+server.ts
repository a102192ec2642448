// GET /staff/companies.csv: the companies list as CSV, in the same order.
import { csvResponse } from '$lib/server/csv';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import {
	companyOverviewFilters,
	companyOverviewsCsv,
	listCompanyOverviews
} from '$lib/server/companies';
import { getTierThresholds } from '$lib/server/moderation/settings';
import { canViewCustomers } from '$lib/server/policy';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	authorize(event, canViewCustomers(event.locals.actor));
	const db = getDb();
	const rows = await listCompanyOverviews(
		db,
		await getTierThresholds(db),
		companyOverviewFilters(event.url)
	);
	return csvResponse('companies', companyOverviewsCsv(rows, event.url.origin));
};
