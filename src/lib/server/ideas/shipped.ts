// What happens when an idea ships (its status enters the 'done' category): each voter's row in
// `ship_notice` says whether they were told (loop closure = notified voters / voters), and the
// author's idea_shipped act goes into the ledger, reviews tracked in the idea ask their authors
// for an update, and the voters are asked the CSAT question about it. Called by changeIdeaStatus, in its transaction.
import { sql } from 'kysely';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { notifyReviewersIdeaShipped } from '../reviews/followup';
import { offerCsat } from '../surveys';

export interface IdeaShipped {
	ideaId: number;
	statusChangeId: number;
	/** The people the status change notified: user id → notification id. */
	notified: ReadonlyMap<number, number>;
	path: string;
}

/**
 * Records, per voter, whether they were notified of the ship. An idea that ships a second time
 * (moved back, then shipped again) keeps its first record: the loop was closed, or not, then.
 */
export async function onIdeaShipped(trx: Db, event: IdeaShipped): Promise<void> {
	const voters = await trx
		.selectFrom('vote')
		.select('user_id')
		.where('post_id', '=', event.ideaId)
		.execute();
	if (voters.length > 0) {
		await trx
			.insertInto('ship_notice')
			.values(
				voters.map((v) => ({
					post_id: event.ideaId,
					user_id: v.user_id,
					status_change_id: event.statusChangeId,
					notified: event.notified.has(v.user_id),
					notification_id: event.notified.get(v.user_id) ?? null
				}))
			)
			.onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
			.execute();
	}
	const idea = await trx
		.selectFrom('post')
		.select(['author_id', 'product_id'])
		.select(
			sql<boolean>`exists (select 1 from activity a where a.post_id = post.id and a.kind = 'idea_shipped')`.as(
				'shipped_before'
			)
		)
		.where('id', '=', event.ideaId)
		.executeTakeFirstOrThrow();
	if (!idea.shipped_before) {
		await recordActivity(trx, {
			userId: idea.author_id,
			kind: 'idea_shipped',
			postId: event.ideaId,
			productId: idea.product_id,
			data: {
				voters: voters.length,
				notified: voters.filter((v) => event.notified.has(v.user_id)).length,
				path: event.path
			}
		});
	}
	// Reviews tracked in this idea: their authors are invited to update them (once per review).
	await notifyReviewersIdeaShipped(trx, event.ideaId);
	// Its voters are asked how satisfied they are with what shipped (once per member and idea).
	await offerCsat(trx, {
		userIds: voters.map((v) => v.user_id),
		postId: event.ideaId,
		trigger: 'shipped'
	});
}

/** Loop closure for one idea: how many of the voters recorded at ship time were notified. */
export async function shipNoticeSummary(
	db: Db,
	ideaId: number
): Promise<{ voters: number; notified: number }> {
	const row = await db
		.selectFrom('ship_notice')
		.select([
			sql<number>`count(*)`.as('voters'),
			sql<number>`count(*) filter (where notified)`.as('notified')
		])
		.where('post_id', '=', ideaId)
		.executeTakeFirstOrThrow();
	return row;
}
