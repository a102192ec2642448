import { fail, type RequestEvent } from '@sveltejs/kit';
import { EMAIL_EVENTS } from '$lib/domain/email';
import { authorize, requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import {
	emailPreferencesFormSchema,
	getEmailPreferences,
	preferencesFromForm,
	saveEmailPreferences
} from '$lib/server/email/preferences';
import { parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { canManageEmailPreferences } from '$lib/server/policy';
import type { Actions, PageServerLoad } from './$types';

function member(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const user = requireUser(event);
	authorize(event, canManageEmailPreferences(user));
	return user;
}

export const load = (async (event) => {
	const user = member(event);
	const prefs = await getEmailPreferences(getDb(), user.id);
	return {
		email: user.email,
		events: EMAIL_EVENTS.map((e) => ({
			event: e.event,
			label: e.label,
			description: e.description,
			enabled: prefs.events[e.event]
		})),
		digest: prefs.digest
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const user = member(event);
		const parsed = parseForm(
			await readForm(event.request),
			emailPreferencesFormSchema,
			['digest'],
			['event']
		);
		if (!parsed.ok) {
			return fail(400, { saved: false, errors: parsed.errors });
		}
		await saveEmailPreferences(getDb(), user.id, preferencesFromForm(parsed.data));
		return { saved: true, errors: {} as FieldErrors };
	}
} satisfies Actions;
