// Jobs and email: pg-boss's own schema and our queues (so jobs can be enqueued in the same
// transaction as the act, before any worker has started), members' email preferences, the
// claims that keep a retried job from mailing twice, and the generated signing secret.
import { sql, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';

/** Queues and their retry policy; the worker (src/lib/server/jobs) names the same queues. */
const queues: { name: string; retryLimit: number; retryDelay: number }[] = [
	// Mail: 6 retries from 30 s doubling (30 s, 1 min, 2 min ... 16 min): about half an hour.
	{ name: 'notification-email', retryLimit: 6, retryDelay: 30 },
	{ name: 'password-reset-email', retryLimit: 6, retryDelay: 30 },
	{ name: 'digest-email', retryLimit: 6, retryDelay: 60 },
	// Scheduled: a missed run is made up by the next one.
	{ name: 'digest-weekly', retryLimit: 2, retryDelay: 60 },
	{ name: 'rate-limit-purge', retryLimit: 0, retryDelay: 0 }
];

/**
 * pg-boss's construction script wraps itself in BEGIN/COMMIT with an advisory lock. The migrator
 * already runs this migration in a transaction under its own lock, so the script's outer
 * BEGIN/COMMIT come off (a COMMIT here would end the migrator's transaction).
 */
function constructionScript(): string {
	const script = PgBoss.getConstructionPlans('pgboss').trim();
	if (!script.startsWith('BEGIN;') || !script.endsWith('COMMIT;')) {
		throw new Error('pg-boss construction plan changed shape; review this migration');
	}
	return script.slice('BEGIN;'.length, -'COMMIT;'.length);
}

export async function up(db: Kysely<any>): Promise<void> {
	await sql.raw(constructionScript()).execute(db);
	for (const queue of queues) {
		const options = JSON.stringify({
			policy: 'standard',
			retryLimit: queue.retryLimit,
			retryDelay: queue.retryDelay,
			retryBackoff: queue.retryDelay > 0,
			// A handler that runs this long is presumed dead and its job retried.
			expireInSeconds: 15 * 60,
			// Finished jobs are archived after a week, then deleted by pg-boss's maintenance.
			retentionMinutes: 7 * 24 * 60
		});
		await sql`select pgboss.create_queue(${queue.name}, ${options}::json)`.execute(db);
	}

	// One row per event type a member changed from its default (see EMAIL_EVENTS); 'digest' is
	// the weekly digest. Absent rows mean the default, so new event types need no backfill.
	await sql`create table email_preference (
		user_id bigint not null references app_user (id) on delete cascade,
		event text not null check (event ~ '^[a-z_]{1,40}$'),
		enabled boolean not null,
		updated_at timestamptz not null default now(),
		primary key (user_id, event)
	)`.execute(db);

	// A mail is claimed here before it is sent: a retried or duplicated job finds the claim and
	// sends nothing. Keys: 'notification:<id>', 'digest:<user>:<week>', 'reset:<reset id>'.
	await sql`create table mail_claim (
		key text primary key,
		created_at timestamptz not null default now()
	)`.execute(db);

	// Secrets the site generates for itself when the environment gives none (APP_SECRET).
	await sql`create table app_secret (
		name text primary key,
		value text not null,
		created_at timestamptz not null default now()
	)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop table if exists app_secret`.execute(db);
	await sql`drop table if exists mail_claim`.execute(db);
	await sql`drop table if exists email_preference`.execute(db);
	await sql`drop schema if exists pgboss cascade`.execute(db);
}
