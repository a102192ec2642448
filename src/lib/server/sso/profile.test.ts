import { describe, expect, it } from 'vitest';
import {
	claimIsTrue,
	displayNameFrom,
	githubIdentity,
	handleBase,
	handleCandidate,
	isValidHandle
} from './profile';

describe('handleBase', () => {
	it('uses the username, made valid', () => {
		expect(handleBase({ username: 'grace.hopper', name: 'Grace', email: null })).toBe(
			'grace_hopper'
		);
		expect(handleBase({ username: 'octo-cat', name: null, email: null })).toBe('octo_cat');
	});
	it('falls back to the name, then the email’s local part', () => {
		expect(handleBase({ username: null, name: 'José Núñez', email: 'x@y.z' })).toBe('Jose_Nunez');
		expect(handleBase({ username: ' ', name: null, email: 'ada.l@example.com' })).toBe('ada_l');
	});
	it('pads what is too short and cuts what is too long', () => {
		expect(handleBase({ username: 'al', name: null, email: null })).toBe('al_member');
		expect(handleBase({ username: '李', name: null, email: null })).toBe('member');
		expect(handleBase({ username: 'a'.repeat(50), name: null, email: null })).toBe('a'.repeat(30));
	});
	it('always gives a valid handle', () => {
		for (const username of ['__x__', '!!!', 'ok', 'Ünïcödé-Nämé', '-'.repeat(40), 'a b c d']) {
			expect(isValidHandle(handleBase({ username, name: null, email: null }))).toBe(true);
		}
	});
});

describe('handleCandidate', () => {
	it('numbers later candidates within 30 characters', () => {
		expect(handleCandidate('grace', 1)).toBe('grace');
		expect(handleCandidate('grace', 2)).toBe('grace_2');
		const long = 'g'.repeat(30);
		expect(handleCandidate(long, 12)).toBe(`${'g'.repeat(27)}_12`);
		expect(handleCandidate(long, 12)).toHaveLength(30);
	});
});

describe('displayNameFrom', () => {
	it('prefers the name, then the username, then the handle', () => {
		expect(displayNameFrom({ name: '  Grace   Hopper ', username: 'gh' }, 'h')).toBe(
			'Grace Hopper'
		);
		expect(displayNameFrom({ name: null, username: 'octocat' }, 'h')).toBe('octocat');
		expect(displayNameFrom({ name: '', username: null }, 'member_2')).toBe('member_2');
		expect(displayNameFrom({ name: 'x'.repeat(80), username: null }, 'h')).toHaveLength(60);
	});
});

describe('githubIdentity', () => {
	const user = { id: 1, login: 'octocat', name: 'The Octocat', email: 'public@example.org' };
	it('vouches for the primary address when GitHub verified it', () => {
		const identity = githubIdentity(user, [
			{ email: 'other@example.org', primary: false, verified: true },
			{ email: 'Main@Example.org', primary: true, verified: true }
		]);
		expect(identity).toEqual({
			issuer: 'https://github.com',
			subject: '1',
			email: 'main@example.org',
			emailVerified: true,
			username: 'octocat',
			name: 'The Octocat'
		});
	});
	it('keeps an unverified primary as unverified, even when another address is verified', () => {
		const identity = githubIdentity(user, [
			{ email: 'other@example.org', primary: false, verified: true },
			{ email: 'main@example.org', primary: true, verified: false }
		]);
		expect(identity).toMatchObject({ email: 'main@example.org', emailVerified: false });
	});
	it('falls back to the public address, unverified, when the email list is empty', () => {
		expect(githubIdentity(user, [])).toMatchObject({
			email: 'public@example.org',
			emailVerified: false
		});
		expect(githubIdentity({ ...user, email: null }, [])).toMatchObject({
			email: null,
			emailVerified: false
		});
	});
});

describe('claimIsTrue', () => {
	it('accepts true and "true" only', () => {
		expect(claimIsTrue(true)).toBe(true);
		expect(claimIsTrue('true')).toBe(true);
		for (const value of [false, 'false', 1, 'yes', undefined, null]) {
			expect(claimIsTrue(value)).toBe(false);
		}
	});
});
