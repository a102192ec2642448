// The first time staff answered an idea (a status change or an official comment), kept once per
// idea for the responsiveness metric: time to first staff response = responded_at − posted.
import type { Db } from '../db';
import { isOfficialVoice, type UserActor } from '../policy';

export type FirstResponseKind = 'status_change' | 'official_comment';

/**
 * Records the response if the idea has none yet and the actor speaks for the company. The
 * primary key makes it write-once: of two racing answers, the first to commit stays.
 */
export async function recordFirstResponse(
	trx: Db,
	actor: UserActor,
	input: {
		postId: number;
		kind: FirstResponseKind;
		statusChangeId?: number | null;
		commentId?: number | null;
	}
): Promise<void> {
	if (!isOfficialVoice(actor)) {
		return;
	}
	await trx
		.insertInto('idea_first_response')
		.values({
			post_id: input.postId,
			kind: input.kind,
			responder_id: actor.id,
			status_change_id: input.statusChangeId ?? null,
			comment_id: input.commentId ?? null
		})
		.onConflict((oc) => oc.column('post_id').doNothing())
		.execute();
}

/** When, how and by whom staff first answered an idea; undefined if they have not yet. */
export async function getFirstResponse(db: Db, postId: number) {
	return db
		.selectFrom('idea_first_response')
		.leftJoin('app_user', 'app_user.id', 'idea_first_response.responder_id')
		.select([
			'idea_first_response.responded_at as respondedAt',
			'idea_first_response.kind',
			'app_user.display_name as responder'
		])
		.where('idea_first_response.post_id', '=', postId)
		.executeTakeFirst();
}
