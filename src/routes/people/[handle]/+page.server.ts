import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { InvalidCursorError, listIdeas } from '$lib/server/ideas/queries';
import { getPublicProfile } from '$lib/server/users/profile';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	const db = getDb();
	const profile = await getPublicProfile(db, params.handle);
	if (!profile) {
		error(404, 'There is no one with this handle here. They may have changed it.');
	}
	if (params.handle !== profile.handle) {
		// Mentions link the lowercased handle; the address shows it as its owner writes it.
		redirect(308, `/people/${encodeURIComponent(profile.handle)}${url.search}`);
	}
	const cursor = url.searchParams.get('after') || null;
	try {
		const list = await listIdeas(db, { authorId: profile.id, sort: 'newest', cursor });
		return { profile, ideas: list.ideas, nextCursor: list.nextCursor, paged: cursor !== null };
	} catch (cause) {
		if (cause instanceof InvalidCursorError) {
			error(400, 'This page link is not valid any more. Start again from the first page.');
		}
		throw cause;
	}
}) satisfies PageServerLoad;
