// GET /products: the products people can give feedback on (archived ones left out).
import { z } from 'zod';
import { listProducts } from '../../products';
import { decodeIdCursor, pageOf as page } from '../cursor';
import { defineEndpoint, ok } from '../endpoint';
import { limitOf, pageOf, pageQuery, productSchema } from '../schemas';

export default defineEndpoint({
	method: 'GET',
	path: '/products',
	operationId: 'listProducts',
	tag: 'Products',
	summary: 'List products',
	description:
		'Products that take ideas and reviews, oldest first. Archived products are left out.',
	scope: 'read',
	query: z.object(pageQuery),
	responses: { 200: { description: 'A page of products.', schema: pageOf(productSchema) } },
	errors: [400],
	async handle({ db, query }) {
		const limit = limitOf(query);
		const rows = await listProducts(db, {
			afterId: decodeIdCursor(query.cursor, 'products'),
			limit: limit + 1
		});
		const { items, next_cursor } = page(rows, limit, 'products', (p) => [p.id]);
		return ok({
			data: items.map((p) => ({ ...p, url: `/products/${p.slug}` })),
			next_cursor
		});
	}
});
