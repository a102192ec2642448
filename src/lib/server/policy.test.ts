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
	canAssignIdea,
	canBeNotifiedOfComment,
	canChangeIdeaStatus,
	canManageStatuses,
	canMergeIdeas,
	canOwnIdeas,
	canSeeVoteRecorder,
	canTriage,
	canViewComment,
	canVoteOnBehalf,
	canWriteInternalNote,
	type Actor,
	type UserActor
} from './policy';
// Email (own import, to keep merges of the list above simple).
import { canManageEmailPreferences, canReceiveEmailAbout, canUnsubscribeWithToken } from './policy';
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
		challenge: null,
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
	const idea = { deleted: false, merged: false, statusCategory: 'open' as const, challenge: null };

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

describe('email', () => {
	const member = { id: 1, role: 'member' as const };
	const moderator = { id: 2, role: 'moderator' as const };
	const staff = { id: 3, role: 'staff' as const };
	const visible = {
		postDeleted: false,
		postVisibility: 'visible' as const,
		postAuthorId: 9,
		comment: { deleted: false, visibility: 'visible' as const, internal: false, authorId: 8 }
	};

	it('lets every signed-in member, suspended too, manage their email preferences', () => {
		expect(canManageEmailPreferences(anonymous)).toBe(false);
		expect(
			canManageEmailPreferences({
				kind: 'user',
				id: 1,
				handle: 'a',
				displayName: 'A',
				email: 'a@example.com',
				role: 'member',
				suspendedUntil: new Date(Date.now() + 864e5)
			})
		).toBe(true);
	});

	it('unsubscribes only with a genuine token for an existing account', () => {
		expect(canUnsubscribeWithToken({ tokenValid: true, accountExists: true })).toBe(true);
		expect(canUnsubscribeWithToken({ tokenValid: false, accountExists: true })).toBe(false);
		expect(canUnsubscribeWithToken({ tokenValid: true, accountExists: false })).toBe(false);
	});

	it('mails about visible items only, internal notes only to staff', () => {
		expect(canReceiveEmailAbout(member, visible, 'reply')).toBe(true);
		expect(canReceiveEmailAbout(member, { ...visible, postDeleted: true }, 'reply')).toBe(false);
		const deletedComment = { ...visible, comment: { ...visible.comment, deleted: true } };
		expect(canReceiveEmailAbout(member, deletedComment, 'reply')).toBe(false);
		const internal = { ...visible, comment: { ...visible.comment, internal: true } };
		expect(canReceiveEmailAbout(member, internal, 'mention')).toBe(false);
		expect(canReceiveEmailAbout(moderator, internal, 'mention')).toBe(false);
		expect(canReceiveEmailAbout(staff, internal, 'mention')).toBe(true);
	});

	it('mails about pending or hidden items only to their author or a moderator', () => {
		const hidden = { ...visible, comment: { ...visible.comment, visibility: 'hidden' as const } };
		expect(canReceiveEmailAbout(member, hidden, 'reply')).toBe(false);
		expect(canReceiveEmailAbout({ id: 8, role: 'member' }, hidden, 'reply')).toBe(true);
		expect(canReceiveEmailAbout(moderator, hidden, 'reply')).toBe(true);
		const pendingPost = { ...visible, postVisibility: 'pending' as const, comment: null };
		expect(canReceiveEmailAbout(member, pendingPost, 'status_change')).toBe(false);
		expect(canReceiveEmailAbout({ id: 9, role: 'member' }, pendingPost, 'status_change')).toBe(
			true
		);
	});

	it('still tells an author that their item was hidden or deleted', () => {
		const deleted = { ...visible, comment: { ...visible.comment, deleted: true } };
		expect(canReceiveEmailAbout({ id: 8, role: 'member' }, deleted, 'moderation')).toBe(true);
	});
});

// Triage ---------------------------------------------------------------------------------------

describe('triage rules', () => {
	const live = { deleted: false, merged: false, statusCategory: 'open' as const, challenge: null };

	describe('canTriage', () => {
		eachRole(['staff', 'admin'], canTriage);
	});
	describe('canManageStatuses', () => {
		eachRole(['admin'], canManageStatuses);
	});
	describe('canChangeIdeaStatus on a live idea', () => {
		eachRole(['staff', 'admin'], (a) => canChangeIdeaStatus(a, live));
	});
	describe('canChangeIdeaStatus on a merged or deleted idea', () => {
		eachRole([], (a) => canChangeIdeaStatus(a, { deleted: false, merged: true }));
		eachRole([], (a) => canChangeIdeaStatus(a, { deleted: true, merged: false }));
	});
	describe('canAssignIdea', () => {
		eachRole(['staff', 'admin'], (a) => canAssignIdea(a, { deleted: false }));
		eachRole([], (a) => canAssignIdea(a, { deleted: true }));
	});
	describe('canOwnIdeas', () => {
		it.each(['member', 'moderator', 'staff', 'admin'] as const)('%s', (role) => {
			expect(canOwnIdeas({ role })).toBe(role === 'staff' || role === 'admin');
		});
	});
	describe('canWriteInternalNote', () => {
		eachRole(['staff', 'admin'], (a) => canWriteInternalNote(a, { deleted: false }));
		eachRole([], (a) => canWriteInternalNote(a, { deleted: true }));
	});
	describe('canViewComment: an internal note', () => {
		eachRole(['staff', 'admin'], (a) =>
			canViewComment(a, { authorId: 11, internal: true, visibility: 'visible' })
		);
	});
	describe('canViewComment: a visible comment', () => {
		eachRole(['anonymous', 'member', 'moderator', 'staff', 'admin'], (a) =>
			canViewComment(a, { authorId: 99, internal: false, visibility: 'visible' })
		);
	});
	describe('canViewComment: a hidden comment by the member', () => {
		eachRole(['member', 'moderator', 'staff', 'admin'], (a) =>
			canViewComment(a, { authorId: 11, internal: false, visibility: 'hidden' })
		);
	});
	describe('canBeNotifiedOfComment: a mention in an internal note', () => {
		it.each(['member', 'moderator', 'staff', 'admin'] as const)('%s', (role) => {
			expect(
				canBeNotifiedOfComment(
					{ id: 5, role },
					{ authorId: 1, internal: true, visibility: 'visible' }
				)
			).toBe(role === 'staff' || role === 'admin');
		});
	});
	describe('canMergeIdeas', () => {
		const a = { id: 1, deleted: false, mergedIntoId: null };
		const b = { id: 2, deleted: false, mergedIntoId: null };
		eachRole(['staff', 'admin'], (actor) => canMergeIdeas(actor, a, b));
		eachRole([], (actor) => canMergeIdeas(actor, a, a));
		eachRole([], (actor) => canMergeIdeas(actor, a, { ...b, mergedIntoId: 1 }));
		eachRole([], (actor) => canMergeIdeas(actor, a, { ...b, deleted: true }));
		eachRole([], (actor) => canMergeIdeas(actor, { ...a, mergedIntoId: 3 }, b));
	});
	describe('canVoteOnBehalf for a member in good standing', () => {
		eachRole(['staff', 'admin'], (a) => canVoteOnBehalf(a, live, actors.member!));
	});
	describe('canVoteOnBehalf for a suspended member or on a closed idea', () => {
		const suspended = {
			...(actors.member as UserActor),
			suspendedUntil: new Date(Date.now() + 60_000)
		};
		eachRole([], (a) => canVoteOnBehalf(a, live, suspended));
		eachRole([], (a) => canVoteOnBehalf(a, { ...live, statusCategory: 'done' }, actors.member!));
	});
	describe('canSeeVoteRecorder', () => {
		eachRole(['staff', 'admin'], canSeeVoteRecorder);
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
