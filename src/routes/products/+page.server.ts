import { BAYES_PRIOR_WEIGHT } from '$lib/domain/reviews';
import { getDb } from '$lib/server/db/app';
import { rankProducts } from '$lib/server/reviews/queries';
import type { PageServerLoad } from './$types';

export const load = (async () => {
	const { products, siteMean } = await rankProducts(getDb());
	return { products, siteMean, priorWeight: BAYES_PRIOR_WEIGHT };
}) satisfies PageServerLoad;
