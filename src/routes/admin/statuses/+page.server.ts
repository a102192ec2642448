import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { STATUS_CATEGORIES } from '$lib/domain/ideas';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { echo, parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { canManageStatuses } from '$lib/server/policy';
import {
	CATEGORY_LABELS,
	STATUS_FIELDS,
	createStatus,
	deleteStatus,
	listStatuses,
	moveStatus,
	setDefaultStatus,
	statusSchema,
	updateStatus,
	type StatusResult
} from '$lib/server/triage/statuses';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load = (async (event) => {
	authorize(event, canManageStatuses(event.locals.actor));
	return {
		statuses: await listStatuses(getDb()),
		categories: STATUS_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))
	};
}) satisfies PageServerLoad;

const idSchema = z.object({
	statusId: z.coerce
		.number({ error: () => m.admin_status_choose() })
		.int()
		.positive({ error: () => m.admin_status_choose() })
});

function answer(
	target: number | 'new' | null,
	done: string | null,
	values: Record<string, string> = {},
	errors: FieldErrors = {},
	added = false
) {
	return { target, done, values, errors, added };
}

async function statusIdOf(event: RequestEvent, form: FormData): Promise<number> {
	authorize(event, canManageStatuses(event.locals.actor));
	const id = parseForm(form, idSchema, ['statusId']);
	if (!id.ok) {
		error(400, m.admin_form_unreadable());
	}
	return id.data.statusId;
}

/** Maps a domain answer to the page's: a message on success, field errors, 404 or 403. */
function result(
	outcome: StatusResult,
	target: number | 'new',
	done: (name: string) => string,
	values: Record<string, string> = {}
) {
	if (outcome.ok) {
		return answer(outcome.status.id, done(outcome.status.name), {}, {}, target === 'new');
	}
	if (outcome.reason === 'invalid') {
		return fail(400, answer(target, null, values, outcome.errors));
	}
	if (outcome.reason === 'not_found') {
		return fail(404, answer(target, null, values, { form: m.admin_status_gone() }));
	}
	error(403, m.admin_forbidden());
}

export const actions = {
	create: async (event) => {
		authorize(event, canManageStatuses(event.locals.actor));
		const form = await readForm(event.request);
		const values = echo(form, STATUS_FIELDS);
		const parsed = parseForm(form, statusSchema, STATUS_FIELDS);
		if (!parsed.ok) {
			return fail(400, answer('new', null, values, parsed.errors));
		}
		return result(
			await createStatus(getDb(), event.locals.actor, parsed.data),
			'new',
			(name) => m.admin_status_done_added({ name }),
			values
		);
	},
	update: async (event) => {
		const form = await readForm(event.request);
		const id = await statusIdOf(event, form);
		const values = echo(form, STATUS_FIELDS);
		const parsed = parseForm(form, statusSchema, STATUS_FIELDS);
		if (!parsed.ok) {
			return fail(400, answer(id, null, values, parsed.errors));
		}
		return result(
			await updateStatus(getDb(), event.locals.actor, id, parsed.data),
			id,
			(name) => m.admin_status_done_saved({ name }),
			values
		);
	},
	up: async (event) => {
		const id = await statusIdOf(event, await readForm(event.request));
		return result(await moveStatus(getDb(), event.locals.actor, id, 'up'), id, (name) =>
			m.admin_status_done_up({ name })
		);
	},
	down: async (event) => {
		const id = await statusIdOf(event, await readForm(event.request));
		return result(await moveStatus(getDb(), event.locals.actor, id, 'down'), id, (name) =>
			m.admin_status_done_down({ name })
		);
	},
	makeDefault: async (event) => {
		const id = await statusIdOf(event, await readForm(event.request));
		return result(await setDefaultStatus(getDb(), event.locals.actor, id), id, (name) =>
			m.admin_status_done_default({ name })
		);
	},
	delete: async (event) => {
		const form = await readForm(event.request);
		const id = await statusIdOf(event, form);
		const raw = form.get('replacement');
		const replacement = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
		return result(await deleteStatus(getDb(), event.locals.actor, id, replacement), id, (name) =>
			m.admin_status_done_deleted({ name })
		);
	}
} satisfies Actions;
