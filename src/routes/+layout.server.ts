import { config } from '$lib/server/config';
import { LOCALE_COOKIE } from '$lib/server/i18n';
import { getDb } from '$lib/server/db/app';
import { unreadCount } from '$lib/server/notifications';
import {
	canAdminister,
	canModerate,
	canReadNotifications,
	canTriage,
	isSuspended
} from '$lib/server/policy';
import { ownSuspension } from '$lib/server/moderation/suspensions';
import { currentSurveyCard } from '$lib/server/surveys';
import { takeSurveyThanks } from '$lib/server/surveys/web';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals, url, cookies, request }) => {
	const { actor } = locals;
	const siteName = config().SITE_NAME;
	const surveyThanks = takeSurveyThanks(cookies, url);
	// Reading the URL makes SvelteKit rerun this load on every navigation, not only after
	// actions, so the unread count stays current as people move around.
	void url.pathname;
	return {
		siteName,
		/** The footer's language picker: the saved choice ('' lets the browser decide). */
		language: {
			current: locals.locale,
			chosen: (actor.kind === 'user' ? actor.locale : cookies.get(LOCALE_COOKIE)) ?? '',
			returnTo: url.pathname + url.search
		},
		viewer:
			actor.kind === 'user'
				? { handle: actor.handle, displayName: actor.displayName, role: actor.role }
				: null,
		can: {
			administer: canAdminister(actor),
			triage: canTriage(actor),
			moderate: canModerate(actor)
		},
		/** A suspended member's banner: why, and until when. */
		suspension:
			actor.kind === 'user' && isSuspended(actor) ? await ownSuspension(getDb(), actor.id) : null,
		/**
		 * The header's badge; null for visitors. A GET uses the count read with the session; after an
		 * action (a POST rendering the page) it is read again, as the action may have changed it.
		 */
		unreadNotifications: !canReadNotifications(actor)
			? null
			: request.method === 'GET'
				? locals.unreadNotifications
				: await unreadCount(getDb(), actor.id),
		/** The member's survey question (NPS or CSAT) or the thanks for answering it; /surveys shows its own. */
		survey: {
			card:
				surveyThanks || url.pathname.startsWith('/surveys')
					? null
					: await currentSurveyCard(getDb(), actor, { siteName }),
			thanked: surveyThanks,
			returnTo: url.pathname + url.search
		}
	};
}) satisfies LayoutServerLoad;
