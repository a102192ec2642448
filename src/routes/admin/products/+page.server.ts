import { error, fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { echo, parseForm, readForm } from '$lib/server/forms';
import { canManageCatalog } from '$lib/server/policy';
import {
	PRODUCT_FIELDS,
	createProduct,
	listAllProducts,
	productSchema
} from '$lib/server/products';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canManageCatalog(event.locals.actor));
	return { products: await listAllProducts(getDb()) };
}) satisfies PageServerLoad;

export const actions = {
	create: async (event) => {
		authorize(event, canManageCatalog(event.locals.actor));
		const form = await readForm(event.request);
		const values = echo(form, PRODUCT_FIELDS);
		const parsed = parseForm(form, productSchema, PRODUCT_FIELDS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors });
		}
		const result = await createProduct(getDb(), event.locals.actor, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, { values, errors: result.errors });
			}
			error(403, m.admin_forbidden());
		}
		redirect(303, `/admin/products/${result.product.slug}?notice=created`);
	}
} satisfies Actions;
