// Testimonials: staff invite a happy customer (a promoter, or the author of a 4–5 star review), the
// member writes a quote and consents to its publication, staff publish it. One row per invitation,
// which becomes the testimonial; consent is recorded with the exact text agreed to and its version,
// and withdrawing it takes the quote off every public place at once.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	sql`create table testimonial (
		id bigint generated always as identity primary key,
		user_id bigint not null references app_user (id) on delete cascade,
		status text not null default 'invited'
			check (status in ('invited', 'submitted', 'published', 'withdrawn')),
		-- The invitation: who asked, when, in what words, and why this member (a snapshot).
		invited_by_id bigint references app_user (id) on delete set null,
		invited_at timestamptz not null default now(),
		invitation_message text check (invitation_message is null or length(invitation_message) <= 1000),
		reason_kind text not null check (reason_kind in ('nps', 'review')),
		reason_score smallint not null check (reason_score between 0 and 10),
		reason_post_id bigint references post (id) on delete set null,
		-- What the member wrote (markdown source, and the one renderer's HTML).
		body_source text check (body_source is null or length(body_source) <= 2000),
		body_html text,
		product_id bigint references product (id) on delete set null,
		submitted_at timestamptz,
		updated_at timestamptz not null default now(),
		-- Consent to publication: when, which version of the wording, the exact text agreed to and
		-- what it said would be shown. Withdrawal keeps the record and stops publication.
		consent_at timestamptz,
		consent_version text,
		consent_text text,
		shown_name text,
		shown_company text,
		consent_withdrawn_at timestamptz,
		published_at timestamptz,
		published_by_id bigint references app_user (id) on delete set null,
		check ((status = 'invited') = (submitted_at is null)),
		check (status = 'invited' or (body_source is not null and body_html is not null)),
		check ((consent_at is null) = (consent_version is null)),
		check (consent_at is null or (consent_text is not null and shown_name is not null)),
		-- Published only with a consent that stands.
		check (status <> 'published'
			or (published_at is not null and consent_at is not null and consent_withdrawn_at is null)),
		check (status = 'published' or published_at is null)
	)`,
	sql`create index testimonial_user_idx on testimonial (user_id, invited_at desc)`,
	sql`create index testimonial_published_idx on testimonial (published_at desc)
		where status = 'published'`,
	sql`create index testimonial_status_idx on testimonial (status, updated_at desc)`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop table if exists testimonial`.execute(db);
}
