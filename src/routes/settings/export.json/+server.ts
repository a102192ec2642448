// Download of the member's own data as JSON (see src/lib/server/customers/export.ts for what is in
// it and, as importantly, what is not).
import { authorize, requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { exportOwnData } from '$lib/server/customers/export';
import { canManageOwnAdvocacy } from '$lib/server/policy';
import type { RequestHandler } from './$types';

export const GET = (async (event) => {
	const actor = requireUser(event);
	authorize(event, canManageOwnAdvocacy(actor));
	const data = await exportOwnData(getDb(), actor.id);
	const day = new Date().toISOString().slice(0, 10);
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="${actor.handle}-data-${day}.json"`,
			'Cache-Control': 'no-store'
		}
	});
}) satisfies RequestHandler;
