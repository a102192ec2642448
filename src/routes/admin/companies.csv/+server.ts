// GET /admin/companies.csv: the companies (search applied) in the import format, so an export,
// edited in a spreadsheet, imports back.
import { csvResponse } from '$lib/server/csv';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { companiesCsv } from '$lib/server/companies';
import { getTierThresholds } from '$lib/server/moderation/settings';
import { canManageCompanies } from '$lib/server/policy';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	authorize(event, canManageCompanies(event.locals.actor));
	const db = getDb();
	const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 100);
	return csvResponse('companies', await companiesCsv(db, await getTierThresholds(db), q));
};
