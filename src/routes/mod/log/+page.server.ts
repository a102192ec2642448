import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { auditFilterOptions, auditFilterSchema, listAuditLog } from '$lib/server/moderation';
import { canReadAuditLog } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

const FIELDS = ['actor', 'action', 'target', 'from', 'to', 'before'] as const;

export const load = (async (event) => {
	authorize(event, canReadAuditLog(event.locals.actor));
	const raw: Record<string, string> = {};
	for (const name of FIELDS) {
		const value = event.url.searchParams.get(name);
		if (value) {
			raw[name] = value;
		}
	}
	const parsed = auditFilterSchema.safeParse(raw);
	const filter = parsed.success ? parsed.data : {};
	const errors = parsed.success
		? {}
		: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
	const db = getDb();
	const [log, options] = await Promise.all([listAuditLog(db, filter), auditFilterOptions(db)]);
	let olderHref: string | null = null;
	if (log.olderBefore) {
		const params = new URLSearchParams(event.url.searchParams);
		params.set('before', String(log.olderBefore));
		olderHref = `?${params}`;
	}
	const newestParams = new URLSearchParams(event.url.searchParams);
	newestParams.delete('before');
	return {
		filter: {
			actor: raw.actor ?? '',
			action: raw.action ?? '',
			target: raw.target ?? '',
			from: raw.from ?? '',
			to: raw.to ?? ''
		},
		errors: errors as Record<string, string>,
		rows: log.rows,
		options,
		olderHref,
		newestHref: filter.before ? `?${newestParams}` : null
	};
}) satisfies PageServerLoad;
