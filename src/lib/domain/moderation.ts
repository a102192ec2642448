// Moderation states shared by server and UI; no server imports here.

/**
 * Whether a post or comment shows: 'visible' to everyone; 'pending' a moderator's approval (its
 * author and moderators see it); 'hidden' by a moderator or by flags (its author sees it, with
 * the reason). Every list, count and aggregate reads only 'visible', non-deleted rows.
 */
export const VISIBILITIES = ['visible', 'pending', 'hidden'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
