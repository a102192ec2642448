// Mail is sent at least once, not at most once: a claim records which job attempt holds it and
// when it was sent, so a re-run of a job whose worker died can take its unsent claim over (see
// src/lib/server/email/mailer.ts). Mail jobs expire after 5 minutes instead of 15, so a job held
// by a dead worker runs again sooner (a send gives up well within that: see src/lib/server/mail).
import { sql, type Kysely } from 'kysely';

const MAIL_QUEUES = ['notification-email', 'password-reset-email', 'digest-email', 'verify-email'];

export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table mail_claim
		add column job_id text,
		add column attempt integer not null default 0,
		add column claimed_at timestamptz not null default now(),
		add column sent_at timestamptz`.execute(db);
	// Claims from before were taken just before sending: count them as sent.
	await sql`update mail_claim set sent_at = created_at, claimed_at = created_at`.execute(db);
	await sql`update pgboss.queue set expire_seconds = 300 where name = any(${MAIL_QUEUES})`.execute(
		db
	);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`update pgboss.queue set expire_seconds = 900 where name = any(${MAIL_QUEUES})`.execute(
		db
	);
	await sql`alter table mail_claim
		drop column job_id, drop column attempt, drop column claimed_at, drop column sent_at`.execute(db);
}
