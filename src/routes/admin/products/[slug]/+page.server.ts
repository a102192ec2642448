import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { echo, parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { canManageCatalog } from '$lib/server/policy';
import {
	PRODUCT_FIELDS,
	getProductBySlug,
	productSchema,
	setProductArchived,
	updateProduct
} from '$lib/server/products';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = ['created', 'saved'] as const;

/** The product at this address, once the actor is known to be allowed here. */
async function loadProduct(event: RequestEvent<{ slug: string }>) {
	authorize(event, canManageCatalog(event.locals.actor));
	const product = await getProductBySlug(getDb(), event.params.slug);
	if (!product) {
		error(404, m.admin_product_not_found());
	}
	return product;
}

export const load = (async (event) => {
	const product = await loadProduct(event);
	const notice = NOTICES.find((n) => n === event.url.searchParams.get('notice')) ?? null;
	return { product, notice };
}) satisfies PageServerLoad;

/** What every action answers, so the page reads one shape. */
function answer(done: 'saved' | 'archived' | 'restored' | null, values = {}, errors = {}) {
	return { done, values: values as Record<string, string>, errors: errors as FieldErrors };
}

async function setArchived(event: RequestEvent<{ slug: string }>, archived: boolean) {
	const product = await loadProduct(event);
	const result = await setProductArchived(getDb(), event.locals.actor, product.id, archived);
	if (!result.ok) {
		if (result.reason === 'not_found') {
			error(404, m.admin_product_not_found());
		}
		error(403, m.admin_forbidden());
	}
	return answer(archived ? 'archived' : 'restored');
}

export const actions = {
	update: async (event) => {
		const product = await loadProduct(event);
		const form = await readForm(event.request);
		const values = echo(form, PRODUCT_FIELDS);
		const parsed = parseForm(form, productSchema, PRODUCT_FIELDS);
		if (!parsed.ok) {
			return fail(400, answer(null, values, parsed.errors));
		}
		const result = await updateProduct(getDb(), event.locals.actor, product.id, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, answer(null, values, result.errors));
			}
			if (result.reason === 'not_found') {
				error(404, m.admin_product_not_found());
			}
			error(403, m.admin_forbidden());
		}
		if (result.product.slug !== product.slug) {
			// The page's address is the slug: go to the new one.
			redirect(303, `/admin/products/${result.product.slug}?notice=saved`);
		}
		return answer('saved');
	},
	archive: (event) => setArchived(event, true),
	restore: (event) => setArchived(event, false)
} satisfies Actions;
