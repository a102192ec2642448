import { getDb } from '$lib/server/db/app';
import { config } from '$lib/server/config';
import { listPublishedTestimonials } from '$lib/server/testimonials';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const db = getDb();
	const all = await listPublishedTestimonials(db, { limit: 200 });
	const products = [
		...new Map(all.flatMap((t) => (t.product ? [[t.product.slug, t.product]] : []))).values()
	].sort((a, b) => a.name.localeCompare(b.name));
	const slug = url.searchParams.get('product')?.trim() || null;
	const product = products.find((p) => p.slug === slug) ?? null;
	return {
		siteName: config().SITE_NAME,
		products,
		product: product?.slug ?? null,
		testimonials: product ? all.filter((t) => t.product?.slug === product.slug) : all
	};
}) satisfies PageServerLoad;
