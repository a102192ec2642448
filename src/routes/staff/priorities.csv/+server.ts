// GET /staff/priorities.csv: the priorities view as CSV, with the same filters and order.
import { csvResponse } from '$lib/server/csv';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { canTriage } from '$lib/server/policy';
import { listPriorities, prioritiesCsv } from '$lib/server/triage/priorities';
import { priorityFilters } from '$lib/server/triage/priority-filters';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	authorize(event, canTriage(event.locals.actor));
	const rows = await listPriorities(getDb(), priorityFilters(event.url));
	return csvResponse('priorities', prioritiesCsv(rows, event.url.origin));
};
