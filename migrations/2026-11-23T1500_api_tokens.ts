// Personal API tokens: a member's bearer credential for /api/v1. Like sessions, only the SHA-256
// of the token is kept; its first characters (the `rt_` prefix and a few more) are kept too, so a
// person can tell their tokens apart in the list without the secret ever being stored.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	sql`create table api_token (
		id bigint generated always as identity primary key,
		user_id bigint not null references app_user (id) on delete cascade,
		name text not null check (length(name) between 1 and 80),
		token_hash text not null unique,
		token_prefix text not null,
		scopes text[] not null check (scopes <@ array['read', 'write', 'staff']::text[] and cardinality(scopes) > 0),
		created_at timestamptz not null default now(),
		expires_at timestamptz,
		last_used_at timestamptz,
		revoked_at timestamptz
	)`,
	sql`create index api_token_user_idx on api_token (user_id, created_at desc)`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop table if exists api_token`.execute(db);
}
