// Discussions: admin-managed categories, threads (a `post` of kind 'discussion' plus a side table
// for its category, question and moderator state), likes on replies, each member's last-seen
// reply per thread, and polls with one ballot per member.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	sql`create table discussion_category (
		id bigint generated always as identity primary key,
		name text not null check (length(name) between 1 and 60),
		slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
		description text not null default '' check (length(description) <= 500),
		product_id bigint references product (id) on delete set null,
		position integer not null default 0,
		archived_at timestamptz,
		created_at timestamptz not null default now()
	)`,

	// One row per thread. The accepted answer is a reply of this thread (checked in the domain),
	// and only questions have one.
	sql`create table discussion (
		post_id bigint primary key references post (id) on delete cascade,
		category_id bigint not null references discussion_category (id),
		is_question boolean not null default false,
		accepted_comment_id bigint references comment (id) on delete set null,
		pinned_at timestamptz,
		locked_at timestamptz,
		closed_at timestamptz,
		check (is_question or accepted_comment_id is null)
	)`,
	sql`create index discussion_category_idx on discussion (category_id)`,
	// The list: pinned first, then latest activity.
	sql`create index post_discussion_activity_idx on post (kind, last_activity_at desc, id desc)
		where deleted_at is null`,

	// A like on a reply; likes on the thread itself are rows of vote, like any post's.
	sql`create table comment_like (
		comment_id bigint not null references comment (id) on delete cascade,
		user_id bigint not null references app_user (id) on delete cascade,
		created_at timestamptz not null default now(),
		primary key (comment_id, user_id)
	)`,
	sql`create index comment_like_user_idx on comment_like (user_id)`,

	// "New since your last visit": the newest reply a member had seen when they last opened it.
	sql`create table thread_visit (
		user_id bigint not null references app_user (id) on delete cascade,
		post_id bigint not null references post (id) on delete cascade,
		last_seen_comment_id bigint not null default 0,
		visited_at timestamptz not null default now(),
		primary key (user_id, post_id)
	)`,

	sql`create table poll (
		id bigint generated always as identity primary key,
		post_id bigint not null unique references post (id) on delete cascade,
		question text not null check (length(question) between 1 and 200),
		multiple boolean not null default false,
		closes_at timestamptz,
		created_at timestamptz not null default now()
	)`,
	sql`create table poll_option (
		id bigint generated always as identity primary key,
		poll_id bigint not null references poll (id) on delete cascade,
		label text not null check (length(label) between 1 and 120),
		position integer not null,
		unique (poll_id, position),
		unique (poll_id, id)
	)`,
	// The primary key is the "one ballot per member" rule; a ballot's choices hang off it.
	sql`create table poll_ballot (
		poll_id bigint not null references poll (id) on delete cascade,
		user_id bigint not null references app_user (id) on delete cascade,
		created_at timestamptz not null default now(),
		primary key (poll_id, user_id)
	)`,
	sql`create table poll_choice (
		poll_id bigint not null,
		user_id bigint not null,
		option_id bigint not null,
		primary key (poll_id, user_id, option_id),
		foreign key (poll_id, user_id) references poll_ballot (poll_id, user_id) on delete cascade,
		foreign key (poll_id, option_id) references poll_option (poll_id, id) on delete cascade
	)`,
	sql`create index poll_choice_option_idx on poll_choice (option_id)`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index if exists post_discussion_activity_idx`.execute(db);
	for (const table of [
		'poll_choice',
		'poll_ballot',
		'poll_option',
		'poll',
		'thread_visit',
		'comment_like',
		'discussion',
		'discussion_category'
	]) {
		await sql`drop table if exists ${sql.table(table)}`.execute(db);
	}
}
