// Ideas: tags, idea statuses, posts (ideas now; reviews and discussions share the table later),
// votes, comments, follows, in-app notifications, status history and the activity ledger.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	sql`alter table product add column updated_at timestamptz not null default now()`,

	sql`create table tag (
		id bigint generated always as identity primary key,
		name text not null check (length(name) between 1 and 40),
		slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
		archived_at timestamptz,
		created_at timestamptz not null default now()
	)`,

	// Names are the admins' to change; the category is fixed, so the roadmap and metrics keep
	// working whatever the statuses are called.
	sql`create table idea_status (
		id bigint generated always as identity primary key,
		name text not null check (length(name) between 1 and 40),
		slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
		category text not null
			check (category in ('open', 'under_review', 'planned', 'in_progress', 'done', 'closed')),
		position integer not null,
		is_default boolean not null default false,
		created_at timestamptz not null default now()
	)`,
	sql`create unique index idea_status_one_default on idea_status (is_default) where is_default`,
	sql`insert into idea_status (name, slug, category, position, is_default) values
		('Open', 'open', 'open', 1, true),
		('Under review', 'under-review', 'under_review', 2, false),
		('Planned', 'planned', 'planned', 3, false),
		('In progress', 'in-progress', 'in_progress', 4, false),
		('Shipped', 'shipped', 'done', 5, false),
		('Declined', 'declined', 'closed', 6, false)`,

	sql`create table post (
		id bigint generated always as identity primary key,
		kind text not null check (kind in ('idea', 'review', 'discussion')),
		product_id bigint references product (id),
		author_id bigint not null references app_user (id),
		title text not null check (length(title) between 1 and 200),
		body_source text not null default '',
		body_html text not null default '',
		status_id bigint references idea_status (id),
		merged_into_id bigint references post (id),
		vote_count integer not null default 0 check (vote_count >= 0),
		comment_count integer not null default 0 check (comment_count >= 0),
		-- Reddit's "hot" formula, kept current on every vote (see docs/design.md, Trending).
		hot_score double precision not null default 0,
		created_at timestamptz not null default now(),
		edited_at timestamptz,
		last_activity_at timestamptz not null default now(),
		deleted_at timestamptz,
		search tsvector generated always as (
			setweight(to_tsvector('english', title), 'A') ||
			setweight(to_tsvector('english', body_source), 'B')
		) stored,
		check (kind <> 'idea' or (product_id is not null and status_id is not null))
	)`,
	sql`create index post_search_idx on post using gin (search)`,
	sql`create index post_title_trgm_idx on post using gin (title gin_trgm_ops)`,
	sql`create index post_hot_idx on post (kind, hot_score desc, id desc) where deleted_at is null`,
	sql`create index post_top_idx on post (kind, vote_count desc, id desc) where deleted_at is null`,
	sql`create index post_new_idx on post (kind, created_at desc, id desc) where deleted_at is null`,
	sql`create index post_discussed_idx on post (kind, comment_count desc, id desc) where deleted_at is null`,
	sql`create index post_product_idx on post (product_id, kind)`,
	sql`create index post_author_idx on post (author_id)`,

	sql`create table post_tag (
		post_id bigint not null references post (id) on delete cascade,
		tag_id bigint not null references tag (id) on delete cascade,
		primary key (post_id, tag_id)
	)`,
	sql`create index post_tag_tag_idx on post_tag (tag_id)`,

	// One row per member and post: the primary key is what makes a vote idempotent.
	sql`create table vote (
		post_id bigint not null references post (id) on delete cascade,
		user_id bigint not null references app_user (id) on delete cascade,
		importance text check (importance in ('nice', 'important', 'critical')),
		recorded_by_id bigint references app_user (id) on delete set null,
		created_at timestamptz not null default now(),
		primary key (post_id, user_id)
	)`,
	sql`create index vote_user_idx on vote (user_id, created_at desc)`,
	sql`create index vote_recent_idx on vote (post_id, created_at desc)`,

	sql`create table comment (
		id bigint generated always as identity primary key,
		post_id bigint not null references post (id) on delete cascade,
		author_id bigint not null references app_user (id),
		parent_id bigint references comment (id),
		body_source text not null check (length(body_source) between 1 and 10000),
		body_html text not null,
		is_internal boolean not null default false,
		is_official boolean not null default false,
		created_at timestamptz not null default now(),
		edited_at timestamptz,
		deleted_at timestamptz
	)`,
	sql`create index comment_post_idx on comment (post_id, created_at, id)`,
	sql`create index comment_author_idx on comment (author_id)`,

	// A row with following = false remembers an unfollow, so activity does not re-follow.
	sql`create table subscription (
		user_id bigint not null references app_user (id) on delete cascade,
		post_id bigint not null references post (id) on delete cascade,
		following boolean not null default true,
		created_at timestamptz not null default now(),
		primary key (user_id, post_id)
	)`,
	sql`create index subscription_post_idx on subscription (post_id) where following`,

	// In-app notifications; emailed_at lets a mailer pick up the ones still to send.
	sql`create table notification (
		id bigint generated always as identity primary key,
		user_id bigint not null references app_user (id) on delete cascade,
		kind text not null,
		post_id bigint references post (id) on delete cascade,
		comment_id bigint references comment (id) on delete cascade,
		actor_id bigint references app_user (id) on delete set null,
		created_at timestamptz not null default now(),
		read_at timestamptz,
		emailed_at timestamptz
	)`,
	sql`create index notification_user_idx on notification (user_id, id desc)`,
	sql`create index notification_unread_idx on notification (user_id) where read_at is null`,
	sql`create index notification_unmailed_idx on notification (id) where emailed_at is null`,

	sql`create table status_change (
		id bigint generated always as identity primary key,
		post_id bigint not null references post (id) on delete cascade,
		from_status_id bigint references idea_status (id),
		to_status_id bigint not null references idea_status (id),
		changed_by_id bigint references app_user (id) on delete set null,
		message_source text,
		message_html text,
		created_at timestamptz not null default now()
	)`,
	sql`create index status_change_post_idx on status_change (post_id, created_at)`,

	// The ledger every metric is derived from; written in the same transaction as the act.
	sql`create table activity (
		id bigint generated always as identity primary key,
		user_id bigint references app_user (id) on delete set null,
		kind text not null,
		post_id bigint references post (id) on delete set null,
		comment_id bigint references comment (id) on delete set null,
		product_id bigint references product (id) on delete set null,
		data jsonb not null default '{}',
		created_at timestamptz not null default now()
	)`,
	sql`create index activity_user_idx on activity (user_id, created_at desc)`,
	sql`create index activity_kind_idx on activity (kind, created_at desc)`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'activity',
		'status_change',
		'notification',
		'subscription',
		'comment',
		'vote',
		'post_tag',
		'post',
		'idea_status',
		'tag'
	]) {
		await sql`drop table if exists ${sql.table(table)}`.execute(db);
	}
	await sql`alter table product drop column if exists updated_at`.execute(db);
}
