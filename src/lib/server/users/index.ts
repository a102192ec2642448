// People on the site, as admins see and manage them.
import { sql } from 'kysely';
import type { Role } from '$lib/domain/roles';
import type { Db } from '../db';
import { recordAudit } from '../audit';
import { canChangeRole, type UserActor } from '../policy';

export interface UserListItem {
	id: number;
	handle: string;
	displayName: string;
	email: string;
	role: Role;
	companyName: string | null;
	createdAt: Date;
}

export const USERS_PAGE_SIZE = 50;

/** Users matching `query` (email, handle or name), newest first, a page at a time. */
export async function listUsers(
	db: Db,
	options: { query?: string; role?: Role; page?: number } = {}
): Promise<{ users: UserListItem[]; total: number }> {
	let base = db.selectFrom('app_user').leftJoin('company', 'company.id', 'app_user.company_id');
	const q = options.query?.trim().toLowerCase();
	if (q) {
		const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		base = base.where((eb) =>
			eb.or([
				eb('app_user.email', 'like', like),
				eb(sql`lower(app_user.handle)`, 'like', like),
				eb(sql`lower(app_user.display_name)`, 'like', like)
			])
		);
	}
	if (options.role) {
		base = base.where('app_user.role', '=', options.role);
	}
	const page = Math.max(1, options.page ?? 1);
	const [users, count] = await Promise.all([
		base
			.select([
				'app_user.id',
				'app_user.handle',
				'app_user.display_name as displayName',
				'app_user.email',
				'app_user.role',
				'company.name as companyName',
				'app_user.created_at as createdAt'
			])
			.orderBy('app_user.id', 'desc')
			.limit(USERS_PAGE_SIZE)
			.offset((page - 1) * USERS_PAGE_SIZE)
			.execute(),
		base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
	]);
	return { users, total: count.total };
}

export type ChangeRoleResult =
	{ ok: true; from: Role; to: Role } | { ok: false; reason: 'not_found' | 'forbidden' };

/** An admin gives a user another role; recorded in the audit log. */
export async function changeRole(
	db: Db,
	actor: UserActor,
	input: { userId: number; role: Role; reason?: string | null }
): Promise<ChangeRoleResult> {
	return db.transaction().execute(async (trx): Promise<ChangeRoleResult> => {
		const target = await trx
			.selectFrom('app_user')
			.select(['id', 'role', 'handle'])
			.where('id', '=', input.userId)
			.forUpdate()
			.executeTakeFirst();
		if (!target) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canChangeRole(actor, target, input.role)) {
			return { ok: false, reason: 'forbidden' };
		}
		if (target.role !== input.role) {
			await trx
				.updateTable('app_user')
				.set({ role: input.role })
				.where('id', '=', target.id)
				.execute();
			await recordAudit(trx, actor, {
				action: 'user.role_changed',
				targetType: 'user',
				targetId: target.id,
				reason: input.reason ?? null,
				details: { handle: target.handle, from: target.role, to: input.role }
			});
		}
		return { ok: true, from: target.role, to: input.role };
	});
}
