// The customers rule the insights dashboard uses (canViewCustomers): one case per role.
import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import { anonymous, canViewCustomers, type UserActor } from './policy';

function user(role: Role, suspendedUntil: Date | null = null): UserActor {
	return {
		kind: 'user',
		id: 1,
		handle: `${role}_1`,
		displayName: role,
		email: `${role}1@example.com`,
		role,
		suspendedUntil
	};
}

describe('canViewCustomers', () => {
	it('lets staff and admins see customers and the insights', () => {
		expect(canViewCustomers(user('staff'))).toBe(true);
		expect(canViewCustomers(user('admin'))).toBe(true);
	});

	it('keeps moderators, members and anonymous visitors out', () => {
		expect(canViewCustomers(user('moderator'))).toBe(false);
		expect(canViewCustomers(user('member'))).toBe(false);
		expect(canViewCustomers(anonymous)).toBe(false);
	});
});
