// What the policy needs to know about an idea, loaded in one query.
import { sql } from 'kysely';
import type { StatusCategory } from '$lib/domain/ideas';
import type { Db } from '../db';
import type { IdeaFacts } from '../policy';
import type { ChallengeWindow } from '$lib/domain/challenges';

/** The window of the challenge an idea is entered into, from a left join (null: none). */
export function challengeWindow(
	startsAt: Date | null,
	endsAt: Date | null
): ChallengeWindow | null {
	return startsAt && endsAt ? { startsAt, endsAt } : null;
}

export interface IdeaRecord extends IdeaFacts {
	id: number;
	productId: number;
	title: string;
	/** Hidden or pending by moderation: only its author and moderators may see it. */
	unlisted: boolean;
}

export async function loadIdeaFacts(db: Db, postId: number): Promise<IdeaRecord | undefined> {
	const row = await db
		.selectFrom('post')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.leftJoin('challenge', 'challenge.id', 'post.challenge_id')
		.select([
			'post.id',
			'post.product_id',
			'post.title',
			'post.author_id',
			'post.created_at',
			'post.deleted_at',
			'post.merged_into_id',
			'post.visibility',
			'idea_status.category',
			'challenge.starts_at as challenge_starts_at',
			'challenge.ends_at as challenge_ends_at',
			sql<number>`(select count(*) from vote v where v.post_id = post.id and v.user_id <> post.author_id)`.as(
				'other_votes'
			)
		])
		.where('post.id', '=', postId)
		.where('post.kind', '=', 'idea')
		.executeTakeFirst();
	if (!row) {
		return undefined;
	}
	return {
		id: row.id,
		productId: row.product_id!,
		title: row.title,
		authorId: row.author_id,
		createdAt: row.created_at,
		deleted: row.deleted_at !== null,
		merged: row.merged_into_id !== null,
		unlisted: row.visibility !== 'visible',
		statusCategory: row.category as StatusCategory,
		otherVotes: row.other_votes,
		challenge: challengeWindow(row.challenge_starts_at, row.challenge_ends_at)
	};
}
