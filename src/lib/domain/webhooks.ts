// The events a webhook can subscribe to, shared by the admin screen and the server.

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

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
	'idea.created': 'Idea posted',
	'idea.status_changed': 'Idea status changed',
	'vote.created': 'Vote cast',
	'comment.created': 'Comment posted',
	'review.created': 'Review written',
	'flag.created': 'Content flagged',
	'changelog.published': 'Changelog entry published'
};

export function isWebhookEventType(value: string): value is WebhookEventType {
	return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}
