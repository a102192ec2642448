// Products that ideas and reviews belong to.
import type { Db } from '../db';

export interface ProductSummary {
	id: number;
	name: string;
	slug: string;
	description: string;
}

/** Products people can give feedback on (archived ones are left out). */
export async function listProducts(db: Db): Promise<ProductSummary[]> {
	return db
		.selectFrom('product')
		.select(['id', 'name', 'slug', 'description'])
		.where('archived_at', 'is', null)
		.orderBy('name')
		.execute();
}
