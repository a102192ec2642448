// Foundation: accounts, sessions, password resets, the mail outbox, the audit log, rate-limit
// buckets, and the companies and products that accounts and demo data refer to.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	sql`create extension if not exists pg_trgm`,

	sql`create table company (
		id bigint generated always as identity primary key,
		name text not null check (length(name) between 1 and 120),
		slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
		email_domain text unique check (email_domain = lower(email_domain)),
		plan text,
		mrr numeric(14, 2) not null default 0 check (mrr >= 0),
		created_at timestamptz not null default now()
	)`,

	sql`create table product (
		id bigint generated always as identity primary key,
		name text not null check (length(name) between 1 and 80),
		slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
		description text not null default '',
		archived_at timestamptz,
		created_at timestamptz not null default now()
	)`,

	sql`create table app_user (
		id bigint generated always as identity primary key,
		email text not null unique check (email = lower(email) and position('@' in email) > 1),
		handle text not null check (handle ~ '^[A-Za-z0-9_]{3,30}$'),
		display_name text not null check (length(display_name) between 1 and 60),
		password_hash text not null,
		role text not null default 'member'
			check (role in ('member', 'moderator', 'staff', 'admin')),
		company_id bigint references company (id) on delete set null,
		created_at timestamptz not null default now(),
		password_changed_at timestamptz not null default now()
	)`,
	sql`create unique index app_user_handle_key on app_user (lower(handle))`,
	sql`create index app_user_company_idx on app_user (company_id)`,

	// Only the SHA-256 of a session token is stored: a leaked table cannot be replayed.
	sql`create table user_session (
		id text primary key,
		user_id bigint not null references app_user (id) on delete cascade,
		expires_at timestamptz not null,
		created_at timestamptz not null default now(),
		ip text,
		user_agent text
	)`,
	sql`create index user_session_user_idx on user_session (user_id)`,

	sql`create table password_reset (
		id text primary key,
		user_id bigint not null references app_user (id) on delete cascade,
		expires_at timestamptz not null,
		used_at timestamptz,
		created_at timestamptz not null default now()
	)`,
	sql`create index password_reset_user_idx on password_reset (user_id)`,

	sql`create table mail_outbox (
		id bigint generated always as identity primary key,
		recipient text not null,
		subject text not null,
		text_body text not null,
		created_at timestamptz not null default now()
	)`,

	// Append-only: actor and target are snapshots, not foreign keys, so history outlives rows.
	sql`create table audit_log (
		id bigint generated always as identity primary key,
		actor_id bigint,
		actor_handle text,
		action text not null,
		target_type text not null,
		target_id text not null,
		reason text,
		details jsonb not null default '{}',
		created_at timestamptz not null default now()
	)`,
	sql`create index audit_log_created_idx on audit_log (created_at desc)`,
	sql`create function audit_log_is_append_only() returns trigger language plpgsql as $$
		begin
			raise exception 'audit_log is append-only';
		end
	$$`,
	sql`create trigger audit_log_append_only before update or delete on audit_log
		for each row execute function audit_log_is_append_only()`,

	// The layout rate-limiter-flexible's PostgreSQL store expects.
	sql`create table rate_limit (
		key varchar(255) primary key,
		points integer not null default 0,
		expire bigint
	)`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'rate_limit',
		'audit_log',
		'mail_outbox',
		'password_reset',
		'user_session',
		'app_user',
		'product',
		'company'
	]) {
		await sql`drop table if exists ${sql.table(table)}`.execute(db);
	}
	await sql`drop function if exists audit_log_is_append_only()`.execute(db);
}
