import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { getCompanyInsights } from '$lib/server/companies';
import { getTierThresholds } from '$lib/server/moderation/settings';
import { canManageCompanies, canViewCustomers } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canViewCustomers(event.locals.actor));
	const db = getDb();
	const insights = await getCompanyInsights(db, event.params.slug, await getTierThresholds(db));
	if (!insights) {
		error(404, m.staff_company_not_found());
	}
	return { ...insights, canEdit: canManageCompanies(event.locals.actor) };
}) satisfies PageServerLoad;
