import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import {
	anonymous,
	canAdminister,
	canChangeRole,
	canListUsers,
	canManageOwnAccount,
	canReadOutbox,
	canSignIn,
	canSignUp,
	type Actor,
	type UserActor
} from './policy';

function user(role: Role, id = 1): UserActor {
	return {
		kind: 'user',
		id,
		handle: `${role}_${id}`,
		displayName: role,
		email: `${role}${id}@example.com`,
		role
	};
}

const actors: Record<'anonymous' | Role, Actor> = {
	anonymous,
	member: user('member', 11),
	moderator: user('moderator', 12),
	staff: user('staff', 13),
	admin: user('admin', 14)
};

type Who = keyof typeof actors;

/** One case per role: `expected` says which actors the rule lets through. */
function eachRole(allowed: Who[], rule: (actor: Actor) => boolean) {
	it.each(Object.keys(actors) as Who[])('%s', (who) => {
		expect(rule(actors[who])).toBe(allowed.includes(who));
	});
}

describe('canSignUp', () => {
	eachRole(['anonymous'], canSignUp);
});

describe('canSignIn', () => {
	eachRole(['anonymous'], canSignIn);
});

describe('canManageOwnAccount', () => {
	eachRole(['member', 'moderator', 'staff', 'admin'], canManageOwnAccount);
});

describe('canAdminister', () => {
	eachRole(['admin'], canAdminister);
});

describe('canListUsers', () => {
	eachRole(['admin'], canListUsers);
});

describe('canReadOutbox', () => {
	eachRole(['admin'], canReadOutbox);
});

describe('canChangeRole (of another user)', () => {
	const someoneElse = { id: 99 };
	eachRole(['admin'], (actor) => canChangeRole(actor, someoneElse, 'staff'));
});

describe('canChangeRole (of oneself)', () => {
	// Nobody changes their own role, so the site never loses its last admin by accident.
	eachRole([], (actor) =>
		canChangeRole(actor, { id: actor.kind === 'user' ? actor.id : 0 }, 'member')
	);

	it('refuses an admin demoting themself even to each lower role', () => {
		const admin = user('admin', 14);
		for (const role of ['member', 'moderator', 'staff', 'admin'] as const) {
			expect(canChangeRole(admin, { id: 14 }, role), role).toBe(false);
		}
	});
});
