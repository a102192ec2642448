// States that reviews, discussions, moderation and triage all read: whether a post or comment is
// visible (moderation hides it, or holds a new member's post for approval), whether a member is
// suspended, and what a notification tells beyond its post and comment.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	// 'visible' to everyone; 'pending' approval (only its author and moderators see it); 'hidden'
	// by moderation or by flags (its author sees it with the reason). Deleted stays deleted_at.
	sql`alter table post add column visibility text not null default 'visible'
		check (visibility in ('visible', 'pending', 'hidden'))`,
	sql`alter table post add column hidden_reason text`,
	sql`alter table comment add column visibility text not null default 'visible'
		check (visibility in ('visible', 'pending', 'hidden'))`,
	sql`alter table comment add column hidden_reason text`,

	// A suspended member can read and sees why, but cannot post, vote, flag or review.
	sql`alter table app_user add column suspended_until timestamptz`,
	sql`alter table app_user add column suspension_reason text`,

	// A snapshot of what the notification tells (a status change's names and message, a
	// moderation decision and its reason...), so the page and the mailer render it alone.
	sql`alter table notification add column data jsonb not null default '{}'`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`alter table notification drop column if exists data`.execute(db);
	await sql`alter table app_user drop column if exists suspension_reason`.execute(db);
	await sql`alter table app_user drop column if exists suspended_until`.execute(db);
	for (const table of ['comment', 'post']) {
		await sql`alter table ${sql.table(table)} drop column if exists hidden_reason`.execute(db);
		await sql`alter table ${sql.table(table)} drop column if exists visibility`.execute(db);
	}
}
