// Choosing the interface language (docs/i18n.md). The footer's picker and the settings page post
// here. A member's choice is saved on their account and follows them to every device; a visitor's
// is kept in a cookie. "Browser default" clears the choice.
import { fail, redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { readForm } from '$lib/server/forms';
import { setLocaleCookie } from '$lib/server/i18n';
import { canManageOwnAccount } from '$lib/server/policy';
import { setUserLocale } from '$lib/server/users/profile';
import { isLocale } from '$lib/i18n/locales';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url, cookies }) => ({
	/** What the person chose, or '' when the browser decides. */
	chosen: (locals.actor.kind === 'user' ? locals.actor.locale : cookies.get('lang')) ?? '',
	returnTo: safeNext(url.searchParams.get('returnTo'))
})) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, cookies, url }) => {
		const form = await readForm(request);
		const raw = form.get('locale');
		const returnTo = safeNext(
			typeof form.get('returnTo') === 'string' ? String(form.get('returnTo')) : null
		);
		const value = typeof raw === 'string' ? raw.trim() : '';
		if (value !== '' && !isLocale(value)) {
			return fail(400, {
				message: m.common_language_unknown({ code: value.slice(0, 20) }),
				returnTo
			});
		}
		const locale = value === '' ? null : value;
		if (canManageOwnAccount(locals.actor)) {
			await setUserLocale(getDb(), locals.actor.id, locale);
		} else {
			setLocaleCookie(cookies, url, locale);
		}
		redirect(303, returnTo);
	}
} satisfies Actions;
