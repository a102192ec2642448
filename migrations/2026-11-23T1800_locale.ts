// Each member's chosen interface language (docs/i18n.md). Null means "follow my browser". Which
// codes are valid is the app's list of shipped languages, checked where the setting is saved, so
// shipping a language needs no migration.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table app_user add column locale text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`alter table app_user drop column if exists locale`.execute(db);
}
