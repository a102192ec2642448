// Email event types and their defaults. Shared by the preferences page, the mailer and the
// unsubscribe links; no server imports here.

/**
 * One email event per notification kind. Immediate by default: what is addressed to the member
 * or answers them (status changes on ideas they follow, official replies, replies, mentions,
 * accepted answers, review follow-ups, moderation decisions). Comments on followed ideas are
 * off by default: on a busy idea they would be a stream; the weekly digest sums them up instead.
 */
export const EMAIL_EVENTS = [
	{
		event: 'status_change',
		label: 'Status changes',
		description: 'An idea you follow or voted for changes status (planned, shipped…).',
		default: true
	},
	{
		event: 'official_reply',
		label: 'Official replies',
		description: 'The team replies to your review.',
		default: true
	},
	{
		event: 'reply',
		label: 'Replies',
		description: 'Someone replies to your comment.',
		default: true
	},
	{
		event: 'mention',
		label: 'Mentions',
		description: 'Someone mentions you with @handle.',
		default: true
	},
	{
		event: 'answer_accepted',
		label: 'Accepted answers',
		description: 'Your reply is accepted as the answer to a discussion.',
		default: true
	},
	{
		event: 'review_followup',
		label: 'Review follow-ups',
		description: 'An idea your review asked for has shipped.',
		default: true
	},
	{
		event: 'moderation',
		label: 'Moderation decisions',
		description: 'A moderator decides on your post or comment, or on something you flagged.',
		default: true
	},
	{
		event: 'comment',
		label: 'Comments on ideas you follow',
		description: 'Every new comment, as it is posted. The weekly digest sums them up anyway.',
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
		? 'The weekly digest'
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
