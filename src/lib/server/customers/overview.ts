// Everything the staff customer page shows about one customer beside their profile, in one call:
// the page and the benchmark (bench/insights.ts) load it the same way.
import type { Db } from '../db';
import { latestNpsScores } from '../surveys/nps';
import { advocacyFor } from './advocacy';
import { activityPerWeek, participationOf } from './participation';
import { memberPoints } from './points';
import { timelineOf } from './timeline';

export async function customerOverview(
	db: Db,
	customerId: number,
	options: { activityPage: number }
) {
	const [participation, advocacy, points, nps, weeks, timeline] = await Promise.all([
		participationOf(db, customerId),
		advocacyFor(db, customerId),
		memberPoints(db, customerId),
		latestNpsScores(db, { userIds: [customerId] }),
		activityPerWeek(db, customerId, { weeks: 26 }),
		timelineOf(db, customerId, { viewer: 'staff', page: options.activityPage })
	]);
	return { participation, advocacy, points, nps: nps[0] ?? null, weeks, timeline };
}
