// Everything the staff customer page shows about one customer beside their profile, in one call:
// the page and the benchmark (bench/insights.ts) load it the same way.
import type { Db } from '../db';
import { latestNpsScores } from '../surveys/nps';
import { advocacyScore } from '$lib/domain/advocacy';
import { outcomeCounts } from './outcomes';
import { activityPerWeek, participationOf } from './participation';
import { monthStart, pointsFromCounts } from './points';
import { timelineOf } from './timeline';

export async function customerOverview(
	db: Db,
	customerId: number,
	options: { activityPage: number }
) {
	// advocacyFor and memberPoints would each read the outcome counts and the NPS answer again:
	// read once, and score both from them (9 statements instead of 12).
	const [participation, allTime, month, nps, weeks, timeline] = await Promise.all([
		participationOf(db, customerId),
		outcomeCounts(db, { userIds: [customerId] }),
		outcomeCounts(db, { userIds: [customerId], from: monthStart() }),
		latestNpsScores(db, { userIds: [customerId] }),
		activityPerWeek(db, customerId, { weeks: 26 }),
		timelineOf(db, customerId, { viewer: 'staff', page: options.activityPage })
	]);
	const counts = allTime.get(customerId)!;
	const latest = nps[0] ?? null;
	const advocacy = advocacyScore(counts, latest?.score ?? null);
	const points = pointsFromCounts(counts, month.get(customerId)!);
	return { participation, advocacy, points, nps: latest, weeks, timeline };
}
