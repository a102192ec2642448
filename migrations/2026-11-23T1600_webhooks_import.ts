// Webhooks (endpoints, the events they were sent, one row per delivery attempt) and the import
// ledger that makes re-importing the same export a no-op.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	// Deliveries are jobs: our own backoff schedule enqueues the next attempt, so the queue
	// itself retries only a crashed handler (twice, a minute apart).
	const options = JSON.stringify({
		policy: 'standard',
		retryLimit: 2,
		retryDelay: 60,
		retryBackoff: false,
		expireInSeconds: 5 * 60,
		retentionMinutes: 7 * 24 * 60
	});
	await sql`select pgboss.create_queue('webhook-delivery', ${options}::json)`.execute(db);

	// The secret signs deliveries, so it is kept as given (an HMAC key cannot be a hash).
	await sql`create table webhook (
		id bigint generated always as identity primary key,
		url text not null check (length(url) <= 2000),
		description text not null default '' check (length(description) <= 200),
		secret text not null check (length(secret) between 16 and 200),
		events text[] not null,
		enabled boolean not null default true,
		created_by_id bigint references app_user (id) on delete set null,
		created_at timestamptz not null default now(),
		updated_at timestamptz not null default now()
	)`.execute(db);

	// One event, one id: a redelivery sends the same id so receivers can drop duplicates.
	await sql`create table webhook_event (
		id uuid primary key,
		type text not null,
		payload jsonb not null,
		created_at timestamptz not null default now()
	)`.execute(db);

	// One event for one webhook; `state` follows its attempts.
	await sql`create table webhook_delivery (
		id bigint generated always as identity primary key,
		webhook_id bigint not null references webhook (id) on delete cascade,
		event_id uuid not null references webhook_event (id) on delete cascade,
		state text not null default 'pending' check (state in ('pending', 'succeeded', 'failed')),
		attempts int not null default 0,
		next_attempt_at timestamptz,
		created_at timestamptz not null default now(),
		updated_at timestamptz not null default now()
	)`.execute(db);
	await sql`create index webhook_delivery_webhook_idx on webhook_delivery (webhook_id, id desc)`.execute(
		db
	);

	// The log: every attempt, what came back and how long it took.
	await sql`create table webhook_attempt (
		id bigint generated always as identity primary key,
		delivery_id bigint not null references webhook_delivery (id) on delete cascade,
		attempt int not null,
		status_code int,
		duration_ms int not null,
		error text,
		response_body text,
		created_at timestamptz not null default now()
	)`.execute(db);
	await sql`create index webhook_attempt_delivery_idx on webhook_attempt (delivery_id, id)`.execute(
		db
	);

	// What an import created, keyed by where it came from: a second run of the same file finds
	// every key and creates nothing.
	await sql`create table import_record (
		source text not null,
		external_key text not null,
		entity text not null check (entity in ('idea', 'vote', 'comment', 'user')),
		entity_id bigint not null,
		created_by_id bigint references app_user (id) on delete set null,
		created_at timestamptz not null default now(),
		primary key (source, external_key)
	)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop table if exists import_record`.execute(db);
	await sql`drop table if exists webhook_attempt`.execute(db);
	await sql`drop table if exists webhook_delivery`.execute(db);
	await sql`drop table if exists webhook_event`.execute(db);
	await sql`drop table if exists webhook`.execute(db);
	await sql`select pgboss.delete_queue('webhook-delivery')`.execute(db);
}
