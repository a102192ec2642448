import { authorize } from '$lib/server/auth/guards';
import { canTriage } from '$lib/server/policy';
import type { LayoutServerLoad } from './$types';

export const load = ((event) => {
	authorize(event, canTriage(event.locals.actor));
}) satisfies LayoutServerLoad;
