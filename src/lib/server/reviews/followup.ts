// From roadmap back to reviews: when an idea that reviews are "tracked in" ships, each of those
// reviewers is invited to update their review (notification kind `review_followup`).
import { ideaPath } from '$lib/domain/ideas';
import type { Db } from '../db';
import { createNotifications } from '../notifications';

/**
 * Marks the reviews tracked in this idea as shipped-on (now) and notifies each review's author
 * once, with the idea in `data` (`{ idea: { id, title, path } }`). `onlyReviewId` limits it to
 * one review (staff linking a review to an idea that has already shipped). A review already
 * told about this idea is not told again, deleted reviews are skipped, and so is anything when
 * the idea does not exist. Returns how many reviewers were notified.
 */
export async function notifyFollowups(
	trx: Db,
	ideaId: number,
	onlyReviewId: number | null = null
): Promise<number> {
	const idea = await trx
		.selectFrom('post')
		.select(['id', 'title'])
		.where('id', '=', ideaId)
		.where('kind', '=', 'idea')
		.executeTakeFirst();
	if (!idea) {
		return 0;
	}
	let update = trx
		.updateTable('review')
		.from('post')
		.set({ idea_shipped_at: new Date() })
		.whereRef('post.id', '=', 'review.post_id')
		.where('review.tracked_idea_id', '=', idea.id)
		.where('review.idea_shipped_at', 'is', null)
		.where('post.deleted_at', 'is', null);
	if (onlyReviewId !== null) {
		update = update.where('review.post_id', '=', onlyReviewId);
	}
	const reviews = await update.returning(['review.post_id', 'post.author_id']).execute();
	const data = { idea: { id: idea.id, title: idea.title, path: ideaPath(idea) } };
	await createNotifications(
		trx,
		reviews.map((review) => ({
			userId: review.author_id,
			kind: 'review_followup' as const,
			postId: review.post_id,
			commentId: null,
			actorId: null,
			data
		}))
	);
	return reviews.length;
}

/**
 * Call in the transaction that moves an idea into a status of the `done` category: every
 * reviewer whose review is tracked in it is invited to update the review. Idempotent.
 */
export async function notifyReviewersIdeaShipped(trx: Db, ideaId: number): Promise<number> {
	return notifyFollowups(trx, ideaId);
}
