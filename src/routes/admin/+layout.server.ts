import { authorize } from '$lib/server/auth/guards';
import { canAdminister } from '$lib/server/policy';
import type { LayoutServerLoad } from './$types';

export const load = ((event) => {
	authorize(event, canAdminister(event.locals.actor));
}) satisfies LayoutServerLoad;
