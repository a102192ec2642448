import { authorize } from '$lib/server/auth/guards';
import { canModerate } from '$lib/server/policy';
import type { LayoutServerLoad } from './$types';

export const load = ((event) => {
	authorize(event, canModerate(event.locals.actor));
}) satisfies LayoutServerLoad;
