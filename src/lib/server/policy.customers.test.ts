import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import { anonymous, canManageCompanies, canViewCustomers, type UserActor } from './policy';

function user(role: Role, suspendedUntil: Date | null = null): UserActor {
	return {
		kind: 'user',
		id: 1,
		handle: 'someone',
		displayName: 'Someone',
		email: 'someone@example.com',
		role,
		suspendedUntil
	};
}

describe('canViewCustomers', () => {
	it.each([
		['member', false],
		['moderator', false],
		['staff', true],
		['admin', true]
	] as const)('%s → %s', (role, allowed) => {
		expect(canViewCustomers(user(role))).toBe(allowed);
	});
	it('denies anonymous visitors', () => {
		expect(canViewCustomers(anonymous)).toBe(false);
	});
});

describe('canManageCompanies', () => {
	it.each([
		['member', false],
		['moderator', false],
		['staff', false],
		['admin', true]
	] as const)('%s → %s', (role, allowed) => {
		expect(canManageCompanies(user(role))).toBe(allowed);
	});
	it('denies a suspended admin and anonymous visitors', () => {
		expect(canManageCompanies(user('admin', new Date(Date.now() + 60_000)))).toBe(false);
		expect(canManageCompanies(anonymous)).toBe(false);
	});
});
