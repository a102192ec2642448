import { z } from 'zod';
import { BADGES, POINT_RULES, OUTCOME_LABELS, OUTCOME_KEYS } from '$lib/domain/advocacy';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { LEADERBOARD_PERIODS, LEADERBOARD_SIZE, leaderboard } from '$lib/server/customers/points';
import { canViewLeaderboard } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

const periodParam = z.enum(LEADERBOARD_PERIODS).catch('month');

export const load = (async (event) => {
	authorize(event, canViewLeaderboard(event.locals.actor));
	const period = periodParam.parse(event.url.searchParams.get('period') ?? 'month');
	const rows = await leaderboard(getDb(), { period });
	return {
		period,
		rows,
		size: LEADERBOARD_SIZE,
		rules: OUTCOME_KEYS.map((key) => ({ label: OUTCOME_LABELS[key], points: POINT_RULES[key] })),
		badges: BADGES.map((b) => ({ name: b.name, criterion: b.criterion })),
		signedIn: event.locals.actor.kind === 'user'
	};
}) satisfies PageServerLoad;
