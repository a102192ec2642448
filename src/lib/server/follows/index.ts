// Following a post: authors, voters and commenters follow automatically; anyone can follow or
// unfollow, and an unfollow is remembered so later activity does not follow again.
import { sql } from 'kysely';
import type { Db } from '../db';
import { canFollow, type Actor } from '../policy';

/** Follows unless the person unfollowed this post before. */
export async function autoFollow(trx: Db, userId: number, postId: number): Promise<void> {
	await trx
		.insertInto('subscription')
		.values({ user_id: userId, post_id: postId })
		.onConflict((oc) => oc.columns(['user_id', 'post_id']).doNothing())
		.execute();
}

/** An explicit follow or unfollow; an unfollow is kept as a row, so autoFollow respects it. */
export async function setFollowing(
	db: Db,
	userId: number,
	postId: number,
	following: boolean
): Promise<void> {
	await db
		.insertInto('subscription')
		.values({ user_id: userId, post_id: postId, following })
		.onConflict((oc) => oc.columns(['user_id', 'post_id']).doUpdateSet({ following }))
		.execute();
}

export type FollowResult = { ok: true } | { ok: false; reason: 'not_found' | 'forbidden' };

/** Someone follows or unfollows a post; whether its voting is open does not matter. */
export async function followPost(
	db: Db,
	actor: Actor,
	postId: number,
	following: boolean
): Promise<FollowResult> {
	if (!canFollow(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const post = await db
		.selectFrom('post')
		.select('id')
		.where('id', '=', postId)
		.where('deleted_at', 'is', null)
		.executeTakeFirst();
	if (!post) {
		return { ok: false, reason: 'not_found' };
	}
	await setFollowing(db, actor.id, post.id, following);
	return { ok: true };
}

export async function isFollowing(db: Db, userId: number, postId: number): Promise<boolean> {
	const row = await db
		.selectFrom('subscription')
		.select('following')
		.where('user_id', '=', userId)
		.where('post_id', '=', postId)
		.executeTakeFirst();
	return row?.following ?? false;
}

/** Who follows a post (for notifications), leaving out `exceptUserId` (the actor). */
export async function listFollowerIds(
	db: Db,
	postId: number,
	exceptUserId?: number
): Promise<number[]> {
	let query = db
		.selectFrom('subscription')
		.select('user_id')
		.where('post_id', '=', postId)
		.where('following', '=', true);
	if (exceptUserId !== undefined) {
		query = query.where('user_id', '!=', exceptUserId);
	}
	return (await query.execute()).map((r) => r.user_id);
}

export const followerCount = (db: Db, postId: number) =>
	db
		.selectFrom('subscription')
		.select(sql<number>`count(*)`.as('n'))
		.where('post_id', '=', postId)
		.where('following', '=', true)
		.executeTakeFirstOrThrow()
		.then((r) => r.n);
