import { error, fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { echo, parseForm, readForm } from '$lib/server/forms';
import { canManageCompanies } from '$lib/server/policy';
import {
	COMPANY_FIELDS,
	COMPANY_LISTS,
	companySchema,
	createCompany,
	listCompanies
} from '$lib/server/companies';
import { getTierThresholds } from '$lib/server/moderation/settings';
import { listProducts } from '$lib/server/products';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canManageCompanies(event.locals.actor));
	const db = getDb();
	const query = (event.url.searchParams.get('q') ?? '').trim().slice(0, 100);
	const [companies, products] = await Promise.all([
		listCompanies(db, await getTierThresholds(db), { q: query }),
		listProducts(db)
	]);
	return { companies, products, query };
}) satisfies PageServerLoad;

export const actions = {
	create: async (event) => {
		authorize(event, canManageCompanies(event.locals.actor));
		const form = await readForm(event.request);
		const values = echo(form, COMPANY_FIELDS);
		const owned = form.getAll('products').filter((v): v is string => typeof v === 'string');
		const parsed = parseForm(form, companySchema, COMPANY_FIELDS, COMPANY_LISTS);
		if (!parsed.ok) {
			return fail(400, { values, owned, errors: parsed.errors });
		}
		const result = await createCompany(getDb(), event.locals.actor, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, { values, owned, errors: result.errors });
			}
			error(403, m.admin_forbidden());
		}
		redirect(303, `/admin/companies/${result.slug}?notice=created&joined=${result.joined}`);
	}
} satisfies Actions;
