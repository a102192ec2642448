// The audit log as moderators read it: filtered by who, what, on what and when, newest first,
// keyset-paginated. The table is append-only (a trigger refuses updates and deletes).
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';

export const AUDIT_PAGE_SIZE = 50;

const date = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, { error: () => m.mod_log_date_invalid() })
	.optional()
	.or(z.literal('').transform(() => undefined));

export const auditFilterSchema = z.object({
	actor: z.string().trim().max(60).optional(),
	action: z.string().trim().max(60).optional(),
	target: z.string().trim().max(30).optional(),
	from: date,
	to: date,
	before: z.coerce.number().int().positive().optional().catch(undefined)
});
export type AuditFilter = z.output<typeof auditFilterSchema>;

export interface AuditRow {
	id: number;
	at: Date;
	actor: string | null;
	action: string;
	targetType: string;
	targetId: string;
	reason: string | null;
	details: Record<string, unknown>;
}

export async function listAuditLog(
	db: Db,
	filter: AuditFilter
): Promise<{ rows: AuditRow[]; olderBefore: number | null }> {
	let query = db.selectFrom('audit_log').selectAll();
	if (filter.actor) {
		query = query.where(
			'actor_handle',
			'ilike',
			filter.actor.replace(/^@/, '').replace(/[\\%_]/g, '\\$&')
		);
	}
	if (filter.action) {
		query = query.where('action', '=', filter.action);
	}
	if (filter.target) {
		query = query.where('target_type', '=', filter.target);
	}
	if (filter.from) {
		query = query.where('created_at', '>=', new Date(`${filter.from}T00:00:00Z`));
	}
	if (filter.to) {
		query = query.where(
			'created_at',
			'<',
			new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000)
		);
	}
	if (filter.before) {
		query = query.where('id', '<', filter.before);
	}
	const rows = await query
		.orderBy('id', 'desc')
		.limit(AUDIT_PAGE_SIZE + 1)
		.execute();
	const page = rows.slice(0, AUDIT_PAGE_SIZE);
	return {
		rows: page.map((row) => ({
			id: row.id,
			at: row.created_at,
			actor: row.actor_handle,
			action: row.action,
			targetType: row.target_type,
			targetId: row.target_id,
			reason: row.reason,
			details: row.details
		})),
		olderBefore: rows.length > AUDIT_PAGE_SIZE ? page.at(-1)!.id : null
	};
}

/** The actions and target types seen so far, for the filter menus. */
export async function auditFilterOptions(db: Db) {
	const [actions, targets] = await Promise.all([
		db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute(),
		db.selectFrom('audit_log').select('target_type').distinct().orderBy('target_type').execute()
	]);
	return { actions: actions.map((r) => r.action), targets: targets.map((r) => r.target_type) };
}
