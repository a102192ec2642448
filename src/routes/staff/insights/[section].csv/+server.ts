// GET /staff/insights/<section>.csv?range= or ?from=&to=: one section's table, as on the page.
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { authorize } from '$lib/server/auth/guards';
import { csvResponse, toCsv } from '$lib/server/csv';
import { getDb } from '$lib/server/db/app';
import { CSV_SECTIONS, insightsCsv } from '$lib/server/insights';
import { readRange } from '$lib/server/insights/range';
import { canViewCustomers } from '$lib/server/policy';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	authorize(event, canViewCustomers(event.locals.actor));
	const section = CSV_SECTIONS.find((name) => name === event.params.section);
	if (!section) {
		error(404, m.staff_insights_no_table());
	}
	const { range, errors } = readRange(event.url);
	if (Object.keys(errors).length > 0) {
		error(400, Object.values(errors).join(' '));
	}
	const table = await insightsCsv(getDb(), section, range, event.url.origin);
	return csvResponse(
		`insights-${section}-${range.from}-to-${range.to}`,
		toCsv(table.header, table.rows)
	);
};
