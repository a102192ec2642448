import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { ROLES, isRole } from '$lib/domain/roles';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { canAdminister, canChangeRole, canListUsers } from '$lib/server/policy';
import { USERS_PAGE_SIZE, changeRole, listUsers } from '$lib/server/users';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canListUsers(event.locals.actor));
	const query = event.url.searchParams.get('q')?.slice(0, 100) ?? '';
	const roleParam = event.url.searchParams.get('role');
	const role = isRole(roleParam) ? roleParam : undefined;
	const page = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1);
	const { users, total } = await listUsers(getDb(), { query, role, page });
	const actor = event.locals.actor;
	return {
		query,
		role: role ?? '',
		page,
		pages: Math.max(1, Math.ceil(total / USERS_PAGE_SIZE)),
		total,
		users: users.map((user) => ({ ...user, canChangeRole: canChangeRole(actor, user, user.role) }))
	};
}) satisfies PageServerLoad;

const changeRoleSchema = z.object({
	userId: z.coerce
		.number({ error: () => m.admin_users_choose_user() })
		.int()
		.positive(),
	role: z.enum(ROLES, { error: () => m.admin_users_choose_role() })
});

export const actions = {
	changeRole: async (event) => {
		const { actor } = event.locals;
		authorize(event, canAdminister(actor));
		const form = await readForm(event.request);
		const parsed = parseForm(form, changeRoleSchema, ['userId', 'role']);
		if (!parsed.ok) {
			return fail(400, { errors: parsed.errors, changed: null });
		}
		if (actor.kind !== 'user') {
			error(403);
		}
		const result = await changeRole(getDb(), actor, parsed.data);
		if (!result.ok) {
			if (result.reason === 'not_found') {
				return fail(404, { errors: { userId: m.admin_users_gone() }, changed: null });
			}
			return fail(403, { errors: { role: m.admin_users_cannot_change() }, changed: null });
		}
		return {
			errors: {} as FieldErrors,
			changed: { userId: parsed.data.userId, from: result.from, to: result.to }
		};
	}
} satisfies Actions;
