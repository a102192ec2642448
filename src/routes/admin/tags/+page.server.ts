import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { echo, parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { canManageCatalog } from '$lib/server/policy';
import {
	TAG_FIELDS,
	createTag,
	listTags,
	setTagArchived,
	tagSchema,
	updateTag
} from '$lib/server/tags';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load = (async (event) => {
	authorize(event, canManageCatalog(event.locals.actor));
	return { tags: await listTags(getDb(), { includeArchived: true }) };
}) satisfies PageServerLoad;

type Done = 'created' | 'saved' | 'archived' | 'restored';

/**
 * What every action answers: which form it was about (`new` or a tag's id), what happened to
 * which tag, and the values and messages to show again.
 */
function answer(
	target: number | 'new' | null,
	outcome: { done: Done; name: string } | null,
	values: Record<string, string> = {},
	errors: FieldErrors = {}
) {
	return { target, done: outcome?.done ?? null, name: outcome?.name ?? null, values, errors };
}

const tagIdSchema = z.object({
	tagId: z.coerce
		.number({ error: () => m.admin_tag_choose() })
		.int()
		.positive({ error: () => m.admin_tag_choose() })
});

const gone = () => m.admin_tag_gone();

function refused(): never {
	error(403, m.admin_forbidden());
}

async function setArchived(event: RequestEvent, archived: boolean) {
	authorize(event, canManageCatalog(event.locals.actor));
	const form = await readForm(event.request);
	const id = parseForm(form, tagIdSchema, ['tagId']);
	if (!id.ok) {
		return fail(400, answer(null, null, {}, { form: id.errors.tagId }));
	}
	const result = await setTagArchived(getDb(), event.locals.actor, id.data.tagId, archived);
	if (!result.ok) {
		if (result.reason === 'not_found') {
			return fail(404, answer(id.data.tagId, null, {}, { form: gone() }));
		}
		refused();
	}
	return answer(result.tag.id, { done: archived ? 'archived' : 'restored', name: result.tag.name });
}

export const actions = {
	create: async (event) => {
		authorize(event, canManageCatalog(event.locals.actor));
		const form = await readForm(event.request);
		const values = echo(form, TAG_FIELDS);
		const parsed = parseForm(form, tagSchema, TAG_FIELDS);
		if (!parsed.ok) {
			return fail(400, answer('new', null, values, parsed.errors));
		}
		const result = await createTag(getDb(), event.locals.actor, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, answer('new', null, values, result.errors));
			}
			refused();
		}
		return answer(result.tag.id, { done: 'created', name: result.tag.name });
	},
	update: async (event) => {
		authorize(event, canManageCatalog(event.locals.actor));
		const form = await readForm(event.request);
		const id = parseForm(form, tagIdSchema, ['tagId']);
		if (!id.ok) {
			return fail(400, answer(null, null, {}, { form: id.errors.tagId }));
		}
		const values = echo(form, TAG_FIELDS);
		const parsed = parseForm(form, tagSchema, TAG_FIELDS);
		if (!parsed.ok) {
			return fail(400, answer(id.data.tagId, null, values, parsed.errors));
		}
		const result = await updateTag(getDb(), event.locals.actor, id.data.tagId, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, answer(id.data.tagId, null, values, result.errors));
			}
			if (result.reason === 'not_found') {
				return fail(404, answer(id.data.tagId, null, values, { form: gone() }));
			}
			refused();
		}
		return answer(result.tag.id, { done: 'saved', name: result.tag.name });
	},
	archive: (event) => setArchived(event, true),
	restore: (event) => setArchived(event, false)
} satisfies Actions;
