import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cookies } from '@sveltejs/kit';
import { config, readConfig, setConfig, type Config } from '../config';
import {
	SESSION_COOKIE,
	SESSION_LIFETIME,
	deleteSessionCookie,
	generateSessionToken,
	hashToken,
	setSessionCookie
} from './session';

const BASE32 = /^[a-z2-7]+$/;

describe('generateSessionToken', () => {
	it('carries at least 128 random bits in lower-case base32', () => {
		const token = generateSessionToken();
		expect(token).toMatch(BASE32);
		// Each base32 character carries 5 bits.
		expect(token.length * 5).toBeGreaterThanOrEqual(128);
	});

	it('never repeats a token', () => {
		const tokens = new Set(Array.from({ length: 2000 }, generateSessionToken));
		expect(tokens.size).toBe(2000);
	});

	it('uses the whole alphabet, as random bytes would', () => {
		const seen = new Set(Array.from({ length: 200 }, generateSessionToken).join(''));
		expect(seen.size).toBe(32);
	});
});

describe('hashToken', () => {
	it('is the SHA-256 of the token in lower-case hex', () => {
		// The NIST test vector for "abc".
		expect(hashToken('abc')).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
	});

	it('gives the same id for the same token and different ids for different tokens', () => {
		const token = generateSessionToken();
		expect(hashToken(token)).toBe(hashToken(token));
		expect(hashToken(token)).not.toBe(hashToken(generateSessionToken()));
		expect(hashToken(token)).not.toContain(token);
	});
});

interface CookieCall {
	name: string;
	value?: string;
	options: Parameters<Cookies['set']>[2];
}

function recordingCookies(): { cookies: Cookies; set: CookieCall[]; deleted: CookieCall[] } {
	const set: CookieCall[] = [];
	const deleted: CookieCall[] = [];
	const cookies = {
		set: (name: string, value: string, options: CookieCall['options']) =>
			set.push({ name, value, options }),
		delete: (name: string, options: CookieCall['options']) => deleted.push({ name, options })
	} as unknown as Cookies;
	return { cookies, set, deleted };
}

describe('session cookie', () => {
	let previous: Config;
	beforeEach(() => {
		previous = config();
	});
	afterEach(() => {
		setConfig(previous);
	});

	function useEnvironment(NODE_ENV: string) {
		setConfig(readConfig({ NODE_ENV }));
	}

	it('is HttpOnly, SameSite=Lax, site-wide and expires with the session', () => {
		useEnvironment('development');
		const { cookies, set } = recordingCookies();
		const expiresAt = new Date(Date.now() + SESSION_LIFETIME);
		setSessionCookie(cookies, new URL('https://feedback.example.com/login'), 'tok', expiresAt);
		expect(set).toEqual([
			{
				name: SESSION_COOKIE,
				value: 'tok',
				options: { httpOnly: true, sameSite: 'lax', secure: true, expires: expiresAt, path: '/' }
			}
		]);
	});

	it('is Secure in production even when the request arrived over plain http', () => {
		useEnvironment('production');
		const { cookies, set } = recordingCookies();
		setSessionCookie(cookies, new URL('http://feedback.example.com/login'), 'tok', new Date());
		expect(set[0]!.options.secure).toBe(true);
	});

	it('is not Secure in production on this machine’s loopback, so a local start can sign in', () => {
		useEnvironment('production');
		for (const origin of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
			const { cookies, set } = recordingCookies();
			setSessionCookie(cookies, new URL(`${origin}/login`), 'tok', new Date());
			expect(set[0]!.options.secure, origin).toBe(false);
		}
	});

	it('is not Secure in development over http', () => {
		useEnvironment('development');
		const { cookies, set } = recordingCookies();
		setSessionCookie(cookies, new URL('http://feedback.example.com/login'), 'tok', new Date());
		expect(set[0]!.options.secure).toBe(false);
	});

	it('is deleted with the same attributes it was set with', () => {
		useEnvironment('production');
		const { cookies, deleted } = recordingCookies();
		deleteSessionCookie(cookies, new URL('http://feedback.example.com/logout'));
		expect(deleted).toEqual([
			{
				name: SESSION_COOKIE,
				options: { httpOnly: true, sameSite: 'lax', secure: true, path: '/' }
			}
		]);
	});
});
