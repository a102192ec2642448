import { error, fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { echo, parseForm, readForm } from '$lib/server/forms';
import {
	IDEA_FIELDS,
	IDEA_LISTS,
	editIdea,
	getIdeaDetail,
	ideaFormOptions,
	ideaSchema,
	parseIdeaId
} from '$lib/server/ideas';
import { loadIdeaFacts } from '$lib/server/ideas/facts';
import { canEditIdea } from '$lib/server/policy';
import { refuseIfSuspended } from '$lib/server/moderation/web';
import type { Actions, PageServerLoad } from './$types';

function ideaId(param: string): number {
	const id = parseIdeaId(param);
	if (id === null) {
		error(404, m.ideas_no_such_idea());
	}
	return id;
}

export const load = (async (event) => {
	refuseIfSuspended(requireUser(event));
	const id = ideaId(event.params.id);
	const db = getDb();
	const [idea, facts] = await Promise.all([getIdeaDetail(db, id), loadIdeaFacts(db, id)]);
	if (!idea || !facts || idea.deletedAt) {
		error(404, m.ideas_no_such_idea());
	}
	if (!canEditIdea(event.locals.actor, facts)) {
		error(403, m.ideas_edit_window());
	}
	const options = await ideaFormOptions(db);
	// An idea on an archived product keeps it as a choice while it is edited.
	if (!options.products.some((p) => p.id === idea.product.id)) {
		options.products.push({
			id: idea.product.id,
			name: idea.product.name,
			slug: idea.product.slug
		});
	}
	return {
		...options,
		idea: { path: idea.path, title: idea.title },
		values: {
			title: idea.title,
			body: idea.bodySource,
			product: String(idea.product.id),
			tags: idea.tags.map((t) => String(t.id))
		}
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const actor = requireUser(event);
		refuseIfSuspended(actor);
		const id = ideaId(event.params.id);
		const form = await readForm(event.request);
		const values = { ...echo(form, IDEA_FIELDS), tags: form.getAll('tags').map(String) };
		const parsed = parseForm(form, ideaSchema, IDEA_FIELDS, IDEA_LISTS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors });
		}
		const result = await editIdea(getDb(), actor, id, parsed.data);
		if (!result.ok) {
			if (result.reason !== 'invalid') {
				error(
					result.reason === 'not_found' ? 404 : 403,
					result.reason === 'not_found' ? m.ideas_no_such_idea() : m.ideas_edit_no_longer()
				);
			}
			return fail(400, { values, errors: result.errors });
		}
		redirect(303, result.path);
	}
} satisfies Actions;
