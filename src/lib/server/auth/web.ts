// Signing a person in and out of this browser: the session row plus its cookie.
import type { RequestEvent } from '@sveltejs/kit';
import { getDb } from '../db/app';
import { clientInfo } from '../http';
import {
	createSession,
	deleteSessionCookie,
	generateSessionToken,
	invalidateSession,
	setSessionCookie
} from './session';

/** A new session on every sign-in: a token from before (say, planted by someone) is never reused. */
export async function startSession(event: RequestEvent, userId: number): Promise<void> {
	const token = generateSessionToken();
	const session = await createSession(getDb(), token, userId, clientInfo(event));
	setSessionCookie(event.cookies, event.url, token, session.expiresAt);
}

export async function endSession(event: RequestEvent): Promise<void> {
	if (event.locals.sessionId) {
		await invalidateSession(getDb(), event.locals.sessionId);
	}
	deleteSessionCookie(event.cookies, event.url);
}
