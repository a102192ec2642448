// GET /products/{slug}: one product with its rating summary.
import { z } from 'zod';
import { getProductBySlug } from '../../products';
import { ratingSummary } from '../../reviews/queries';
import { defineEndpoint, ok } from '../endpoint';
import { notFound } from '../errors';
import { itemOf, productDetailSchema } from '../schemas';

export const slugPath = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,80}$/) });

export default defineEndpoint({
	method: 'GET',
	path: '/products/{slug}',
	operationId: 'getProduct',
	tag: 'Products',
	summary: 'Get a product',
	scope: 'read',
	params: slugPath,
	responses: { 200: { description: 'The product.', schema: itemOf(productDetailSchema) } },
	errors: [404],
	async handle({ db, params }) {
		const product = await getProductBySlug(db, params.slug);
		if (!product) {
			throw notFound('product');
		}
		const rating = await ratingSummary(db, product.id);
		return ok({
			data: {
				id: product.id,
				name: product.name,
				slug: product.slug,
				description: product.description,
				url: `/products/${product.slug}`,
				archived: product.archivedAt !== null,
				idea_count: product.ideaCount,
				rating
			}
		});
	}
});
