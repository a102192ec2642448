// Signed links in emails: one-click unsubscribe per event type, signed with the site's secret
// (APP_SECRET, or one generated once and kept in the database), plus the site's public address.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isUnsubscribeTopic, type UnsubscribeTopic } from '$lib/domain/email';
import { config } from '../config';
import type { Db } from '../db';

const SECRET_NAME = 'app_secret';
const secrets = new WeakMap<Db, string>();

/**
 * The signing secret: APP_SECRET when set; otherwise a random one generated on first use and
 * stored in `app_secret`, so every process of the site and every restart signs alike.
 */
export async function appSecret(db: Db): Promise<string> {
	const fromEnv = config().APP_SECRET;
	if (fromEnv) {
		return fromEnv;
	}
	const cached = secrets.get(db);
	if (cached) {
		return cached;
	}
	await db
		.insertInto('app_secret')
		.values({ name: SECRET_NAME, value: randomBytes(32).toString('base64url') })
		.onConflict((oc) => oc.column('name').doNothing())
		.execute();
	const row = await db
		.selectFrom('app_secret')
		.select('value')
		.where('name', '=', SECRET_NAME)
		.executeTakeFirstOrThrow();
	secrets.set(db, row.value);
	return row.value;
}

function signature(secret: string, userId: number, topic: UnsubscribeTopic): string {
	return createHmac('sha256', secret)
		.update(`roundtable:unsubscribe:v1:${userId}:${topic}`)
		.digest('base64url');
}

/** `<user id>.<topic>.<HMAC>`: URL-safe, names what it stops and for whom. */
export function signUnsubscribeToken(
	secret: string,
	userId: number,
	topic: UnsubscribeTopic
): string {
	return `${userId}.${topic}.${signature(secret, userId, topic)}`;
}

/** The user and topic of a genuine token; null for anything altered or malformed. */
export function verifyUnsubscribeToken(
	secret: string,
	token: string
): { userId: number; topic: UnsubscribeTopic } | null {
	const match = /^(\d{1,15})\.([a-z_]{1,40})\.([A-Za-z0-9_-]{43})$/.exec(token);
	if (!match) {
		return null;
	}
	const userId = Number(match[1]);
	const topic = match[2];
	if (!isUnsubscribeTopic(topic)) {
		return null;
	}
	const expected = Buffer.from(signature(secret, userId, topic));
	const given = Buffer.from(match[3]!);
	return expected.length === given.length && timingSafeEqual(expected, given)
		? { userId, topic }
		: null;
}

/** Where links in mail sent by the worker point: ORIGIN, else the local default. */
export function publicOrigin(): string {
	const origin = config().ORIGIN ?? `http://localhost:${process.env.PORT ?? '3000'}`;
	return origin.replace(/\/+$/, '');
}

export function unsubscribeUrl(token: string): string {
	return `${publicOrigin()}/unsubscribe/${token}`;
}

export function preferencesUrl(): string {
	return `${publicOrigin()}/settings/notifications`;
}
