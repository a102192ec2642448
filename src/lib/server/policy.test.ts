import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import {
	anonymous,
	canAdminister,
	canChangeRole,
	canComment,
	canDeleteComment,
	canDeleteIdea,
	canEditComment,
	canEditIdea,
	canFollow,
	canManageCatalog,
	canParticipate,
	canPostIdea,
	canReadNotifications,
	canViewDeletedIdea,
	canVote,
	isOfficialVoice,
	isSuspended,
	type IdeaFacts,
	canListUsers,
	canManageOwnAccount,
	canReadOutbox,
	canSignIn,
	canSignUp,
	type Actor,
	type UserActor
} from './policy';
import {
	canManageChangelog,
	canManageRoadmap,
	canViewChangelogEntry,
	canViewRoadmap
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

// Ideas ---------------------------------------------------------------------------------------

const HOUR = 60 * 60 * 1000;
const posted = new Date('2026-11-20T10:00:00Z');

function idea(overrides: Partial<IdeaFacts> = {}): IdeaFacts {
	return {
		authorId: actors.member.kind === 'user' ? actors.member.id : 0,
		createdAt: posted,
		deleted: false,
		merged: false,
		statusCategory: 'open',
		otherVotes: 0,
		...overrides
	};
}

describe('canPostIdea', () => {
	eachRole(['member', 'moderator', 'staff', 'admin'], canPostIdea);
});

describe('canViewDeletedIdea', () => {
	eachRole(['staff', 'admin'], canViewDeletedIdea);
});

describe('canEditIdea', () => {
	const later = new Date(posted.getTime() + 2 * HOUR);
	describe('an idea only its author voted for, two hours on', () => {
		eachRole(['member', 'staff', 'admin'], (actor) => canEditIdea(actor, idea(), later));
	});
	describe('an idea others voted for, within the hour', () => {
		const soon = new Date(posted.getTime() + 30 * 60 * 1000);
		eachRole(['member', 'staff', 'admin'], (actor) =>
			canEditIdea(actor, idea({ otherVotes: 3 }), soon)
		);
	});
	describe('an idea others voted for, two hours on', () => {
		eachRole(['staff', 'admin'], (actor) => canEditIdea(actor, idea({ otherVotes: 3 }), later));
	});
	describe('a deleted idea', () => {
		eachRole([], (actor) => canEditIdea(actor, idea({ deleted: true }), later));
	});
	it('refuses another member', () => {
		expect(canEditIdea(user('member', 99), idea(), posted)).toBe(false);
	});
});

describe('canDeleteIdea', () => {
	describe('their own idea', () => {
		eachRole(['member'], (actor) => canDeleteIdea(actor, idea()));
	});
	it('refuses an idea already deleted', () => {
		expect(canDeleteIdea(actors.member, idea({ deleted: true }))).toBe(false);
	});
});

describe('canVote', () => {
	describe('an open idea', () => {
		eachRole(['member', 'moderator', 'staff', 'admin'], (actor) => canVote(actor, idea()));
	});
	for (const closed of [
		{ statusCategory: 'done' as const },
		{ statusCategory: 'closed' as const },
		{ merged: true },
		{ deleted: true }
	]) {
		describe(`an idea that is ${JSON.stringify(closed)}`, () => {
			eachRole([], (actor) => canVote(actor, idea(closed)));
		});
	}
	describe('an idea planned or in progress still takes votes', () => {
		eachRole(['member', 'moderator', 'staff', 'admin'], (actor) =>
			canVote(actor, idea({ statusCategory: 'in_progress' }))
		);
	});
});

describe('canComment', () => {
	eachRole(['member', 'moderator', 'staff', 'admin'], (actor) =>
		canComment(actor, { deleted: false })
	);
	it('refuses a deleted post', () => {
		expect(canComment(actors.admin, { deleted: true })).toBe(false);
	});
});

describe('isOfficialVoice', () => {
	eachRole(['staff', 'admin'], isOfficialVoice);
});

describe('canEditComment and canDeleteComment', () => {
	const own = { authorId: actors.member.kind === 'user' ? actors.member.id : 0, deleted: false };
	describe('edit their own comment', () => {
		eachRole(['member'], (actor) => canEditComment(actor, own));
	});
	describe('delete their own comment', () => {
		eachRole(['member'], (actor) => canDeleteComment(actor, own));
	});
	it('refuses a deleted comment', () => {
		expect(canEditComment(actors.member, { ...own, deleted: true })).toBe(false);
	});
});

describe('canFollow', () => {
	eachRole(['member', 'moderator', 'staff', 'admin'], canFollow);
});

describe('canReadNotifications', () => {
	eachRole(['member', 'moderator', 'staff', 'admin'], canReadNotifications);
});

describe('canManageCatalog', () => {
	eachRole(['admin'], canManageCatalog);
});

describe('suspension', () => {
	const now = new Date('2026-11-23T12:00:00Z');
	const suspended: UserActor = {
		...user('member', 9),
		suspendedUntil: new Date('2026-11-30T00:00:00Z')
	};
	const lapsed: UserActor = {
		...user('member', 9),
		suspendedUntil: new Date('2026-11-01T00:00:00Z')
	};
	const idea = { deleted: false, merged: false, statusCategory: 'open' as const };

	it('a suspended member cannot take part until the date passes', () => {
		expect(isSuspended(suspended, now)).toBe(true);
		expect(canParticipate(suspended, now)).toBe(false);
		expect(isSuspended(lapsed, now)).toBe(false);
		expect(canParticipate(lapsed, now)).toBe(true);
		expect(canParticipate(anonymous, now)).toBe(false);
	});

	it('suspension stops posting, voting and commenting', () => {
		expect(canPostIdea(suspended)).toBe(false);
		expect(canVote(suspended, idea)).toBe(false);
		expect(canComment(suspended, { deleted: false })).toBe(false);
		expect(canPostIdea(user('member'))).toBe(true);
	});
});

// Roadmap and changelog -----------------------------------------------------------------------

describe('canViewRoadmap', () => {
	eachRole(['anonymous', 'member', 'moderator', 'staff', 'admin'], canViewRoadmap);
});

describe('canManageRoadmap', () => {
	eachRole(['staff', 'admin'], canManageRoadmap);
});

describe('canManageChangelog', () => {
	eachRole(['staff', 'admin'], canManageChangelog);
});

describe('canViewChangelogEntry', () => {
	describe('a published entry', () => {
		eachRole(['anonymous', 'member', 'moderator', 'staff', 'admin'], (actor) =>
			canViewChangelogEntry(actor, { published: true })
		);
	});
	describe('a draft', () => {
		eachRole(['staff', 'admin'], (actor) => canViewChangelogEntry(actor, { published: false }));
	});
});
