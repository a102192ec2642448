import { getDb } from '$lib/server/db/app';
import { listProducts } from '$lib/server/products';
import type { PageServerLoad } from './$types';

export const load = (async () => {
	return { products: await listProducts(getDb()) };
}) satisfies PageServerLoad;
