// Single sign-on: identities at GitHub, Google or an OpenID Connect issuer, each linked to one
// member. Accounts made by a provider have no password until the member sets one (through
// "forgot password"), so the password becomes optional.
import { sql, type Kysely } from 'kysely';

const up_statements = [
	sql`alter table app_user alter column password_hash drop not null`,

	// An identity is the issuer's subject: the same `sub` at two issuers is two people, so a
	// changed OIDC_ISSUER never signs anyone into an account linked at the old one.
	sql`create table oauth_account (
		provider text not null check (provider in ('github', 'google', 'oidc')),
		issuer text not null check (length(issuer) between 1 and 500),
		provider_user_id text not null check (length(provider_user_id) between 1 and 255),
		user_id bigint not null references app_user (id) on delete cascade,
		email text check (email is null or length(email) <= 254),
		created_at timestamptz not null default now(),
		last_used_at timestamptz not null default now(),
		primary key (provider, issuer, provider_user_id)
	)`,
	// One identity per provider for each member (link another only after unlinking).
	sql`create unique index oauth_account_user_provider_idx on oauth_account (user_id, provider, issuer)`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop table if exists oauth_account`.execute(db);
	// Accounts without a password get an unusable one back, so the column can be required again.
	await sql`update app_user set password_hash = '!' where password_hash is null`.execute(db);
	await sql`alter table app_user alter column password_hash set not null`.execute(db);
}
