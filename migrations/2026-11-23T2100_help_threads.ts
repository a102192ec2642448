// Private help threads: a member's support conversation with staff, in tables of their own so that
// no public list, search, feed, ledger, webhook or API query (all of which read `post`, `comment`
// and `activity`) can reach them. A notification may point at a thread (`help_thread_id`).
import { sql, type Kysely } from 'kysely';

const up_statements = [
	sql`create table help_thread (
		id bigint generated always as identity primary key,
		author_id bigint not null references app_user (id) on delete cascade,
		product_id bigint references product (id) on delete set null,
		subject text not null check (length(subject) between 3 and 150),
		-- Whether members of the author's company (read live from app_user.company_id) may read it.
		shared_with_company boolean not null default false,
		status text not null default 'open' check (status in ('open', 'answered', 'closed')),
		-- Since when a member's message has waited for staff; null while nothing waits.
		waiting_since timestamptz,
		message_count integer not null default 0 check (message_count >= 0),
		last_message_at timestamptz not null default now(),
		created_at timestamptz not null default now(),
		closed_at timestamptz,
		closed_by_id bigint references app_user (id) on delete set null,
		-- A staff proposal to publish the thread; only the author's acceptance publishes anything.
		proposed_kind text check (proposed_kind in ('discussion', 'idea')),
		proposed_by_id bigint references app_user (id) on delete set null,
		proposed_at timestamptz,
		converted_kind text check (converted_kind in ('discussion', 'idea')),
		converted_post_id bigint references post (id) on delete set null,
		converted_by_id bigint references app_user (id) on delete set null,
		converted_at timestamptz,
		check ((proposed_kind is null) = (proposed_at is null)),
		check ((converted_kind is null) = (converted_at is null))
	)`,
	sql`create index help_thread_author_idx on help_thread (author_id, last_message_at desc)`,
	sql`create index help_thread_inbox_idx on help_thread (status, waiting_since, id)`,

	sql`create table help_message (
		id bigint generated always as identity primary key,
		thread_id bigint not null references help_thread (id) on delete cascade,
		author_id bigint references app_user (id) on delete set null,
		body_source text not null check (length(body_source) between 1 and 20000),
		body_html text not null,
		is_official boolean not null default false,
		created_at timestamptz not null default now()
	)`,
	sql`create index help_message_thread_idx on help_message (thread_id, id)`,

	// Who did what to a thread and when, beyond its messages: closing, reopening, sharing,
	// proposals, their answers and conversions.
	sql`create table help_event (
		id bigint generated always as identity primary key,
		thread_id bigint not null references help_thread (id) on delete cascade,
		actor_id bigint references app_user (id) on delete set null,
		kind text not null check (kind in ('closed', 'reopened', 'shared', 'unshared', 'proposed',
			'declined', 'converted')),
		data jsonb not null default '{}',
		created_at timestamptz not null default now()
	)`,
	sql`create index help_event_thread_idx on help_event (thread_id, id)`,

	sql`alter table notification add column help_thread_id bigint
		references help_thread (id) on delete cascade`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`alter table notification drop column if exists help_thread_id`.execute(db);
	await sql`drop table if exists help_event`.execute(db);
	await sql`drop table if exists help_message`.execute(db);
	await sql`drop table if exists help_thread`.execute(db);
}
