// Moderation states shared by server and UI; no server imports here.
import { m } from '$lib/paraglide/messages';

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

/** The reason's name in the reader's language. */
export function flagReasonLabel(reason: FlagReason): string {
	const labels: Record<FlagReason, () => string> = {
		spam: m.mod_flag_reason_spam,
		abusive: m.mod_flag_reason_abusive,
		off_topic: m.mod_flag_reason_off_topic,
		other: m.mod_flag_reason_other
	};
	return labels[reason]();
}

/** What a moderator does with an item in the queue. */
export const MODERATION_ACTIONS = ['keep', 'hide', 'delete', 'edit', 'approve'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** The `decision` a moderation notification carries (see the brief's notification contract). */
export type ModerationDecision = 'kept' | 'hidden' | 'deleted' | 'edited' | 'approved';

export const FLAG_NOTE_MAX = 500;
export const MODERATION_REASON_MAX = 500;
