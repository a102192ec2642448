// The customers and advocacy rules of policy.ts: one describe per rule, one case per role.
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '$lib/domain/roles';
import {
	anonymous,
	canAppearOnLeaderboard,
	canManageOwnAdvocacy,
	canViewCustomers,
	canViewLeaderboard,
	canViewOwnActivity,
	type UserActor
} from './policy';

function user(role: Role, id = 1): UserActor {
	return {
		kind: 'user',
		id,
		handle: `${role}_${id}`,
		displayName: role,
		email: `${id}@x.test`,
		role
	};
}

describe('canViewCustomers', () => {
	it.each([
		['member', false],
		['moderator', false],
		['staff', true],
		['admin', true]
	] as const)('%s → %s', (role, expected) => {
		expect(canViewCustomers(user(role))).toBe(expected);
	});
	it('denies anonymous visitors', () => {
		expect(canViewCustomers(anonymous)).toBe(false);
	});
});

describe('canViewLeaderboard', () => {
	it('is public', () => {
		expect(canViewLeaderboard(anonymous)).toBe(true);
		for (const role of ROLES) {
			expect(canViewLeaderboard(user(role))).toBe(true);
		}
	});
});

describe('canViewOwnActivity', () => {
	it('lets a person see only their own timeline, whatever their role', () => {
		for (const role of ROLES) {
			expect(canViewOwnActivity(user(role, 5), { id: 5 })).toBe(true);
			expect(canViewOwnActivity(user(role, 5), { id: 6 })).toBe(false);
		}
		expect(canViewOwnActivity(anonymous, { id: 5 })).toBe(false);
	});
});

describe('canManageOwnAdvocacy', () => {
	it('needs an account', () => {
		expect(canManageOwnAdvocacy(anonymous)).toBe(false);
		for (const role of ROLES) {
			expect(canManageOwnAdvocacy(user(role))).toBe(true);
		}
	});
});

describe('canAppearOnLeaderboard', () => {
	it.each([
		['member', false, true],
		['moderator', false, true],
		['staff', false, false],
		['admin', false, false],
		['member', true, false],
		['moderator', true, false]
	] as const)('%s, opted out %s → %s', (role, optedOut, expected) => {
		expect(canAppearOnLeaderboard({ role, optedOut })).toBe(expected);
	});
});
