import { redirect } from '@sveltejs/kit';
import { endSession } from '$lib/server/auth/web';
import type { Actions, PageServerLoad } from './$types';

// Signing out is a POST (a link could be triggered by another site); GET just goes home.
export const load = (() => {
	redirect(303, '/');
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		await endSession(event);
		redirect(303, '/');
	}
} satisfies Actions;
