import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { toUtcInputValue } from '$lib/domain/challenges';
import { authorize } from '$lib/server/auth/guards';
import { CHALLENGE_FIELDS, challengeSchema, createChallenge } from '$lib/server/challenges';
import { getDb } from '$lib/server/db/app';
import { echo, parseForm, readForm } from '$lib/server/forms';
import { listAllProducts } from '$lib/server/products';
import { canManageChallenges } from '$lib/server/policy';
import type { Actions, PageServerLoad } from './$types';

const DAY = 24 * 60 * 60 * 1000;

export const load = (async (event) => {
	authorize(event, canManageChallenges(event.locals.actor));
	const products = await listAllProducts(getDb());
	// A suggestion: from the next full hour, for two weeks.
	const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
	return {
		products: products.filter((p) => !p.archivedAt).map((p) => ({ id: p.id, name: p.name })),
		defaults: {
			starts_at: toUtcInputValue(start),
			ends_at: toUtcInputValue(new Date(start.getTime() + 14 * DAY))
		}
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		authorize(event, canManageChallenges(event.locals.actor));
		const form = await readForm(event.request);
		const values = echo(form, CHALLENGE_FIELDS);
		const parsed = parseForm(form, challengeSchema, CHALLENGE_FIELDS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors });
		}
		const result = await createChallenge(getDb(), event.locals.actor, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, { values, errors: result.errors });
			}
			error(403, m.challenges_forbidden());
		}
		redirect(303, `/staff/challenges/${result.id}?notice=created`);
	}
} satisfies Actions;
