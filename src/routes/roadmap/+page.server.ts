import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { canManageRoadmap, canViewRoadmap } from '$lib/server/policy';
import { SHIPPED_MAX, SHIPPED_WINDOW_DAYS, getRoadmap } from '$lib/server/roadmap';
import { listProductOptions, productFilter } from '$lib/server/roadmap/filters';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canViewRoadmap(event.locals.actor));
	const db = getDb();
	const products = await listProductOptions(db);
	const product = productFilter(event.url, products);
	return {
		columns: await getRoadmap(db, { productSlug: product }),
		products,
		product: product ?? '',
		shipped: { days: SHIPPED_WINDOW_DAYS, max: SHIPPED_MAX },
		canManage: canManageRoadmap(event.locals.actor)
	};
}) satisfies PageServerLoad;
