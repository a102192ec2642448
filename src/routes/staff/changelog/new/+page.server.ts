import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { echo, parseForm, readForm } from '$lib/server/forms';
import { CHANGELOG_FIELDS, changelogSchema, createEntry } from '$lib/server/changelog';
import { listAllProducts } from '$lib/server/products';
import { canManageChangelog } from '$lib/server/policy';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canManageChangelog(event.locals.actor));
	const products = await listAllProducts(getDb());
	return { products: products.map((p) => ({ id: p.id, name: p.name })) };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		authorize(event, canManageChangelog(event.locals.actor));
		const form = await readForm(event.request);
		const values = echo(form, CHANGELOG_FIELDS);
		const parsed = parseForm(form, changelogSchema, CHANGELOG_FIELDS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors });
		}
		const result = await createEntry(getDb(), event.locals.actor, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, { values, errors: result.errors });
			}
			error(403, m.staff_no_permission());
		}
		redirect(303, `/staff/changelog/${result.id}?notice=created`);
	}
} satisfies Actions;
