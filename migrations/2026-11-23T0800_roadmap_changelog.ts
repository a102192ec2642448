// The public roadmap's order and target quarters, and the changelog: entries staff write and
// publish, each linked to the ideas it ships.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	// Staff order ideas within a roadmap column; null sorts after every placed idea (by votes).
	sql`alter table post add column roadmap_position integer check (roadmap_position > 0)`,
	sql`alter table post add column target_quarter text
		check (target_quarter ~ '^(19|20|21)[0-9]{2}-Q[1-4]$')`,
	sql`create index post_roadmap_idx on post (status_id, roadmap_position)
		where kind = 'idea' and deleted_at is null`,

	// A draft has no slug and no published_at; publishing sets both, once.
	sql`create table changelog_entry (
		id bigint generated always as identity primary key,
		title text not null check (length(title) between 1 and 200),
		slug text unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
		body_source text not null default '',
		body_html text not null default '',
		product_id bigint references product (id),
		author_id bigint references app_user (id) on delete set null,
		created_at timestamptz not null default now(),
		updated_at timestamptz not null default now(),
		published_at timestamptz,
		check (published_at is null or slug is not null)
	)`,
	sql`create index changelog_entry_published_idx on changelog_entry (published_at desc, id desc)
		where published_at is not null`,

	sql`create table changelog_entry_idea (
		entry_id bigint not null references changelog_entry (id) on delete cascade,
		post_id bigint not null references post (id) on delete cascade,
		created_at timestamptz not null default now(),
		primary key (entry_id, post_id)
	)`,
	sql`create index changelog_entry_idea_post_idx on changelog_entry_idea (post_id)`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop table if exists changelog_entry_idea`.execute(db);
	await sql`drop table if exists changelog_entry`.execute(db);
	await sql`drop index if exists post_roadmap_idx`.execute(db);
	await sql`alter table post drop column if exists target_quarter`.execute(db);
	await sql`alter table post drop column if exists roadmap_position`.execute(db);
}
