import { authorize } from '$lib/server/auth/guards';
import { isHelpStatus } from '$lib/domain/help';
import { getDb } from '$lib/server/db/app';
import { helpInbox } from '$lib/server/help';
import { canViewHelpInbox } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canViewHelpInbox(event.locals.actor));
	const wanted = event.url.searchParams.get('status');
	const status = isHelpStatus(wanted) ? wanted : 'open';
	const pageParam = event.url.searchParams.get('page') ?? '1';
	const page = /^\d{1,6}$/.test(pageParam) ? Number(pageParam) : 1;
	return { status, ...(await helpInbox(getDb(), { status, page })) };
}) satisfies PageServerLoad;
