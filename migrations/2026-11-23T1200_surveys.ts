// Survey offers: each time a member is asked a survey question (NPS, or CSAT about one post), so
// "at most once per interval" and "one CSAT per member and post" hold exactly, also when two tabs
// load or answer at once. The answers themselves are `survey_response` (the contract migration).
import { sql, type Kysely } from 'kysely';

const up_statements = [
	sql`create table survey_offer (
		id bigint generated always as identity primary key,
		user_id bigint not null references app_user (id) on delete cascade,
		kind text not null check (kind in ('nps', 'csat')),
		-- CSAT: what happened that the member is asked about; NPS: null.
		trigger text check (trigger in ('shipped', 'accepted_answer', 'official_answer')),
		post_id bigint references post (id) on delete cascade,
		offered_at timestamptz not null default now(),
		answered_at timestamptz,
		dismissed_at timestamptz,
		response_id bigint references survey_response (id) on delete set null,
		check ((kind = 'nps') = (post_id is null and trigger is null)),
		check (answered_at is null or dismissed_at is null)
	)`,
	// One CSAT offer per member and post, whatever triggered it and however often.
	sql`create unique index survey_offer_csat_key on survey_offer (user_id, post_id) where kind = 'csat'`,
	// At most one open NPS offer per member: two tabs loading at once cannot both ask.
	sql`create unique index survey_offer_nps_open_key on survey_offer (user_id)
		where kind = 'nps' and answered_at is null and dismissed_at is null`,
	sql`create index survey_offer_user_idx on survey_offer (user_id, kind, offered_at desc)`,
	sql`create index survey_offer_offered_idx on survey_offer (offered_at)`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop table if exists survey_offer`.execute(db);
}
