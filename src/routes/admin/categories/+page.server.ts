import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import {
	CATEGORY_FIELDS,
	categorySchema,
	listCategories,
	saveCategory,
	setCategoryArchived
} from '$lib/server/discussions';
import { echo, parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { canManageCategories } from '$lib/server/policy';
import { listProducts } from '$lib/server/products';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load = (async (event) => {
	authorize(event, canManageCategories(event.locals.actor));
	const db = getDb();
	const [categories, products] = await Promise.all([
		listCategories(db, { includeArchived: true }),
		listProducts(db)
	]);
	return { categories, products };
}) satisfies PageServerLoad;

type Done = 'created' | 'saved' | 'archived' | 'restored';

function answer(
	target: number | 'new' | null,
	outcome: { done: Done; name: string } | null,
	values: Record<string, string> = {},
	errors: FieldErrors = {}
) {
	return { target, done: outcome?.done ?? null, name: outcome?.name ?? null, values, errors };
}

const idSchema = z.object({
	categoryId: z.coerce
		.number({ error: () => m.admin_category_choose() })
		.int()
		.positive({ error: () => m.admin_category_choose() })
});
const gone = () => m.admin_category_gone();
const refused = () => m.admin_category_refused();

async function save(event: RequestEvent, existing: boolean) {
	authorize(event, canManageCategories(event.locals.actor));
	const form = await readForm(event.request);
	let categoryId: number | undefined;
	if (existing) {
		const id = parseForm(form, idSchema, ['categoryId']);
		if (!id.ok) {
			return fail(400, answer(null, null, {}, { form: id.errors.categoryId }));
		}
		categoryId = id.data.categoryId;
	}
	const target = categoryId ?? 'new';
	const values = echo(form, CATEGORY_FIELDS);
	const parsed = parseForm(form, categorySchema, CATEGORY_FIELDS);
	if (!parsed.ok) {
		return fail(400, answer(target, null, values, parsed.errors));
	}
	const result = await saveCategory(getDb(), event.locals.actor, parsed.data, categoryId);
	if (!result.ok) {
		if (result.reason === 'invalid') {
			return fail(400, answer(target, null, values, result.errors));
		}
		if (result.reason === 'not_found') {
			return fail(404, answer(target, null, values, { form: gone() }));
		}
		return fail(403, answer(target, null, values, { form: refused() }));
	}
	return answer(result.category.id, {
		done: existing ? 'saved' : 'created',
		name: result.category.name
	});
}

async function archive(event: RequestEvent, archived: boolean) {
	authorize(event, canManageCategories(event.locals.actor));
	const id = parseForm(await readForm(event.request), idSchema, ['categoryId']);
	if (!id.ok) {
		return fail(400, answer(null, null, {}, { form: id.errors.categoryId }));
	}
	const result = await setCategoryArchived(
		getDb(),
		event.locals.actor,
		id.data.categoryId,
		archived
	);
	if (!result.ok) {
		return result.reason === 'not_found'
			? fail(404, answer(id.data.categoryId, null, {}, { form: gone() }))
			: fail(403, answer(id.data.categoryId, null, {}, { form: refused() }));
	}
	return answer(result.category.id, {
		done: archived ? 'archived' : 'restored',
		name: result.category.name
	});
}

export const actions = {
	create: (event) => save(event, false),
	update: (event) => save(event, true),
	archive: (event) => archive(event, true),
	restore: (event) => archive(event, false)
} satisfies Actions;
