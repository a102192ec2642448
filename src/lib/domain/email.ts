// Email event types and their defaults. Shared by the preferences page, the mailer and the
// unsubscribe links; no server imports here. Labels are getters, so each read is in the reader's
// language.
import { m } from '$lib/paraglide/messages';

/**
 * One email event per notification kind. Immediate by default: what is addressed to the member
 * or answers them (status changes on ideas they follow, official replies, replies, mentions,
 * accepted answers, review follow-ups, moderation decisions). Comments on followed ideas are
 * off by default: on a busy idea they would be a stream; the weekly digest sums them up instead.
 */
export const EMAIL_EVENTS = [
	{
		event: 'status_change',
		get label() {
			return m.email_event_status_change_label();
		},
		get description() {
			return m.email_event_status_change_description();
		},
		default: true
	},
	{
		event: 'official_reply',
		get label() {
			return m.email_event_official_reply_label();
		},
		get description() {
			return m.email_event_official_reply_description();
		},
		default: true
	},
	{
		event: 'reply',
		get label() {
			return m.email_event_reply_label();
		},
		get description() {
			return m.email_event_reply_description();
		},
		default: true
	},
	{
		event: 'mention',
		get label() {
			return m.email_event_mention_label();
		},
		get description() {
			return m.email_event_mention_description({ handle: '@handle' });
		},
		default: true
	},
	{
		event: 'help_reply',
		get label() {
			return m.help_email_event();
		},
		get description() {
			return m.help_email_event_description();
		},
		default: true
	},
	{
		event: 'answer_accepted',
		get label() {
			return m.email_event_answer_accepted_label();
		},
		get description() {
			return m.email_event_answer_accepted_description();
		},
		default: true
	},
	{
		event: 'review_followup',
		get label() {
			return m.email_event_review_followup_label();
		},
		get description() {
			return m.email_event_review_followup_description();
		},
		default: true
	},
	{
		event: 'moderation',
		get label() {
			return m.email_event_moderation_label();
		},
		get description() {
			return m.email_event_moderation_description();
		},
		default: true
	},
	{
		event: 'challenge_won',
		label: 'Challenge wins',
		description: 'An idea you entered into a challenge wins a place.',
		default: true
	},
	{
		event: 'challenge_winners',
		label: 'Challenge results',
		description: 'The winners of a challenge you entered or voted in are announced.',
		default: true
	},
	{
		event: 'testimonial_invitation',
		label: 'Testimonial invitations',
		description: 'The team asks whether you would write a testimonial.',
		default: true
	},
	{
		event: 'comment',
		get label() {
			return m.email_event_comment_label();
		},
		get description() {
			return m.email_event_comment_description();
		},
		default: false
	}
] as const;

export type EmailEvent = (typeof EMAIL_EVENTS)[number]['event'];

/** The weekly digest has its own switch (and its own unsubscribe link). */
export const DIGEST_EVENT = 'digest';
export const DIGEST_DEFAULT = true;

/** Everything an unsubscribe link can name. */
export type UnsubscribeTopic = EmailEvent | typeof DIGEST_EVENT;

export function isEmailEvent(value: unknown): value is EmailEvent {
	return typeof value === 'string' && EMAIL_EVENTS.some((e) => e.event === value);
}

export function isUnsubscribeTopic(value: unknown): value is UnsubscribeTopic {
	return value === DIGEST_EVENT || isEmailEvent(value);
}

export function topicLabel(topic: UnsubscribeTopic): string {
	return topic === DIGEST_EVENT
		? m.email_topic_digest()
		: EMAIL_EVENTS.find((e) => e.event === topic)!.label;
}

export interface EmailPreferences {
	events: Record<EmailEvent, boolean>;
	digest: boolean;
}

/** The preferences of someone who never changed them. */
export function defaultEmailPreferences(): EmailPreferences {
	return {
		events: Object.fromEntries(EMAIL_EVENTS.map((e) => [e.event, e.default])) as Record<
			EmailEvent,
			boolean
		>,
		digest: DIGEST_DEFAULT
	};
}

/** Stored rows (event, enabled) over the defaults; unknown events are ignored. */
export function applyStoredPreferences(
	rows: readonly { event: string; enabled: boolean }[]
): EmailPreferences {
	const prefs = defaultEmailPreferences();
	for (const row of rows) {
		if (row.event === DIGEST_EVENT) {
			prefs.digest = row.enabled;
		} else if (isEmailEvent(row.event)) {
			prefs.events[row.event] = row.enabled;
		}
	}
	return prefs;
}
