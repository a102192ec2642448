import { config } from '$lib/server/config';
import { canAdminister } from '$lib/server/policy';
import type { LayoutServerLoad } from './$types';

export const load = (({ locals }) => {
	const { actor } = locals;
	return {
		siteName: config().SITE_NAME,
		viewer:
			actor.kind === 'user'
				? { handle: actor.handle, displayName: actor.displayName, role: actor.role }
				: null,
		can: { administer: canAdminister(actor) }
	};
}) satisfies LayoutServerLoad;
