// The product filter the roadmap and changelog share: a slug in the query string, from a GET form.
import { error, redirect } from '@sveltejs/kit';
import { sql } from 'kysely';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';

export interface ProductOption {
	name: string;
	slug: string;
	archived: boolean;
}

export async function listProductOptions(db: Db): Promise<ProductOption[]> {
	return db
		.selectFrom('product')
		.select(['name', 'slug', sql<boolean>`archived_at is not null`.as('archived')])
		.orderBy(sql`archived_at is not null`)
		.orderBy('name')
		.execute();
}

/**
 * The product slug a page is filtered by, or null. An empty `product=` (what the form sends for
 * "All products") redirects to the address without it; a slug naming no product is a 404.
 */
export function productFilter(url: URL, products: ProductOption[]): string | null {
	const raw = url.searchParams.get('product');
	if (raw === null) {
		return null;
	}
	const slug = raw.trim();
	if (!slug) {
		const kept = new URLSearchParams(url.searchParams);
		kept.delete('product');
		const search = kept.toString();
		redirect(307, `${url.pathname}${search ? `?${search}` : ''}`);
	}
	if (!products.some((p) => p.slug === slug)) {
		error(404, m.roadmap_no_such_product({ slug: slug.slice(0, 80) }));
	}
	return slug;
}
