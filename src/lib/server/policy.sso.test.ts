// The single sign-on rules of policy.ts: one describe per rule.
import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import {
	anonymous,
	canLinkProvider,
	canSignInWithProvider,
	canUnlinkProvider,
	type UserActor
} from './policy';

function user(role: Role, id = 1, suspendedUntil: Date | null = null): UserActor {
	return {
		kind: 'user',
		id,
		handle: `${role}_${id}`,
		displayName: role,
		email: `${role}${id}@example.com`,
		role,
		suspendedUntil
	};
}

const suspended = user('member', 1, new Date(Date.now() + 86_400_000));

describe('canSignInWithProvider', () => {
	it('is for visitors who are not signed in', () => {
		expect(canSignInWithProvider(anonymous)).toBe(true);
		expect(canSignInWithProvider(user('member'))).toBe(false);
		expect(canSignInWithProvider(user('admin'))).toBe(false);
	});
});

describe('canLinkProvider', () => {
	it('lets every signed-in member link, suspended or not', () => {
		expect(canLinkProvider(anonymous)).toBe(false);
		expect(canLinkProvider(user('member'))).toBe(true);
		expect(canLinkProvider(suspended)).toBe(true);
		expect(canLinkProvider(user('admin'))).toBe(true);
	});
});

describe('canUnlinkProvider', () => {
	const owner = user('member', 1);
	it('allows it while a password remains', () => {
		expect(canUnlinkProvider(owner, { ownerId: 1, hasPassword: true, otherIdentities: 0 })).toBe(
			true
		);
	});
	it('allows it while another identity remains', () => {
		expect(canUnlinkProvider(owner, { ownerId: 1, hasPassword: false, otherIdentities: 1 })).toBe(
			true
		);
	});
	it('refuses to remove the last way to sign in', () => {
		expect(canUnlinkProvider(owner, { ownerId: 1, hasPassword: false, otherIdentities: 0 })).toBe(
			false
		);
	});
	it("refuses someone else's identity, even to an admin, and anonymous visitors", () => {
		const methods = { ownerId: 1, hasPassword: true, otherIdentities: 1 };
		expect(canUnlinkProvider(user('admin', 2), methods)).toBe(false);
		expect(canUnlinkProvider(anonymous, methods)).toBe(false);
	});
	it('lets a suspended member manage their own sign-in methods', () => {
		expect(
			canUnlinkProvider(suspended, { ownerId: 1, hasPassword: true, otherIdentities: 0 })
		).toBe(true);
	});
});
