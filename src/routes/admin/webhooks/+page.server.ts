import { error, fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { echo, parseForm, readForm } from '$lib/server/forms';
import { canManageWebhooks } from '$lib/server/policy';
import { WEBHOOK_FIELDS, createWebhook, listWebhooks, webhookSchema } from '$lib/server/webhooks';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canManageWebhooks(event.locals.actor));
	return { webhooks: await listWebhooks(getDb()) };
}) satisfies PageServerLoad;

export const actions = {
	create: async (event) => {
		authorize(event, canManageWebhooks(event.locals.actor));
		const form = await readForm(event.request);
		// Never echo a typed secret back into the page.
		const values = echo(form, ['url', 'description']);
		const events = form.getAll('events').filter((v): v is string => typeof v === 'string');
		const parsed = parseForm(form, webhookSchema, WEBHOOK_FIELDS, ['events']);
		if (!parsed.ok) {
			return fail(400, { values, events, errors: parsed.errors, secret: null });
		}
		const result = await createWebhook(getDb(), event.locals.actor, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, { values, events, errors: result.errors, secret: null });
			}
			error(403, m.admin_forbidden());
		}
		if (result.secret === null) {
			redirect(303, `/admin/webhooks/${result.id}?created=1`);
		}
		// A generated secret is shown on this one answer and never again.
		return { created: result.id, secret: result.secret, values: {}, events: [], errors: {} };
	}
} satisfies Actions;
