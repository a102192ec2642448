import { error, fail, redirect } from '@sveltejs/kit';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { THREAD_FIELDS, listCategories, startThread, threadSchema } from '$lib/server/discussions';
import { echo, parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { checkPostingAllowed } from '$lib/server/moderation/web';
import { canStartDiscussion } from '$lib/server/policy';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canStartDiscussion(event.locals.actor));
	const categories = await listCategories(getDb());
	const wanted = event.url.searchParams.get('category');
	return {
		categories,
		preselected: categories.find((c) => c.slug === wanted)?.id ?? null
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		authorize(event, canStartDiscussion(event.locals.actor));
		const form = await readForm(event.request);
		const values = echo(form, THREAD_FIELDS);
		// The body and the options may be long: echo them whole, they go back into textareas.
		values.body = String(form.get('body') ?? '').slice(0, 20_000);
		values.pollOptions = String(form.get('pollOptions') ?? '').slice(0, 2_000);
		const parsed = parseForm(form, threadSchema, THREAD_FIELDS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors });
		}
		const allowed = await checkPostingAllowed(event, event.locals.actor, {
			kind: 'post',
			body: parsed.data.body
		});
		if (!allowed.ok) {
			const errors: FieldErrors =
				allowed.reason === 'links' ? { body: allowed.message } : { form: allowed.message };
			return fail(allowed.status, { values, errors });
		}
		const result = await startThread(getDb(), event.locals.actor, parsed.data, {
			visibility: allowed.visibility
		});
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, { values, errors: result.errors });
			}
			error(403, m.discussions_cannot_start());
		}
		redirect(303, result.path);
	}
} satisfies Actions;
