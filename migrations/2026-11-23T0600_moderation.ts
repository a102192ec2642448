// Moderation: site settings an admin edits (flag threshold, new-member limits), and flags that
// members raise on posts and comments. Decisions go to the existing append-only audit_log;
// visibility and suspensions are columns the shared-states migration added.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	// One row per setting; the code holds the defaults and validates every value (zod).
	sql`create table site_setting (
		key text primary key check (key ~ '^[a-z][a-zA-Z0-9]*$'),
		value jsonb not null,
		updated_by_id bigint references app_user (id),
		updated_at timestamptz not null default now()
	)`,

	// A flag is on exactly one post or one comment. While open (resolved_at null) a member has
	// at most one flag per item; a moderator's decision resolves all open flags of the item.
	sql`create table flag (
		id bigint generated always as identity primary key,
		post_id bigint references post (id),
		comment_id bigint references comment (id),
		flagger_id bigint not null references app_user (id),
		reason text not null check (reason in ('spam', 'abusive', 'off_topic', 'other')),
		note text check (note is null or length(note) <= 500),
		created_at timestamptz not null default now(),
		resolved_at timestamptz,
		resolved_by_id bigint references app_user (id),
		decision text check (decision in ('kept', 'hidden', 'deleted', 'edited')),
		check ((post_id is null) <> (comment_id is null)),
		check (reason <> 'other' or (note is not null and length(trim(note)) > 0)),
		check ((resolved_at is null) = (decision is null))
	)`,
	sql`create unique index flag_open_post_once on flag (post_id, flagger_id)
		where resolved_at is null and post_id is not null`,
	sql`create unique index flag_open_comment_once on flag (comment_id, flagger_id)
		where resolved_at is null and comment_id is not null`,
	sql`create index flag_open_by_age on flag (created_at) where resolved_at is null`,

	// The queue also lists what waits for approval; these keep that cheap.
	sql`create index post_pending on post (created_at) where visibility <> 'visible'`,
	sql`create index comment_pending on comment (created_at) where visibility <> 'visible'`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index if exists comment_pending`.execute(db);
	await sql`drop index if exists post_pending`.execute(db);
	await sql`drop table if exists flag`.execute(db);
	await sql`drop table if exists site_setting`.execute(db);
}
