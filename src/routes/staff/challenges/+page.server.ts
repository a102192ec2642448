import { authorize } from '$lib/server/auth/guards';
import { listChallenges } from '$lib/server/challenges';
import { getDb } from '$lib/server/db/app';
import { canManageChallenges } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canManageChallenges(event.locals.actor));
	return { challenges: await listChallenges(getDb()) };
}) satisfies PageServerLoad;
