import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { InvalidCursorError, listIdeas } from '$lib/server/ideas/queries';
import { getPublicProfile } from '$lib/server/users/profile';
import { z } from 'zod';
import { memberPoints } from '$lib/server/customers/points';
import { timelineOf } from '$lib/server/customers/timeline';
import { canViewOwnActivity } from '$lib/server/policy';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';

const activityPage = z.coerce.number().int().min(1).max(100_000).catch(1);

export const load = (async ({ params, url, locals }) => {
	const db = getDb();
	const profile = await getPublicProfile(db, params.handle);
	if (!profile) {
		error(404, m.account_profile_not_found());
	}
	if (params.handle !== profile.handle) {
		// Mentions link the lowercased handle; the address shows it as its owner writes it.
		redirect(308, `/people/${encodeURIComponent(profile.handle)}${url.search}`);
	}
	const cursor = url.searchParams.get('after') || null;
	try {
		const own = canViewOwnActivity(locals.actor, profile);
		const [list, points, activity] = await Promise.all([
			listIdeas(db, { authorId: profile.id, sort: 'newest', cursor }),
			memberPoints(db, profile.id),
			own
				? timelineOf(db, profile.id, {
						viewer: 'self',
						page: activityPage.parse(url.searchParams.get('activity') ?? 1)
					})
				: null
		]);
		return {
			profile,
			ideas: list.ideas,
			nextCursor: list.nextCursor,
			paged: cursor !== null,
			// Public: points and the badges earned, nothing else of the outcome counts.
			points: { allTime: points.allTime.score, thisMonth: points.thisMonth.score },
			badges: points.badges.map((b) => ({ key: b.key, name: b.name, criterion: b.criterion })),
			activity
		};
	} catch (cause) {
		if (cause instanceof InvalidCursorError) {
			error(400, m.account_profile_bad_cursor());
		}
		throw cause;
	}
}) satisfies PageServerLoad;
