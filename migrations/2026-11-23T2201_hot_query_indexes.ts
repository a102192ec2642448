// Indexes found by `npm run bench:plans` on the large data set (docs/performance.md, "Query plans
// of the hot queries"): each replaces a sequential scan of every post on a page that only needs a
// few of them.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	// The idea page lists the ideas merged into it (triage listMergedInto): few ideas are ever
	// merged, so only those are indexed.
	sql`create index post_merged_into_idx on post (merged_into_id) where merged_into_id is not null`,
	// The triage inbox and the status admin count the ideas in each status (listStatuses).
	sql`create index post_status_idx on post (status_id) where status_id is not null`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index if exists post_status_idx`.execute(db);
	await sql`drop index if exists post_merged_into_idx`.execute(db);
}
