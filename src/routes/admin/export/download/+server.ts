// The full export as a JSON download, streamed from the database in chunks.
import { authorize } from '$lib/server/auth/guards';
import { recordAudit } from '$lib/server/audit';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db/app';
import { exportSiteStream } from '$lib/server/export';
import { canExportSite } from '$lib/server/policy';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const actor = event.locals.actor;
	authorize(event, canExportSite(actor));
	if (!canExportSite(actor)) {
		throw new Error('unreachable');
	}
	// Who took a copy of everything, and when.
	await recordAudit(getDb(), actor, {
		action: 'site.export',
		targetType: 'site',
		targetId: 'export',
		details: {}
	});
	const date = new Date().toISOString().slice(0, 10);
	return new Response(exportSiteStream(getDb(), { siteName: config().SITE_NAME }), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="roundtable-export-${date}.json"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
