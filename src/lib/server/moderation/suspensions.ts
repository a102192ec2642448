// Suspensions: a moderator suspends a member until a date with a reason, or lifts it. A suspended
// member reads and sees why (a banner on every page) but cannot post, vote, flag or review.
import { sql } from 'kysely';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { MODERATION_REASON_MAX } from '$lib/domain/moderation';
import type { Role } from '$lib/domain/roles';
import type { Db } from '../db';
import { recordAudit } from '../audit';
import { canSuspend, type Actor } from '../policy';

/** At most this far ahead; a longer suspension is a ban, which is the admins' (role) business. */
export const SUSPENSION_MAX_DAYS = 3650;

export const suspendSchema = z.object({
	until: z
		.string({ error: () => m.mod_suspend_choose_date() })
		.regex(/^\d{4}-\d{2}-\d{2}$/, { error: () => m.mod_suspend_choose_date() })
		.transform((value) => new Date(`${value}T00:00:00Z`))
		.refine((date) => !Number.isNaN(date.getTime()), { error: () => m.mod_suspend_real_date() })
		.refine((date) => date.getTime() > Date.now(), { error: () => m.mod_suspend_future() })
		.refine((date) => date.getTime() < Date.now() + SUSPENSION_MAX_DAYS * 86_400_000, {
			error: () => m.mod_suspend_at_most_days({ max: SUSPENSION_MAX_DAYS })
		}),
	reason: z
		.string({ error: () => m.mod_suspend_reason_required() })
		.trim()
		.min(1, { error: () => m.mod_suspend_reason_required() })
		.max(MODERATION_REASON_MAX, {
			error: () => m.mod_reason_too_long({ max: MODERATION_REASON_MAX })
		})
});
export const SUSPEND_FIELDS = ['until', 'reason'] as const;
export type SuspendInput = z.output<typeof suspendSchema>;

export type SuspensionResult =
	{ ok: true; handle: string } | { ok: false; reason: 'not_found' | 'forbidden' | 'not_suspended' };

async function loadTarget(db: Db, userId: number) {
	return db
		.selectFrom('app_user')
		.select(['id', 'handle', 'role', 'suspended_until'])
		.where('id', '=', userId)
		.executeTakeFirst();
}

export async function suspendMember(
	db: Db,
	actor: Actor,
	userId: number,
	input: SuspendInput
): Promise<SuspensionResult> {
	return db.transaction().execute(async (trx): Promise<SuspensionResult> => {
		const target = await loadTarget(trx, userId);
		if (!target) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canSuspend(actor, target)) {
			return { ok: false, reason: 'forbidden' };
		}
		await trx
			.updateTable('app_user')
			.set({ suspended_until: input.until, suspension_reason: input.reason })
			.where('id', '=', userId)
			.execute();
		await recordAudit(trx, actor, {
			action: 'member.suspend',
			targetType: 'user',
			targetId: userId,
			reason: input.reason,
			details: { handle: target.handle, until: input.until.toISOString() }
		});
		return { ok: true, handle: target.handle };
	});
}

export async function liftSuspension(
	db: Db,
	actor: Actor,
	userId: number
): Promise<SuspensionResult> {
	return db.transaction().execute(async (trx): Promise<SuspensionResult> => {
		const target = await loadTarget(trx, userId);
		if (!target) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canSuspend(actor, target)) {
			return { ok: false, reason: 'forbidden' };
		}
		if (!target.suspended_until || target.suspended_until.getTime() <= Date.now()) {
			return { ok: false, reason: 'not_suspended' };
		}
		await trx
			.updateTable('app_user')
			.set({ suspended_until: null, suspension_reason: null })
			.where('id', '=', userId)
			.execute();
		await recordAudit(trx, actor, {
			action: 'member.unsuspend',
			targetType: 'user',
			targetId: userId,
			details: { handle: target.handle }
		});
		return { ok: true, handle: target.handle };
	});
}

export interface MemberRow {
	id: number;
	handle: string;
	displayName: string;
	role: Role;
	createdAt: Date;
	suspendedUntil: Date | null;
	suspensionReason: string | null;
	canSuspend: boolean;
}

/** Members matching a handle or name fragment (suspended ones first when no query). */
export async function searchMembers(db: Db, actor: Actor, q: string): Promise<MemberRow[]> {
	const text = q.trim().slice(0, 100);
	let query = db
		.selectFrom('app_user')
		.select([
			'id',
			'handle',
			'display_name',
			'role',
			'created_at',
			'suspended_until',
			'suspension_reason'
		]);
	if (text) {
		const like = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
		query = query.where((eb) =>
			eb.or([eb('handle', 'ilike', like), eb('display_name', 'ilike', like)])
		);
	} else {
		query = query.where('suspended_until', '>', new Date());
	}
	const rows = await query
		.orderBy(sql`suspended_until is null`)
		.orderBy('handle')
		.limit(25)
		.execute();
	const now = Date.now();
	return rows.map((row) => {
		const active = row.suspended_until !== null && row.suspended_until.getTime() > now;
		return {
			id: row.id,
			handle: row.handle,
			displayName: row.display_name,
			role: row.role,
			createdAt: row.created_at,
			suspendedUntil: active ? row.suspended_until : null,
			suspensionReason: active ? row.suspension_reason : null,
			canSuspend: canSuspend(actor, row)
		};
	});
}

/** The reason and end of the actor's own suspension, for the banner. */
export async function ownSuspension(
	db: Db,
	userId: number
): Promise<{ until: Date; reason: string | null } | null> {
	const row = await db
		.selectFrom('app_user')
		.select(['suspended_until', 'suspension_reason'])
		.where('id', '=', userId)
		.executeTakeFirst();
	if (!row?.suspended_until || row.suspended_until.getTime() <= Date.now()) {
		return null;
	}
	return { until: row.suspended_until, reason: row.suspension_reason };
}
