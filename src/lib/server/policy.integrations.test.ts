import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import { anonymous, canExportSite, canImport, canManageWebhooks, type UserActor } from './policy';

function user(role: Role, suspendedUntil: Date | null = null): UserActor {
	return {
		kind: 'user',
		id: 7,
		handle: 'someone',
		displayName: 'Someone',
		email: 'someone@example.com',
		role,
		suspendedUntil
	};
}

const rules = { canManageWebhooks, canImport, canExportSite };

describe.each(Object.entries(rules))('%s', (_name, rule) => {
	it('allows admins only', () => {
		expect(rule(user('admin'))).toBe(true);
		expect(rule(user('staff'))).toBe(false);
		expect(rule(user('moderator'))).toBe(false);
		expect(rule(user('member'))).toBe(false);
		expect(rule(anonymous)).toBe(false);
	});

	it('refuses a suspended admin, and allows one whose suspension has ended', () => {
		expect(rule(user('admin', new Date(Date.now() + 60_000)))).toBe(false);
		expect(rule(user('admin', new Date(Date.now() - 60_000)))).toBe(true);
	});
});
