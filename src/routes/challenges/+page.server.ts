import { authorize } from '$lib/server/auth/guards';
import { listChallenges } from '$lib/server/challenges';
import { getDb } from '$lib/server/db/app';
import { canManageChallenges, canViewChallenges } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canViewChallenges(event.locals.actor));
	const now = new Date();
	const challenges = await listChallenges(getDb(), now);
	return {
		now,
		open: challenges.filter((c) => c.state === 'open'),
		upcoming: challenges.filter((c) => c.state === 'upcoming'),
		closed: challenges.filter((c) => c.state === 'closed'),
		canManage: canManageChallenges(event.locals.actor)
	};
}) satisfies PageServerLoad;
