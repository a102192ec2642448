// The discussion rules, one describe per rule and one case per role (plus suspended members).
import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import {
	anonymous,
	canAcceptAnswer,
	canEditThreadReply,
	canLike,
	canManageCategories,
	canModerateThreads,
	canReplyToThread,
	canSeePollResults,
	canStartDiscussion,
	canVoteInPoll,
	isPollOpen,
	isThreadOpen,
	type Actor,
	type ThreadFacts,
	type UserActor
} from './policy';

const NOW = new Date('2026-11-23T12:00:00Z');

function user(role: Role, id: number, suspendedUntil: Date | null = null): UserActor {
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

const actors = {
	anonymous: anonymous as Actor,
	member: user('member', 11),
	suspended: user('member', 15, new Date('2026-12-01T00:00:00Z')),
	moderator: user('moderator', 12),
	staff: user('staff', 13),
	admin: user('admin', 14)
};
type Who = keyof typeof actors;
const everyone = Object.keys(actors) as Who[];

const open: ThreadFacts = {
	authorId: 99,
	deleted: false,
	isQuestion: true,
	locked: false,
	closed: false
};

function expectFor(rule: (actor: Actor) => boolean, allowed: Who[]) {
	for (const who of everyone) {
		expect(rule(actors[who]), who).toBe(allowed.includes(who));
	}
}

describe('canStartDiscussion', () => {
	it('lets every signed-in, unsuspended person start one', () => {
		expectFor((a) => canStartDiscussion(a), ['member', 'moderator', 'staff', 'admin']);
	});
});

describe('canReplyToThread', () => {
	it('lets participants reply to an open thread', () => {
		expectFor((a) => canReplyToThread(a, open), ['member', 'moderator', 'staff', 'admin']);
	});
	it('refuses everyone in a locked, closed or deleted thread, moderators included', () => {
		for (const state of [{ locked: true }, { closed: true }, { deleted: true }]) {
			expectFor((a) => canReplyToThread(a, { ...open, ...state }), []);
		}
	});
});

describe('isThreadOpen', () => {
	it('is open only when neither locked, closed nor deleted', () => {
		expect(isThreadOpen(open)).toBe(true);
		expect(isThreadOpen({ ...open, locked: true })).toBe(false);
		expect(isThreadOpen({ ...open, closed: true })).toBe(false);
		expect(isThreadOpen({ ...open, deleted: true })).toBe(false);
	});
});

describe('canEditThreadReply', () => {
	const reply = (authorId: number) => ({ authorId, deleted: false });
	it('lets only the author edit, whatever the role', () => {
		for (const who of everyone) {
			const actor = actors[who];
			const own = actor.kind === 'user' ? actor.id : -1;
			expect(canEditThreadReply(actor, reply(own), open), `${who} own`).toBe(
				!['anonymous', 'suspended'].includes(who)
			);
			expect(canEditThreadReply(actor, reply(1234), open), `${who} other`).toBe(false);
		}
	});
	it('refuses in a locked thread and on a deleted reply', () => {
		const member = actors.member as UserActor;
		expect(canEditThreadReply(member, reply(member.id), { ...open, locked: true })).toBe(false);
		expect(canEditThreadReply(member, { authorId: member.id, deleted: true }, open)).toBe(false);
	});
});

describe('canLike', () => {
	it('lets participants like what others wrote', () => {
		expectFor(
			(a) => canLike(a, { authorId: 99, deleted: false }),
			['member', 'moderator', 'staff', 'admin']
		);
	});
	it('never one’s own words, nor a deleted item', () => {
		for (const who of everyone) {
			const actor = actors[who];
			const own = actor.kind === 'user' ? actor.id : -1;
			expect(canLike(actor, { authorId: own, deleted: false }), who).toBe(false);
			expect(canLike(actor, { authorId: 99, deleted: true }), who).toBe(false);
		}
	});
});

describe('canAcceptAnswer', () => {
	it('lets staff and admins accept on anyone’s question, moderators and members not', () => {
		expectFor((a) => canAcceptAnswer(a, open), ['staff', 'admin']);
	});
	it('lets the asker accept on their own question', () => {
		for (const who of ['member', 'moderator'] as const) {
			const actor = actors[who] as UserActor;
			expect(canAcceptAnswer(actor, { ...open, authorId: actor.id }), who).toBe(true);
		}
		const suspended = actors.suspended as UserActor;
		expect(canAcceptAnswer(suspended, { ...open, authorId: suspended.id })).toBe(false);
	});
	it('refuses on a thread that is not a question, or deleted', () => {
		expectFor((a) => canAcceptAnswer(a, { ...open, isQuestion: false }), []);
		expectFor((a) => canAcceptAnswer(a, { ...open, deleted: true }), []);
	});
});

describe('canModerateThreads', () => {
	it('lets moderators, staff and admins use the thread tools', () => {
		expectFor((a) => canModerateThreads(a), ['moderator', 'staff', 'admin']);
	});
});

describe('canManageCategories', () => {
	it('is the admins’ alone', () => {
		expectFor((a) => canManageCategories(a), ['admin']);
	});
});

describe('polls', () => {
	const poll = { closesAt: new Date('2026-11-24T00:00:00Z') };
	it('canVoteInPoll: participants, while the poll and its thread are open', () => {
		expectFor((a) => canVoteInPoll(a, poll, open, NOW), ['member', 'moderator', 'staff', 'admin']);
		expectFor(
			(a) => canVoteInPoll(a, { closesAt: new Date('2026-11-23T11:59:59Z') }, open, NOW),
			[]
		);
		expectFor((a) => canVoteInPoll(a, poll, { ...open, closed: true }, NOW), []);
		expectFor((a) => canVoteInPoll(a, poll, { ...open, locked: true }, NOW), []);
	});
	it('isPollOpen: no closing date means open until the thread closes', () => {
		expect(isPollOpen({ closesAt: null }, open, NOW)).toBe(true);
		expect(isPollOpen({ closesAt: NOW }, open, NOW)).toBe(false);
	});
	it('canSeePollResults: after voting, or once closed', () => {
		expect(canSeePollResults(false, true)).toBe(false);
		expect(canSeePollResults(true, true)).toBe(true);
		expect(canSeePollResults(false, false)).toBe(true);
	});
});
