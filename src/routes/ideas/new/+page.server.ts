import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { challengeForEntry } from '$lib/server/challenges';
import { getDb } from '$lib/server/db/app';
import { requireUser } from '$lib/server/auth/guards';
import { echo, parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { IDEA_FIELDS, IDEA_LISTS, ideaFormOptions, ideaSchema, postIdea } from '$lib/server/ideas';
import { findSimilarIdeas } from '$lib/server/ideas/queries';
import { checkPostingAllowed, refuseIfSuspended } from '$lib/server/moderation/web';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	refuseIfSuspended(requireUser(event));
	const options = await ideaFormOptions(getDb());
	const wanted = event.url.searchParams.get('product');
	const preselected = options.products.find((p) => p.slug === wanted);
	// `?challenge=<id>`: the idea is entered into that challenge, about the challenge's product.
	const challengeParam = event.url.searchParams.get('challenge') ?? '';
	const challenge = /^\d{1,15}$/.test(challengeParam)
		? await challengeForEntry(getDb(), Number(challengeParam))
		: undefined;
	if (challengeParam && !challenge) {
		error(404, m.challenges_not_found());
	}
	return {
		...options,
		product: challenge ? String(challenge.productId) : preselected ? String(preselected.id) : '',
		challenge: challenge ?? null
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const actor = requireUser(event);
		const form = await readForm(event.request);
		const values = { ...echo(form, IDEA_FIELDS), tags: form.getAll('tags').map(String) };
		const parsed = parseForm(form, ideaSchema, IDEA_FIELDS, IDEA_LISTS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors });
		}
		// Before saving, the author sees ideas that may say the same, to vote for one instead: while
		// typing (with JavaScript, which marks the form), or else on this confirm step.
		const shown = form.get('confirmed') === '1' || form.get('similarShown') === '1';
		if (!shown) {
			const similar = await findSimilarIdeas(getDb(), {
				title: parsed.data.title,
				productId: parsed.data.product
			});
			if (similar.length > 0) {
				return fail(409, { values, errors: {} as FieldErrors, similar });
			}
		}
		const allowed = await checkPostingAllowed(event, actor, {
			kind: 'post',
			body: parsed.data.body
		});
		if (!allowed.ok) {
			const errors: FieldErrors =
				allowed.reason === 'links' ? { body: allowed.message } : { form: allowed.message };
			return fail(allowed.status, { values, errors });
		}
		const result = await postIdea(getDb(), actor, parsed.data, {
			visibility: allowed.visibility
		});
		if (!result.ok) {
			return fail(result.reason === 'forbidden' ? 403 : 400, {
				values,
				errors: result.reason === 'invalid' ? (result.errors as FieldErrors) : ({} as FieldErrors)
			});
		}
		redirect(303, result.path);
	}
} satisfies Actions;
