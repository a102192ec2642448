// /staff/insights: community health, satisfaction, responsiveness, ratings and at-risk customers
// for a date range (?range=30d|90d|12m or ?from=&to=). Staff and admins only.
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { loadInsights, type AdvocateRow } from '$lib/server/insights';
import { WAITING_IDEA_DAYS } from '$lib/server/insights/queries';
import { rangeQuery, readRange } from '$lib/server/insights/range';
import { canViewCustomers } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canViewCustomers(event.locals.actor));
	const { range, errors, values } = readRange(event.url);
	const db = getDb();
	const insights = await loadInsights(db, range);
	// Top advocates: wire `topAdvocates` (src/lib/server/customers/advocacy.ts) in here when the
	// customers branch lands, e.g.
	//   const { start, end } = rangeBounds(range);
	//   const advocates = await topAdvocates(db, { from: start, to: end, limit: 10 });
	// and add an 'advocates' case to [section].csv with `advocatesCsv`. Until then the section
	// says it is not available; it never shows made-up rows.
	const advocates: AdvocateRow[] | null = null;
	return {
		insights,
		advocates,
		errors,
		values,
		query: rangeQuery(range),
		waitingDays: WAITING_IDEA_DAYS
	};
}) satisfies PageServerLoad;
