import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { echo, parseForm, readForm } from '$lib/server/forms';
import { canManageWebhooks } from '$lib/server/policy';
import {
	WEBHOOK_FIELDS,
	deleteWebhook,
	getWebhook,
	listDeliveries,
	redeliver,
	sendTestPing,
	setWebhookEnabled,
	updateWebhook,
	webhookSchema
} from '$lib/server/webhooks';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const idSchema = z.coerce.number().int().positive();

function webhookId(event: Pick<RequestEvent, 'params'>): number {
	const parsed = idSchema.safeParse(event.params.id);
	if (!parsed.success) {
		error(404, m.admin_webhook_not_found());
	}
	return parsed.data;
}

export const load = (async (event) => {
	authorize(event, canManageWebhooks(event.locals.actor));
	const id = webhookId(event);
	const hook = await getWebhook(getDb(), id);
	if (!hook) {
		error(404, m.admin_webhook_not_found());
	}
	return {
		webhook: hook,
		deliveries: await listDeliveries(getDb(), id),
		created: event.url.searchParams.has('created')
	};
}) satisfies PageServerLoad;

function refused(): never {
	error(403, m.admin_forbidden());
}

const gone = () => m.admin_webhook_gone();

type Done = 'saved' | 'enabled' | 'disabled' | 'pinged' | 'redelivered';

function answer(done: Done | null, errors: Partial<Record<string, string>> = {}, extra = {}) {
	return { done, errors, values: {} as Record<string, string>, events: [] as string[], ...extra };
}

async function setEnabled(event: RequestEvent, enabled: boolean) {
	authorize(event, canManageWebhooks(event.locals.actor));
	const result = await setWebhookEnabled(getDb(), event.locals.actor, webhookId(event), enabled);
	if (!result.ok) {
		if (result.reason === 'not_found') {
			return fail(404, answer(null, { form: gone() }));
		}
		refused();
	}
	return answer(enabled ? 'enabled' : 'disabled');
}

export const actions = {
	update: async (event) => {
		authorize(event, canManageWebhooks(event.locals.actor));
		const id = webhookId(event);
		const form = await readForm(event.request);
		const values = echo(form, ['url', 'description']);
		const events = form.getAll('events').filter((v): v is string => typeof v === 'string');
		const parsed = parseForm(form, webhookSchema, WEBHOOK_FIELDS, ['events']);
		if (!parsed.ok) {
			return fail(400, { ...answer(null, parsed.errors), values, events });
		}
		const result = await updateWebhook(getDb(), event.locals.actor, id, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, { ...answer(null, result.errors), values, events });
			}
			if (result.reason === 'not_found') {
				return fail(404, answer(null, { form: gone() }));
			}
			refused();
		}
		return answer('saved');
	},
	enable: (event) => setEnabled(event, true),
	disable: (event) => setEnabled(event, false),
	ping: async (event) => {
		authorize(event, canManageWebhooks(event.locals.actor));
		const result = await sendTestPing(getDb(), event.locals.actor, webhookId(event));
		if (!result.ok) {
			if (result.reason === 'not_found') {
				return fail(404, answer(null, { form: gone() }));
			}
			refused();
		}
		return answer('pinged');
	},
	redeliver: async (event) => {
		authorize(event, canManageWebhooks(event.locals.actor));
		const form = await readForm(event.request);
		const parsed = parseForm(
			form,
			z.object({
				deliveryId: z.coerce
					.number()
					.int()
					.positive({ error: () => m.admin_webhook_choose_delivery() })
			}),
			['deliveryId']
		);
		if (!parsed.ok) {
			return fail(400, answer(null, { form: m.admin_webhook_choose_delivery() }));
		}
		const result = await redeliver(getDb(), event.locals.actor, parsed.data.deliveryId);
		if (!result.ok) {
			if (result.reason === 'not_found') {
				return fail(404, answer(null, { form: m.admin_webhook_delivery_gone() }));
			}
			if (result.reason === 'pending') {
				return fail(409, answer(null, { form: m.admin_webhook_delivery_pending() }));
			}
			refused();
		}
		return answer('redelivered');
	},
	delete: async (event) => {
		authorize(event, canManageWebhooks(event.locals.actor));
		const result = await deleteWebhook(getDb(), event.locals.actor, webhookId(event));
		if (!result.ok && result.reason === 'forbidden') {
			refused();
		}
		redirect(303, '/admin/webhooks');
	}
} satisfies Actions;
