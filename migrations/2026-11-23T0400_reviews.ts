// Product reviews: a review is a `post` row (kind 'review': product, author, title, body) plus
// its rating and roadmap link here; earlier versions are kept; companies own products (for the
// verified-customer badge). Helpful votes are `vote` rows on the review post; the official reply
// is an `is_official` comment on it.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	// Which customer companies own which products (admins fill it in with the customers issue).
	sql`create table company_product (
		company_id bigint not null references company (id) on delete cascade,
		product_id bigint not null references product (id) on delete cascade,
		created_at timestamptz not null default now(),
		primary key (company_id, product_id)
	)`,
	sql`create index company_product_product_idx on company_product (product_id)`,

	sql`create table review (
		post_id bigint primary key references post (id) on delete cascade,
		rating smallint not null check (rating between 1 and 5),
		-- 1 for the first version; each edit keeps the previous one in review_version.
		version integer not null default 1 check (version >= 1),
		-- "Tracked in": the idea (same product) staff linked this review to.
		tracked_idea_id bigint references post (id) on delete set null,
		tracked_by_id bigint references app_user (id) on delete set null,
		tracked_at timestamptz,
		-- When the tracked idea shipped and the reviewer was invited to update (followup.ts).
		idea_shipped_at timestamptz
	)`,
	sql`create index review_tracked_idea_idx on review (tracked_idea_id) where tracked_idea_id is not null`,

	// One live review per member and product; a deleted one frees the place. This index also
	// serves the product page's aggregates (product_id first, deleted rows left out).
	sql`create unique index post_one_review_idx on post (product_id, author_id)
		where kind = 'review' and deleted_at is null`,

	sql`create table review_version (
		id bigint generated always as identity primary key,
		post_id bigint not null references post (id) on delete cascade,
		version integer not null,
		rating smallint not null check (rating between 1 and 5),
		title text not null,
		body_source text not null,
		body_html text not null,
		written_at timestamptz not null,
		replaced_at timestamptz not null default now(),
		unique (post_id, version)
	)`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop table if exists review_version`.execute(db);
	await sql`drop index if exists post_one_review_idx`.execute(db);
	await sql`drop table if exists review`.execute(db);
	await sql`drop table if exists company_product`.execute(db);
}
