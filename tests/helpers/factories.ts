// Test data, inserted directly: named after what it is, unique within a database.
import type { Role } from '$lib/domain/roles';
import type { Db } from '$lib/server/db';
import type { UserActor } from '$lib/server/policy';

let sequence = 0;
const next = () => `${Date.now().toString(36)}${(sequence++).toString(36)}`;

/** A user whose password hash matches nothing (tests that sign in hash a real one). */
export async function createUser(
	db: Db,
	options: { role?: Role; handle?: string; displayName?: string } = {}
): Promise<UserActor> {
	const handle = options.handle ?? `user_${next()}`;
	const row = await db
		.insertInto('app_user')
		.values({
			email: `${handle.toLowerCase()}@example.com`,
			handle,
			display_name: options.displayName ?? handle,
			password_hash: 'not-a-real-hash',
			role: options.role ?? 'member'
		})
		.returning(['id', 'email', 'handle', 'display_name', 'role'])
		.executeTakeFirstOrThrow();
	return {
		kind: 'user',
		id: row.id,
		email: row.email,
		handle: row.handle,
		displayName: row.display_name,
		role: row.role
	};
}

export async function createProduct(
	db: Db,
	options: { name?: string; archived?: boolean } = {}
): Promise<{ id: number; slug: string; name: string }> {
	const slug = `product-${next()}`;
	return db
		.insertInto('product')
		.values({
			name: options.name ?? slug,
			slug,
			archived_at: options.archived ? new Date() : null
		})
		.returning(['id', 'slug', 'name'])
		.executeTakeFirstOrThrow();
}

export async function createTag(
	db: Db,
	options: { name?: string; archived?: boolean } = {}
): Promise<{ id: number; slug: string; name: string }> {
	const slug = `tag-${next()}`;
	return db
		.insertInto('tag')
		.values({ name: options.name ?? slug, slug, archived_at: options.archived ? new Date() : null })
		.returning(['id', 'slug', 'name'])
		.executeTakeFirstOrThrow();
}

export async function setIdeaStatus(db: Db, postId: number, statusSlug: string): Promise<void> {
	const status = await db
		.selectFrom('idea_status')
		.select('id')
		.where('slug', '=', statusSlug)
		.executeTakeFirstOrThrow();
	await db.updateTable('post').set({ status_id: status.id }).where('id', '=', postId).execute();
}
