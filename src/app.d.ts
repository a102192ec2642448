// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Actor } from '$lib/server/policy';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Shown to the user so a report can be matched to the server log. */
			id?: string;
		}
		interface Locals {
			actor: Actor;
			/** The SHA-256 id of the current session, when signed in. */
			sessionId: string | null;
			/** The member's unread notifications, read with the session (0 for visitors). */
			unreadNotifications: number;
			requestId: string;
			/** The language this request is answered in (src/lib/server/i18n.ts). */
			locale: import('$lib/i18n/locales').Locale;
			/** Set by handleError when the request failed for want of the database (outage.ts). */
			databaseUnavailable?: boolean;
		}
	}
}

export {};
