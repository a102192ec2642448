import { m } from '$lib/paraglide/messages';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { listEntriesForStaff } from '$lib/server/changelog';
import { canManageChangelog } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canManageChangelog(event.locals.actor));
	return {
		entries: await listEntriesForStaff(getDb()),
		notice: event.url.searchParams.get('notice') === 'deleted' ? m.staff_changelog_deleted() : null
	};
}) satisfies PageServerLoad;
