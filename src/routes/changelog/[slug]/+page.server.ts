import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { getPublishedEntry } from '$lib/server/changelog';
import { canManageChangelog, canViewChangelogEntry } from '$lib/server/policy';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, locals }) => {
	const found = await getPublishedEntry(getDb(), params.slug);
	if (!found.found) {
		if (found.redirectTo) {
			redirect(308, found.redirectTo);
		}
		error(404, m.roadmap_changelog_not_found());
	}
	if (!canViewChangelogEntry(locals.actor, { published: true })) {
		error(404, m.roadmap_changelog_not_found());
	}
	return {
		entry: found.entry,
		editHref: canManageChangelog(locals.actor) ? `/staff/changelog/${found.entry.id}` : null
	};
}) satisfies PageServerLoad;
