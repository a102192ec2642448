// The audit log: an append-only record of every staff, moderator and admin action.
import type { Db } from '../db';
import type { UserActor } from '../policy';

export interface AuditEntry {
	action: string;
	targetType: string;
	targetId: string | number;
	reason?: string | null;
	details?: Record<string, unknown>;
}

export async function recordAudit(db: Db, actor: UserActor, entry: AuditEntry): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			actor_id: actor.id,
			actor_handle: actor.handle,
			action: entry.action,
			target_type: entry.targetType,
			target_id: String(entry.targetId),
			reason: entry.reason ?? null,
			details: JSON.stringify(entry.details ?? {})
		})
		.execute();
}

/** An entry no person acted for (e.g. a member joined a company by their verified domain). */
export async function recordSystemAudit(db: Db, entry: AuditEntry): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			actor_id: null,
			actor_handle: null,
			action: entry.action,
			target_type: entry.targetType,
			target_id: String(entry.targetId),
			reason: entry.reason ?? null,
			details: JSON.stringify(entry.details ?? {})
		})
		.execute();
}

export async function listAudit(db: Db, options: { limit?: number } = {}) {
	return db
		.selectFrom('audit_log')
		.selectAll()
		.orderBy('id', 'desc')
		.limit(options.limit ?? 100)
		.execute();
}
