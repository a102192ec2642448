// The admin's full export: every table of content and configuration as one JSON document,
// written as a stream in chunks of rows, so the server never holds the whole site in memory.
// Never exported: password hashes, session and reset tokens, secrets (the site's and webhooks'),
// the mail outbox, rate-limit buckets and the job queue. Every table of the database is named
// in one of the two lists below; a test fails when a new table is in neither, so adding a table
// means deciding whether it leaves the site.
import { sql } from 'kysely';
import type { Db } from '../db';

/** Tables exported, with the columns left out of each. */
export const EXPORTED_TABLES: Record<string, readonly string[]> = {
	company: [],
	product: [],
	tag: [],
	idea_status: [],
	app_user: ['password_hash'],
	post: ['search'],
	post_tag: [],
	vote: [],
	comment: [],
	subscription: [],
	notification: [],
	status_change: [],
	activity: [],
	company_product: [],
	review: [],
	review_version: [],
	email_preference: [],
	discussion_category: [],
	discussion: [],
	comment_like: [],
	thread_visit: [],
	poll: [],
	poll_option: [],
	poll_ballot: [],
	poll_choice: [],
	idea_first_response: [],
	ship_notice: [],
	changelog_entry: [],
	changelog_entry_idea: [],
	site_setting: [],
	flag: [],
	survey_response: [],
	audit_log: [],
	webhook: ['secret'],
	import_record: [],
	survey_offer: [],
	api_token: ['token_hash'],
	oauth_account: [],
	challenge: [],
	challenge_winner: [],
	// Private support conversations: the export is the admins' copy of the whole site (admins read
	// these threads as staff anyway), and a move to a new server must not lose them.
	help_thread: [],
	help_message: [],
	help_event: [],
	testimonial: []
};

/** Tables never exported, and why. */
export const NOT_EXPORTED_TABLES: Record<string, string> = {
	user_session: 'session token hashes',
	password_reset: 'reset token hashes',
	email_verification: 'email confirmation token hashes',
	mail_outbox: 'the outbox: mail to people, with links that sign them in',
	mail_claim: 'job bookkeeping',
	app_secret: 'secrets',
	rate_limit: 'short-lived counters',
	webhook_event: 'delivery bookkeeping (payloads repeat exported content)',
	webhook_delivery: 'delivery bookkeeping',
	webhook_attempt: 'delivery bookkeeping',
	activity_user_week: 'a roll-up of activity (exported), rebuilt by insights_rebuild_rollups()',
	contributor_first_week: 'a roll-up of activity (exported), rebuilt by insights_rebuild_rollups()',
	contributor_week: 'a roll-up of activity (exported), rebuilt by insights_rebuild_rollups()',
	kysely_migration: 'schema bookkeeping',
	kysely_migration_lock: 'schema bookkeeping'
};

const CHUNK_ROWS = 500;

/** The public schema's tables, as the database has them. */
export async function listDatabaseTables(db: Db): Promise<string[]> {
	const result = await sql<{ name: string }>`
		select table_name as name from information_schema.tables
		where table_schema = 'public' and table_type = 'BASE TABLE'
		order by table_name`.execute(db);
	return result.rows.map((row) => row.name);
}

async function exportedColumns(db: Db, table: string, excluded: readonly string[]) {
	const result = await sql<{ name: string; type: string }>`
		select column_name as name, data_type as type from information_schema.columns
		where table_schema = 'public' and table_name = ${table}
		order by ordinal_position`.execute(db);
	return result.rows
		.filter((column) => !excluded.includes(column.name) && column.type !== 'tsvector')
		.map((column) => column.name);
}

async function primaryKey(db: Db, table: string): Promise<string[]> {
	const result = await sql<{ name: string }>`
		select a.attname as name
		from pg_index i
		join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
		where i.indrelid = ${table}::regclass and i.indisprimary
		order by array_position(i.indkey, a.attnum)`.execute(db);
	return result.rows.map((row) => row.name);
}

/**
 * Rows of one table, CHUNK_ROWS at a time: by `id` after the last one seen when the table has
 * one, otherwise in primary-key order by offset.
 */
async function* tableRows(db: Db, table: string): AsyncGenerator<Record<string, unknown>[]> {
	const columns = await exportedColumns(db, table, EXPORTED_TABLES[table] ?? []);
	const key = await primaryKey(db, table);
	const list = sql.join(columns.map((c) => sql.ref(c)));
	const order = sql.join((key.length > 0 ? key : columns).map((c) => sql.ref(c)));
	if (key.length === 1 && key[0] === 'id') {
		let after: unknown = null;
		for (;;) {
			const result = await sql<Record<string, unknown>>`
				select ${list} from ${sql.table(table)}
				where ${after === null ? sql`true` : sql`id > ${after}`}
				order by id limit ${CHUNK_ROWS}`.execute(db);
			if (result.rows.length === 0) {
				return;
			}
			yield result.rows;
			after = result.rows[result.rows.length - 1]!.id;
			if (result.rows.length < CHUNK_ROWS) {
				return;
			}
		}
	}
	for (let offset = 0; ; offset += CHUNK_ROWS) {
		const result = await sql<Record<string, unknown>>`
			select ${list} from ${sql.table(table)}
			order by ${order} limit ${CHUNK_ROWS} offset ${offset}`.execute(db);
		if (result.rows.length === 0) {
			return;
		}
		yield result.rows;
		if (result.rows.length < CHUNK_ROWS) {
			return;
		}
	}
}

/** The export's text, piece by piece (tests join it; the route streams it). */
export async function* exportSiteJson(
	db: Db,
	options: { siteName: string; now?: Date }
): AsyncGenerator<string> {
	const present = new Set(await listDatabaseTables(db));
	const header = {
		format: 'roundtable-export',
		version: 1,
		site: options.siteName,
		exported_at: (options.now ?? new Date()).toISOString(),
		omitted: NOT_EXPORTED_TABLES
	};
	yield `${JSON.stringify(header).slice(0, -1)},"tables":{`;
	let firstTable = true;
	for (const table of Object.keys(EXPORTED_TABLES)) {
		if (!present.has(table)) {
			continue;
		}
		yield `${firstTable ? '' : ','}\n${JSON.stringify(table)}:[`;
		firstTable = false;
		let firstRow = true;
		for await (const rows of tableRows(db, table)) {
			const text = rows.map((row) => `\n${JSON.stringify(row)}`).join(',');
			yield `${firstRow ? '' : ','}${text}`;
			firstRow = false;
		}
		yield ']';
	}
	yield '\n}}\n';
}

/** A web stream of the export, for a Response body. */
export function exportSiteStream(
	db: Db,
	options: { siteName: string }
): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	const pieces = exportSiteJson(db, options);
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			try {
				const next = await pieces.next();
				if (next.done) {
					controller.close();
				} else {
					controller.enqueue(encoder.encode(next.value));
				}
			} catch (error) {
				controller.error(error);
			}
		},
		async cancel() {
			await pieces.return(undefined);
		}
	});
}
