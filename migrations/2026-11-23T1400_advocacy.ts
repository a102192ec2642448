// Advocacy: referral links (who brought whom) and the leaderboard opt-out. Points and badges are
// derived from the activity ledger, so they need no table of their own.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	// Made on first use (the settings page), random and unguessable; unique so a link names one member.
	sql`alter table app_user add column referral_code text unique`,
	sql`alter table app_user add column referred_by_id bigint references app_user (id) on delete set null`,
	sql`alter table app_user add column leaderboard_opt_out boolean not null default false`,
	sql`create index app_user_referred_by_idx on app_user (referred_by_id) where referred_by_id is not null`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`alter table app_user drop column if exists leaderboard_opt_out`.execute(db);
	await sql`alter table app_user drop column if exists referred_by_id`.execute(db);
	await sql`alter table app_user drop column if exists referral_code`.execute(db);
}
