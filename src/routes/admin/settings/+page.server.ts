import { error, fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { echo, parseForm, readForm } from '$lib/server/forms';
import {
	DEFAULT_SETTINGS,
	SITE_SETTING_KEYS,
	getSiteSettings,
	saveSiteSettings,
	siteSettingsSchema
} from '$lib/server/moderation';
import { canManageSiteSettings } from '$lib/server/policy';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canManageSiteSettings(event.locals.actor));
	return { settings: await getSiteSettings(getDb()), defaults: DEFAULT_SETTINGS };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		authorize(event, canManageSiteSettings(event.locals.actor));
		const form = await readForm(event.request);
		const values = echo(form, SITE_SETTING_KEYS);
		const parsed = parseForm(form, siteSettingsSchema, SITE_SETTING_KEYS);
		if (!parsed.ok) {
			return fail(400, { saved: false, values, errors: parsed.errors });
		}
		const result = await saveSiteSettings(getDb(), event.locals.actor, parsed.data);
		if (!result.ok) {
			error(403, m.admin_forbidden());
		}
		return { saved: true, values: {} as Record<string, string>, errors: {} };
	}
} satisfies Actions;
