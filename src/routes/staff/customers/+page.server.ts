import { z } from 'zod';
import { tierLabel, TIERS } from '$lib/domain/tiers';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import {
	CUSTOMER_SORTS,
	companyOptions,
	customerSortLabel,
	listCustomers
} from '$lib/server/customers/directory';
import { getSiteSettings, tierThresholds } from '$lib/server/moderation/settings';
import { canViewCustomers } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

// A filter value that is not valid is dropped (the list shows unfiltered), as on other lists.
const filterSchema = z.object({
	q: z.string().trim().max(100).catch(''),
	company: z.coerce.number().int().positive().nullable().catch(null),
	tier: z.enum(TIERS).nullable().catch(null),
	sort: z.enum(CUSTOMER_SORTS).catch('advocacy'),
	page: z.coerce.number().int().min(1).max(10_000).catch(1)
});

export const load = (async (event) => {
	authorize(event, canViewCustomers(event.locals.actor));
	const params = event.url.searchParams;
	const filters = filterSchema.parse({
		q: params.get('q') ?? '',
		company: params.get('company') || null,
		tier: params.get('tier') || null,
		sort: params.get('sort') ?? 'advocacy',
		page: params.get('page') ?? 1
	});
	const db = getDb();
	const thresholds = tierThresholds(await getSiteSettings(db));
	const [list, companies] = await Promise.all([
		listCustomers(db, thresholds, {
			q: filters.q,
			companyId: filters.company,
			tier: filters.tier,
			sort: filters.sort,
			page: filters.page
		}),
		companyOptions(db)
	]);
	return {
		filters,
		list,
		companies,
		tiers: TIERS.map((t) => ({ value: t, label: tierLabel(t) })),
		sorts: CUSTOMER_SORTS.map((s) => ({ value: s, label: customerSortLabel(s) }))
	};
}) satisfies PageServerLoad;
