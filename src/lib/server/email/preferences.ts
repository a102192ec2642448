// Email preferences per event type and for the weekly digest. Absent rows are the defaults
// (src/lib/domain/email.ts); saving the form stores every choice it shows.
import { z } from 'zod';
import {
	applyStoredPreferences,
	DIGEST_EVENT,
	EMAIL_EVENTS,
	isEmailEvent,
	type EmailPreferences,
	type UnsubscribeTopic
} from '$lib/domain/email';
import type { Db } from '../db';
import { m } from '$lib/paraglide/messages';

export async function getEmailPreferences(db: Db, userId: number): Promise<EmailPreferences> {
	const rows = await db
		.selectFrom('email_preference')
		.select(['event', 'enabled'])
		.where('user_id', '=', userId)
		.execute();
	return applyStoredPreferences(rows);
}

async function store(db: Db, userId: number, rows: { event: string; enabled: boolean }[]) {
	await db
		.insertInto('email_preference')
		.values(rows.map((row) => ({ user_id: userId, event: row.event, enabled: row.enabled })))
		.onConflict((oc) =>
			oc.columns(['user_id', 'event']).doUpdateSet((eb) => ({
				enabled: eb.ref('excluded.enabled'),
				updated_at: new Date()
			}))
		)
		.execute();
}

export async function saveEmailPreferences(
	db: Db,
	userId: number,
	prefs: EmailPreferences
): Promise<void> {
	await store(db, userId, [
		...EMAIL_EVENTS.map((e) => ({ event: e.event, enabled: prefs.events[e.event] })),
		{ event: DIGEST_EVENT, enabled: prefs.digest }
	]);
}

/** Stops one kind of email for an account; false when there is no such account. */
export async function unsubscribe(
	db: Db,
	userId: number,
	topic: UnsubscribeTopic
): Promise<boolean> {
	const user = await db
		.selectFrom('app_user')
		.select('id')
		.where('id', '=', userId)
		.executeTakeFirst();
	if (!user) {
		return false;
	}
	await store(db, userId, [{ event: topic, enabled: false }]);
	return true;
}

/**
 * The form: a checkbox `event` per email event (checked = immediate email) and a `digest`
 * choice. Unknown events are an error, not silently dropped: the form only offers known ones.
 */
export const emailPreferencesFormSchema = z.object({
	event: z
		.array(z.string())
		.default([])
		.refine((events) => events.every(isEmailEvent), { error: () => m.email_prefs_unknown_kind() }),
	digest: z.enum(['weekly', 'off'], { error: () => m.email_prefs_choose_digest() })
});

export function preferencesFromForm(
	input: z.infer<typeof emailPreferencesFormSchema>
): EmailPreferences {
	const chosen = new Set(input.event);
	return {
		events: Object.fromEntries(
			EMAIL_EVENTS.map((e) => [e.event, chosen.has(e.event)])
		) as EmailPreferences['events'],
		digest: input.digest === 'weekly'
	};
}
