// The activity ledger: every participation act is appended here in the same transaction as the
// act itself. Metrics, points and charts are derived from it, never counted by hand elsewhere.
import type { Db } from '../db';

export type ActivityKind =
	'idea_posted' | 'vote_cast' | 'vote_removed' | 'comment_posted' | 'flag_raised';

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
