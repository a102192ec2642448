// The events a webhook can subscribe to, shared by the admin screen and the server.
import { m } from '$lib/paraglide/messages';

export const WEBHOOK_EVENTS = [
	'idea.created',
	'idea.status_changed',
	'vote.created',
	'comment.created',
	'review.created',
	'flag.created',
	'changelog.published'
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
/** `ping` is sent only by the admin's "Send test" button, to that one webhook. */
export type AnyWebhookEventType = WebhookEventType | 'ping';

/** The event's name in the reader's language. */
export function webhookEventLabel(type: WebhookEventType): string {
	const labels: Record<WebhookEventType, () => string> = {
		'idea.created': m.admin_webhook_event_idea_created,
		'idea.status_changed': m.admin_webhook_event_idea_status_changed,
		'vote.created': m.admin_webhook_event_vote_created,
		'comment.created': m.admin_webhook_event_comment_created,
		'review.created': m.admin_webhook_event_review_created,
		'flag.created': m.admin_webhook_event_flag_created,
		'changelog.published': m.admin_webhook_event_changelog_published
	};
	return labels[type]();
}

export function isWebhookEventType(value: string): value is WebhookEventType {
	return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}
