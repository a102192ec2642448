import { authorize } from '$lib/server/auth/guards';
import { EXPORTED_TABLES, NOT_EXPORTED_TABLES } from '$lib/server/export';
import { canExportSite } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	authorize(event, canExportSite(event.locals.actor));
	return {
		exported: Object.entries(EXPORTED_TABLES).map(([table, columns]) => ({ table, columns })),
		omitted: Object.entries(NOT_EXPORTED_TABLES).map(([table, why]) => ({ table, why }))
	};
}) satisfies PageServerLoad;
