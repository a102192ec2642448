// Co-creation challenges: a question staff ask for a while ("How should onboarding work?"),
// members answer with ideas (entries: ideas with `challenge_id`), and after it closes staff pick
// ranked winners, each with a public note. Announcing is once: `announced_at` is set with the
// winners in one transaction and never cleared.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	sql`create table challenge (
		id bigint generated always as identity primary key,
		title text not null check (length(title) between 1 and 200),
		description_source text not null default '',
		description_html text not null default '',
		prizes_source text not null default '',
		prizes_html text not null default '',
		product_id bigint not null references product (id),
		starts_at timestamptz not null,
		ends_at timestamptz not null,
		created_by_id bigint references app_user (id) on delete set null,
		created_at timestamptz not null default now(),
		updated_at timestamptz not null default now(),
		announced_at timestamptz,
		announced_by_id bigint references app_user (id) on delete set null,
		check (ends_at > starts_at)
	)`,
	sql`create index challenge_ends_idx on challenge (ends_at desc, id desc)`,

	sql`alter table post add column challenge_id bigint references challenge (id)`,
	sql`create index post_challenge_idx on post (challenge_id) where challenge_id is not null`,

	// Ranked 1, 2, 3…: one entry per rank and one rank per entry.
	sql`create table challenge_winner (
		challenge_id bigint not null references challenge (id) on delete cascade,
		post_id bigint not null references post (id),
		rank integer not null check (rank between 1 and 20),
		note_source text not null default '',
		note_html text not null default '',
		created_at timestamptz not null default now(),
		primary key (challenge_id, rank),
		unique (challenge_id, post_id)
	)`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop table if exists challenge_winner`.execute(db);
	await sql`drop index if exists post_challenge_idx`.execute(db);
	await sql`alter table post drop column if exists challenge_id`.execute(db);
	await sql`drop table if exists challenge`.execute(db);
}
