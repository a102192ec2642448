import { fail, redirect } from '@sveltejs/kit';
import { helpPath } from '$lib/domain/help';
import { authorize, requireUser } from '$lib/server/auth/guards';
import { getDatabase, getDb } from '$lib/server/db/app';
import { echo, parseForm, readForm } from '$lib/server/forms';
import {
	HELP_THREAD_FIELDS,
	companyOf,
	helpThreadSchema,
	hitHelpLimit,
	startHelpThread
} from '$lib/server/help';
import { helpMessages } from '$lib/server/help/messages';
import { refuseIfSuspended } from '$lib/server/moderation/web';
import { canStartHelpThread } from '$lib/server/policy';
import { listProducts } from '$lib/server/products';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const actor = requireUser(event);
	refuseIfSuspended(actor);
	authorize(event, canStartHelpThread(actor));
	const db = getDb();
	const [products, company] = await Promise.all([listProducts(db), companyOf(db, actor.id)]);
	const wanted = event.url.searchParams.get('product');
	return {
		products,
		company,
		preselected: products.find((p) => p.slug === wanted)?.id ?? null
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const actor = requireUser(event);
		refuseIfSuspended(actor);
		authorize(event, canStartHelpThread(actor));
		const form = await readForm(event.request);
		const values = echo(form, HELP_THREAD_FIELDS);
		values.body = String(form.get('body') ?? '').slice(0, 20_000);
		const parsed = parseForm(form, helpThreadSchema, HELP_THREAD_FIELDS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors });
		}
		const limited = await hitHelpLimit(getDatabase().pool, actor, 'thread');
		if (limited) {
			event.setHeaders({ 'Retry-After': String(limited.retryAfterSeconds) });
			return fail(429, {
				values,
				errors: { form: helpMessages.tooManyThreads(limited.retryAfterSeconds) }
			});
		}
		const result = await startHelpThread(getDb(), actor, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, { values, errors: result.errors });
			}
			refuseIfSuspended(actor);
			authorize(event, false);
			return;
		}
		redirect(303, helpPath({ id: result.id }));
	}
} satisfies Actions;
