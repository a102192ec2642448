// "My ideas": the inbox's view of the ideas assigned to the signed-in staff member.
import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load = (() => {
	redirect(307, '/staff/triage?view=mine');
}) satisfies PageServerLoad;
