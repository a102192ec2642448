import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import {
	anonymous,
	canGrantApiScope,
	canManageApiTokens,
	canUseApiScope,
	canUseCustomersApi,
	canUseStaffApi,
	type UserActor
} from './policy';

const user = (role: Role, suspendedUntil: Date | null = null): UserActor => ({
	kind: 'user',
	id: 7,
	handle: 'h',
	displayName: 'H',
	email: 'h@example.com',
	role,
	suspendedUntil
});
const tomorrow = new Date(Date.now() + 86_400_000);

describe('API token policy', () => {
	it('lets every signed-in member, suspended or not, manage their tokens', () => {
		expect(canManageApiTokens(anonymous)).toBe(false);
		expect(canManageApiTokens(user('member'))).toBe(true);
		expect(canManageApiTokens(user('member', tomorrow))).toBe(true);
	});

	it('grants the staff scope only to staff and admins', () => {
		expect(canGrantApiScope(user('member'), 'read')).toBe(true);
		expect(canGrantApiScope(user('member'), 'write')).toBe(true);
		expect(canGrantApiScope(user('member'), 'staff')).toBe(false);
		expect(canGrantApiScope(user('moderator'), 'staff')).toBe(false);
		expect(canGrantApiScope(user('staff'), 'staff')).toBe(true);
		expect(canGrantApiScope(user('admin'), 'staff')).toBe(true);
		expect(canGrantApiScope(anonymous, 'read')).toBe(false);
	});

	it('lets a token do what its scopes name, and a session or nobody only read', () => {
		expect(canUseApiScope({ kind: 'token', scopes: ['read'] }, 'write')).toBe(false);
		expect(canUseApiScope({ kind: 'token', scopes: ['write'] }, 'write')).toBe(true);
		expect(canUseApiScope({ kind: 'token', scopes: ['write'] }, 'read')).toBe(false);
		expect(canUseApiScope({ kind: 'token', scopes: ['read', 'staff'] }, 'staff')).toBe(true);
		expect(canUseApiScope({ kind: 'session' }, 'read')).toBe(true);
		expect(canUseApiScope({ kind: 'session' }, 'write')).toBe(false);
		expect(canUseApiScope({ kind: 'none' }, 'staff')).toBe(false);
	});

	it('keeps staff endpoints for staff who are not suspended', () => {
		expect(canUseStaffApi(user('member'))).toBe(false);
		expect(canUseStaffApi(user('moderator'))).toBe(false);
		expect(canUseStaffApi(user('staff'))).toBe(true);
		expect(canUseStaffApi(user('staff', tomorrow))).toBe(false);
		expect(canUseStaffApi(anonymous)).toBe(false);
	});

	it('opens the customer and company endpoints to staff and admins who are not suspended', () => {
		expect(canUseCustomersApi(user('member'))).toBe(false);
		expect(canUseCustomersApi(user('moderator'))).toBe(false);
		expect(canUseCustomersApi(user('staff'))).toBe(true);
		expect(canUseCustomersApi(user('admin'))).toBe(true);
		expect(canUseCustomersApi(user('staff', tomorrow))).toBe(false);
		expect(canUseCustomersApi(user('admin', tomorrow))).toBe(false);
		expect(canUseCustomersApi(anonymous)).toBe(false);
	});
});
