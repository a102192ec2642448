// Companies and verified email: the single-use links that prove a member reads mail at their
// address (only the SHA-256 of a link's token is stored, as for password resets), and the queue
// that mails them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	await sql`create table email_verification (
		id text primary key,
		user_id bigint not null references app_user (id) on delete cascade,
		email text not null,
		expires_at timestamptz not null,
		used_at timestamptz,
		created_at timestamptz not null default now()
	)`.execute(db);
	await sql`create index email_verification_user_idx on email_verification (user_id)`.execute(db);

	// Same retry policy as the password-reset mail (migration 2026-11-23T0900_jobs_email).
	const options = JSON.stringify({
		policy: 'standard',
		retryLimit: 6,
		retryDelay: 30,
		retryBackoff: true,
		expireInSeconds: 15 * 60,
		retentionMinutes: 7 * 24 * 60
	});
	await sql`select pgboss.create_queue('verify-email', ${options}::json)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`select pgboss.delete_queue('verify-email')`.execute(db);
	await sql`drop table if exists email_verification`.execute(db);
}
