import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { echo, parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { canManageCompanies } from '$lib/server/policy';
import {
	COMPANY_FIELDS,
	COMPANY_LISTS,
	addCompanyMember,
	addMemberSchema,
	companySchema,
	getCompanyBySlug,
	removeCompanyMember,
	updateCompany
} from '$lib/server/companies';
import { getTierThresholds } from '$lib/server/moderation/settings';
import { listProducts } from '$lib/server/products';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = ['created', 'saved'] as const;

async function loadCompany(event: RequestEvent<{ slug: string }>) {
	authorize(event, canManageCompanies(event.locals.actor));
	const db = getDb();
	const company = await getCompanyBySlug(db, event.params.slug, await getTierThresholds(db));
	if (!company) {
		error(404, m.admin_company_not_found());
	}
	return company;
}

export const load = (async (event) => {
	const company = await loadCompany(event);
	const notice = NOTICES.find((n) => n === event.url.searchParams.get('notice')) ?? null;
	const joined = Number(event.url.searchParams.get('joined')) || 0;
	return { company, products: await listProducts(getDb()), notice, joined };
}) satisfies PageServerLoad;

/** What every action answers, so the page reads one shape. */
function answer(
	done: string | null,
	extra: { values?: Record<string, string>; owned?: string[]; errors?: FieldErrors } = {}
) {
	return {
		done,
		values: extra.values ?? ({} as Record<string, string>),
		owned: extra.owned ?? null,
		errors: extra.errors ?? ({} as FieldErrors)
	};
}

const removeSchema = z.object({
	userId: z.coerce
		.number({ error: () => m.admin_company_choose_member() })
		.int()
		.positive({ error: () => m.admin_company_choose_member() })
});

export const actions = {
	update: async (event) => {
		const company = await loadCompany(event);
		const form = await readForm(event.request);
		const values = echo(form, COMPANY_FIELDS);
		const owned = form.getAll('products').filter((v): v is string => typeof v === 'string');
		const parsed = parseForm(form, companySchema, COMPANY_FIELDS, COMPANY_LISTS);
		if (!parsed.ok) {
			return fail(400, answer(null, { values, owned, errors: parsed.errors }));
		}
		const result = await updateCompany(getDb(), event.locals.actor, company.id, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, answer(null, { values, owned, errors: result.errors }));
			}
			if (result.reason === 'not_found') {
				error(404, m.admin_company_not_found());
			}
			error(403, m.admin_forbidden());
		}
		if (result.slug !== company.slug) {
			redirect(303, `/admin/companies/${result.slug}?notice=saved&joined=${result.joined}`);
		}
		return answer(
			result.joined > 0
				? m.admin_company_saved_joined({ count: result.joined })
				: m.admin_changes_saved()
		);
	},
	addMember: async (event) => {
		const company = await loadCompany(event);
		const form = await readForm(event.request);
		const parsed = parseForm(form, addMemberSchema, ['person']);
		if (!parsed.ok) {
			return fail(400, answer(null, { values: echo(form, ['person']), errors: parsed.errors }));
		}
		const result = await addCompanyMember(
			getDb(),
			event.locals.actor,
			company.id,
			parsed.data.person
		);
		if (!result.ok) {
			if (!('message' in result)) {
				error(result.reason === 'forbidden' ? 403 : 404, m.admin_company_cannot_change());
			}
			return fail(
				400,
				answer(null, { values: echo(form, ['person']), errors: { person: result.message } })
			);
		}
		return answer(
			result.movedFrom
				? m.admin_company_member_added_moved({
						handle: `@${result.member.handle}`,
						company: company.name,
						from: result.movedFrom
					})
				: m.admin_company_member_added({
						handle: `@${result.member.handle}`,
						company: company.name
					})
		);
	},
	removeMember: async (event) => {
		const company = await loadCompany(event);
		const parsed = parseForm(await readForm(event.request), removeSchema, ['userId']);
		if (!parsed.ok) {
			return fail(400, answer(null, { errors: parsed.errors }));
		}
		const result = await removeCompanyMember(
			getDb(),
			event.locals.actor,
			company.id,
			parsed.data.userId
		);
		if (!result.ok) {
			if (result.reason === 'forbidden') {
				error(403, m.admin_forbidden());
			}
			return fail(404, answer(null, { errors: { userId: m.admin_company_not_member() } }));
		}
		return answer(
			m.admin_company_member_removed({ handle: `@${result.handle}`, company: company.name })
		);
	}
} satisfies Actions;
