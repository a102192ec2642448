// A person's public profile: who they are on the site and what they have contributed in the
// open. Nothing private (email, company, sessions) leaves this module.
import { sql } from 'kysely';
import type { Role } from '$lib/domain/roles';
import type { Locale } from '$lib/i18n/locales';
import type { Db } from '../db';

export interface PublicProfile {
	id: number;
	handle: string;
	displayName: string;
	role: Role;
	joinedAt: Date;
	ideaCount: number;
	commentCount: number;
}

/** The profile for a handle, matched without regard to case (mentions are lowercased). */
export async function getPublicProfile(db: Db, handle: string): Promise<PublicProfile | null> {
	const row = await db
		.selectFrom('app_user')
		.select((eb) => [
			'app_user.id',
			'app_user.handle',
			'app_user.display_name',
			'app_user.role',
			'app_user.created_at',
			eb
				.selectFrom('post')
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('post.author_id', '=', 'app_user.id')
				.where('post.kind', '=', 'idea')
				.where('post.deleted_at', 'is', null)
				.where('post.merged_into_id', 'is', null)
				.where('post.visibility', '=', 'visible')
				.as('idea_count'),
			eb
				.selectFrom('comment')
				.innerJoin('post', 'post.id', 'comment.post_id')
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('comment.author_id', '=', 'app_user.id')
				.where('comment.deleted_at', 'is', null)
				.where('comment.is_internal', '=', false)
				.where('comment.visibility', '=', 'visible')
				.where('post.deleted_at', 'is', null)
				.where('post.visibility', '=', 'visible')
				.as('comment_count')
		])
		.where(sql<string>`lower(app_user.handle)`, '=', handle.toLowerCase())
		.executeTakeFirst();
	if (!row) {
		return null;
	}
	return {
		id: row.id,
		handle: row.handle,
		displayName: row.display_name,
		role: row.role,
		joinedAt: row.created_at,
		ideaCount: row.idea_count ?? 0,
		commentCount: row.comment_count ?? 0
	};
}

/** Saves the member's interface language; null goes back to following their browser. */
export async function setUserLocale(db: Db, userId: number, locale: Locale | null): Promise<void> {
	await db.updateTable('app_user').set({ locale }).where('id', '=', userId).execute();
}
