// The contract the customers, API and sign-on features share: a verified email address (company
// membership by email domain and single sign-on both rely on it) and survey answers (NPS and
// CSAT), which surveys write and the customer page, company page and insights read.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	sql`alter table app_user add column email_verified_at timestamptz`,

	// One row per answer; a member's NPS is their latest answer in a window (docs/metrics.md).
	sql`create table survey_response (
		id bigint generated always as identity primary key,
		user_id bigint not null references app_user (id) on delete cascade,
		kind text not null check (kind in ('nps', 'csat')),
		score smallint not null,
		reason text check (reason is null or length(reason) <= 1000),
		post_id bigint references post (id) on delete set null,
		created_at timestamptz not null default now(),
		check ((kind = 'nps' and score between 0 and 10) or (kind = 'csat' and score between 1 and 5))
	)`,
	sql`create index survey_response_user_idx on survey_response (user_id, kind, created_at desc)`,
	sql`create index survey_response_kind_idx on survey_response (kind, created_at)`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop table if exists survey_response`.execute(db);
	await sql`alter table app_user drop column if exists email_verified_at`.execute(db);
}
