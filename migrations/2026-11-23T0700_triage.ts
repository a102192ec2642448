// Triage: who owns an idea, whether staff have triaged it, when staff first responded to it, and
// which voters were told when it shipped (the metrics read the last two).
import { sql, type Kysely } from 'kysely';

const up_statements = [
	// The staff member responsible for an idea; null until someone is assigned.
	sql`alter table post add column owner_id bigint references app_user (id) on delete set null`,
	// Set the first time staff change an idea's status or mark it triaged: the inbox lists ideas
	// in an 'open' status that staff have never looked at.
	sql`alter table post add column triaged_at timestamptz`,
	sql`create index post_owner_idx on post (owner_id) where owner_id is not null`,
	sql`create index post_untriaged_idx on post (created_at, id)
		where kind = 'idea' and triaged_at is null and deleted_at is null and merged_into_id is null`,

	// The first time staff answered an idea: a status change or an official comment. One row per
	// idea, written once (insert ... on conflict do nothing), so racing answers keep the earliest.
	sql`create table idea_first_response (
		post_id bigint primary key references post (id) on delete cascade,
		responded_at timestamptz not null default now(),
		kind text not null check (kind in ('status_change', 'official_comment')),
		responder_id bigint references app_user (id) on delete set null,
		status_change_id bigint references status_change (id) on delete set null,
		comment_id bigint references comment (id) on delete set null
	)`,

	// Closing the loop: one row per voter of an idea when it shipped, saying whether they were
	// notified (the staff member who shipped it, voting for it, is not told about their own act).
	sql`create table ship_notice (
		post_id bigint not null references post (id) on delete cascade,
		user_id bigint not null references app_user (id) on delete cascade,
		status_change_id bigint references status_change (id) on delete set null,
		notified boolean not null,
		notification_id bigint references notification (id) on delete set null,
		created_at timestamptz not null default now(),
		primary key (post_id, user_id)
	)`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop table if exists ship_notice`.execute(db);
	await sql`drop table if exists idea_first_response`.execute(db);
	await sql`drop index if exists post_untriaged_idx`.execute(db);
	await sql`drop index if exists post_owner_idx`.execute(db);
	await sql`alter table post drop column if exists triaged_at`.execute(db);
	await sql`alter table post drop column if exists owner_id`.execute(db);
}
