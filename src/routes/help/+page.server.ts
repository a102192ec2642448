import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { companyOf, listHelpThreads } from '$lib/server/help';
import { canStartHelpThread } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	const actor = requireUser(event);
	const db = getDb();
	const [threads, company] = await Promise.all([
		listHelpThreads(db, actor),
		companyOf(db, actor.id)
	]);
	return { threads, company, canStart: canStartHelpThread(actor) };
}) satisfies PageServerLoad;
