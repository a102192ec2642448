// Sessions as Lucia's guide teaches them: a random token in the cookie, only its SHA-256 in the
// database, a 30-day expiry that slides forward while the session is used.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import { sql } from 'kysely';
import type { Role } from '$lib/domain/roles';
import type { Db } from '../db';
import { config } from '../config';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME = 30 * DAY;
/** A session used with less than this left is extended to the full lifetime again. */
const RENEW_WITHIN = 15 * DAY;
export const SESSION_COOKIE = 'session';

export interface Session {
	id: string;
	userId: number;
	expiresAt: Date;
}

export interface SessionUser {
	id: number;
	email: string;
	handle: string;
	displayName: string;
	role: Role;
	/** Set while a moderator's suspension lasts; the member can read but not take part. */
	suspendedUntil: Date | null;
	/** The member's interface language, or null to follow the browser (src/lib/server/i18n.ts). */
	locale: string | null;
}

export type SessionValidation =
	| {
			session: Session;
			user: SessionUser;
			renewed: boolean;
			/** The header's badge, read in the same statement so a page costs one query less. */
			unreadNotifications: number;
	  }
	| { session: null; user: null; renewed: false; unreadNotifications?: never };

/** 160 random bits, base32-encoded. */
export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** What is stored for a token: its SHA-256, in hex. Also used for password-reset tokens. */
export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
	db: Db,
	token: string,
	userId: number,
	client: { ip?: string | null; userAgent?: string | null } = {}
): Promise<Session> {
	const session: Session = {
		id: hashToken(token),
		userId,
		expiresAt: new Date(Date.now() + SESSION_LIFETIME)
	};
	await db
		.insertInto('user_session')
		.values({
			id: session.id,
			user_id: userId,
			expires_at: session.expiresAt,
			ip: client.ip ?? null,
			user_agent: client.userAgent?.slice(0, 300) ?? null
		})
		.execute();
	return session;
}

export async function validateSessionToken(db: Db, token: string): Promise<SessionValidation> {
	const none = { session: null, user: null, renewed: false } as const;
	const sessionId = hashToken(token);
	const row = await db
		.selectFrom('user_session')
		.innerJoin('app_user', 'app_user.id', 'user_session.user_id')
		.select([
			'user_session.id',
			'user_session.user_id',
			'user_session.expires_at',
			'app_user.email',
			'app_user.handle',
			'app_user.display_name',
			'app_user.role',
			'app_user.suspended_until',
			'app_user.locale',
			sql<number>`(select count(*) from notification n
				where n.user_id = app_user.id and n.read_at is null)`.as('unread_notifications')
		])
		.where('user_session.id', '=', sessionId)
		.executeTakeFirst();
	if (!row) {
		return none;
	}
	const session: Session = { id: row.id, userId: row.user_id, expiresAt: row.expires_at };
	if (Date.now() >= session.expiresAt.getTime()) {
		await db.deleteFrom('user_session').where('id', '=', session.id).execute();
		return none;
	}
	let renewed = false;
	if (Date.now() >= session.expiresAt.getTime() - RENEW_WITHIN) {
		session.expiresAt = new Date(Date.now() + SESSION_LIFETIME);
		await db
			.updateTable('user_session')
			.set({ expires_at: session.expiresAt })
			.where('id', '=', session.id)
			.execute();
		renewed = true;
	}
	const user: SessionUser = {
		id: row.user_id,
		email: row.email,
		handle: row.handle,
		displayName: row.display_name,
		role: row.role,
		suspendedUntil: row.suspended_until,
		locale: row.locale
	};
	return { session, user, renewed, unreadNotifications: row.unread_notifications };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.deleteFrom('user_session').where('id', '=', sessionId).execute();
}

/** Ends every session of the user, or every one but `exceptSessionId`. */
export async function invalidateUserSessions(
	db: Db,
	userId: number,
	exceptSessionId?: string
): Promise<void> {
	let query = db.deleteFrom('user_session').where('user_id', '=', userId);
	if (exceptSessionId) {
		query = query.where('id', '!=', exceptSessionId);
	}
	await query.execute();
}

function isLoopback(hostname: string): boolean {
	return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
}

/** Secure over https, and always in production except on this machine's own loopback. */
export function secureCookie(url: URL): boolean {
	return url.protocol === 'https:' || (config().production && !isLoopback(url.hostname));
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		secure: secureCookie(url),
		expires: expiresAt,
		path: '/'
	});
}

export function deleteSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, {
		httpOnly: true,
		sameSite: 'lax',
		secure: secureCookie(url),
		path: '/'
	});
}

export interface SessionSummary {
	id: string;
	createdAt: Date;
	expiresAt: Date;
	ip: string | null;
	userAgent: string | null;
}

/** The user's live sessions, newest first, so they can see where they are signed in. */
export async function listUserSessions(db: Db, userId: number): Promise<SessionSummary[]> {
	return db
		.selectFrom('user_session')
		.select([
			'id',
			'created_at as createdAt',
			'expires_at as expiresAt',
			'ip',
			'user_agent as userAgent'
		])
		.where('user_id', '=', userId)
		.where('expires_at', '>', new Date())
		.orderBy('created_at', 'desc')
		.execute();
}
