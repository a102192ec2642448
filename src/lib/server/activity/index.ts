// The activity ledger: every participation act is appended here in the same transaction as the
// act itself. Metrics, points and charts are derived from it, never counted by hand elsewhere.
import type { Db } from '../db';

export type ActivityKind =
	| 'idea_posted'
	| 'vote_cast'
	| 'vote_removed'
	| 'comment_posted'
	| 'review_posted'
	| 'review_updated'
	| 'helpful_received'
	| 'helpful_withdrawn'
	| 'thread_posted'
	| 'reply_posted'
	| 'answer_accepted'
	| 'poll_voted'
	| 'like_given'
	| 'like_removed'
	// Triage: staff moved an idea (user = staff), an idea shipped (user = its author), a merge.
	| 'status_changed'
	| 'idea_shipped'
	| 'idea_merged'
	// Roadmap and changelog: staff published an entry.
	| 'changelog_published'
	// Moderation: a member flagged a post or comment.
	| 'flag_raised'
	// Customers: a member answered a survey (data: { kind: 'nps' | 'csat', score }); someone
	// signed up through a member's referral link (user = the referrer, data: { referredUserId }).
	| 'survey_answered'
	| 'referral_joined'
	// Challenges: an entry won (user = its author, data: { challengeId, rank }), recorded when
	// staff announce the winners.
	| 'challenge_won';

export interface ActivityEntry {
	userId: number;
	kind: ActivityKind;
	postId?: number | null;
	commentId?: number | null;
	productId?: number | null;
	data?: Record<string, unknown>;
}

/** Appends one act; call it with the transaction that performs the act. */
export async function recordActivity(trx: Db, entry: ActivityEntry): Promise<void> {
	await trx
		.insertInto('activity')
		.values({
			user_id: entry.userId,
			kind: entry.kind,
			post_id: entry.postId ?? null,
			comment_id: entry.commentId ?? null,
			product_id: entry.productId ?? null,
			data: JSON.stringify(entry.data ?? {})
		})
		.execute();
}
