// Moderation states shared by server and UI; no server imports here.

/**
 * Whether a post or comment shows: 'visible' to everyone; 'pending' a moderator's approval (its
 * author and moderators see it); 'hidden' by a moderator or by flags (its author sees it, with
 * the reason). Every list, count and aggregate reads only 'visible', non-deleted rows.
 */
export const VISIBILITIES = ['visible', 'pending', 'hidden'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** Why a member flags something; 'other' needs a note. */
export const FLAG_REASONS = ['spam', 'abusive', 'off_topic', 'other'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

export const FLAG_REASON_LABELS: Record<FlagReason, string> = {
	spam: 'Spam or advertising',
	abusive: 'Abusive, rude or harassing',
	off_topic: 'Off-topic, in the wrong place',
	other: 'Something else (say what)'
};

/** What a moderator does with an item in the queue. */
export const MODERATION_ACTIONS = ['keep', 'hide', 'delete', 'edit', 'approve'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** The `decision` a moderation notification carries (see the brief's notification contract). */
export type ModerationDecision = 'kept' | 'hidden' | 'deleted' | 'edited' | 'approved';

export const FLAG_NOTE_MAX = 500;
export const MODERATION_REASON_MAX = 500;
