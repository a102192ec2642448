// /staff/insights: community health, satisfaction, responsiveness, ratings and at-risk customers
// for a date range (?range=30d|90d|12m or ?from=&to=). Staff and admins only.
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { rangeBounds } from '$lib/domain/insights';
import { topAdvocates } from '$lib/server/customers/advocacy';
import { TOP_ADVOCATES, loadInsights } from '$lib/server/insights';
import { WAITING_IDEA_DAYS } from '$lib/server/insights/queries';
import { rangeQuery, readRange } from '$lib/server/insights/range';
import { canViewCustomers } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canViewCustomers(event.locals.actor));
	const { range, errors, values } = readRange(event.url);
	const db = getDb();
	const insights = await loadInsights(db, range);
	const { start, end } = rangeBounds(range);
	const advocates = await topAdvocates(db, { from: start, to: end, limit: TOP_ADVOCATES });
	return {
		insights,
		advocates,
		errors,
		values,
		query: rangeQuery(range),
		waitingDays: WAITING_IDEA_DAYS
	};
}) satisfies PageServerLoad;
