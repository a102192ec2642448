// Private help threads: shared types and limits (no server imports).

export const HELP_STATUSES = ['open', 'answered', 'closed'] as const;
export type HelpThreadStatus = (typeof HELP_STATUSES)[number];

export const HELP_CONVERSION_KINDS = ['discussion', 'idea'] as const;
export type HelpConversionKind = (typeof HELP_CONVERSION_KINDS)[number];

export type HelpEventKind =
	'closed' | 'reopened' | 'shared' | 'unshared' | 'proposed' | 'declined' | 'converted';

export const HELP_SUBJECT_MIN = 4;
export const HELP_SUBJECT_MAX = 150;
export const HELP_BODY_MAX = 20_000;

/** New threads a member may start per hour, and messages they may write per minute. */
export const HELP_THREADS_PER_HOUR = 5;
export const HELP_MESSAGES_PER_MINUTE = 10;

export function isHelpStatus(value: unknown): value is HelpThreadStatus {
	return typeof value === 'string' && (HELP_STATUSES as readonly string[]).includes(value);
}

export function helpPath(thread: { id: number }): string {
	return `/help/${thread.id}`;
}
