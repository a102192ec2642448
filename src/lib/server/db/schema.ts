// The database as Kysely sees it; mirrors migrations/ (change both together).
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Role } from '$lib/domain/roles';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Id = Generated<number>;

export interface CompanyTable {
	id: Id;
	name: string;
	slug: string;
	email_domain: string | null;
	plan: string | null;
	mrr: ColumnType<number, number | undefined, number>;
	created_at: Timestamp;
}

export interface ProductTable {
	id: Id;
	name: string;
	slug: string;
	description: Generated<string>;
	archived_at: Date | null;
	created_at: Timestamp;
}

export interface AppUserTable {
	id: Id;
	email: string;
	handle: string;
	display_name: string;
	password_hash: string;
	role: ColumnType<Role, Role | undefined, Role>;
	company_id: number | null;
	created_at: Timestamp;
	password_changed_at: Timestamp;
}

export interface UserSessionTable {
	id: string;
	user_id: number;
	expires_at: ColumnType<Date, Date, Date>;
	created_at: Timestamp;
	ip: string | null;
	user_agent: string | null;
}

export interface PasswordResetTable {
	id: string;
	user_id: number;
	expires_at: ColumnType<Date, Date, Date>;
	used_at: Date | null;
	created_at: Timestamp;
}

export interface MailOutboxTable {
	id: Id;
	recipient: string;
	subject: string;
	text_body: string;
	created_at: Timestamp;
}

export interface AuditLogTable {
	id: Id;
	actor_id: number | null;
	actor_handle: string | null;
	action: string;
	target_type: string;
	target_id: string;
	reason: string | null;
	details: ColumnType<Record<string, unknown>, string | undefined, never>;
	created_at: Timestamp;
}

export interface RateLimitTable {
	key: string;
	points: number;
	expire: number | null;
}

export interface Database {
	company: CompanyTable;
	product: ProductTable;
	app_user: AppUserTable;
	user_session: UserSessionTable;
	password_reset: PasswordResetTable;
	mail_outbox: MailOutboxTable;
	audit_log: AuditLogTable;
	rate_limit: RateLimitTable;
}

export type User = Selectable<AppUserTable>;
export type NewUser = Insertable<AppUserTable>;
export type UserUpdate = Updateable<AppUserTable>;
export type Company = Selectable<CompanyTable>;
export type Product = Selectable<ProductTable>;
