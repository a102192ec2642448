// The challenge rules of policy.ts, and how a challenge's window closes votes on its entries:
// one describe per rule, one case per role.
import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import {
	anonymous,
	canAnnounceWinners,
	canEditChallenge,
	canEnterChallenge,
	canManageChallenges,
	canViewChallenges,
	canVote,
	canVoteOnBehalf,
	isVotingOpen,
	type ChallengeFacts,
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

const ROLES = ['member', 'moderator', 'staff', 'admin'] as const;
const NOW = new Date('2026-06-15T12:00:00Z');
const BEFORE = new Date('2026-06-01T00:00:00Z');
const AFTER = new Date('2026-07-01T00:00:00Z');
const window = {
	startsAt: new Date('2026-06-10T00:00:00Z'),
	endsAt: new Date('2026-06-20T00:00:00Z')
};
const challenge = (over: Partial<ChallengeFacts> = {}): ChallengeFacts => ({
	...window,
	announced: false,
	...over
});

describe('canViewChallenges', () => {
	it('lets everyone read challenges, visitors too', () => {
		for (const role of ROLES) {
			expect(canViewChallenges(user(role))).toBe(true);
		}
		expect(canViewChallenges(anonymous)).toBe(true);
	});
});

describe('canManageChallenges', () => {
	it('lets staff and admins open and edit challenges', () => {
		expect(canManageChallenges(user('staff'))).toBe(true);
		expect(canManageChallenges(user('admin'))).toBe(true);
	});
	it('refuses members, moderators and visitors', () => {
		expect(canManageChallenges(user('member'))).toBe(false);
		expect(canManageChallenges(user('moderator'))).toBe(false);
		expect(canManageChallenges(anonymous)).toBe(false);
	});
});

describe('canEditChallenge', () => {
	it('lets staff and admins edit until the winners are announced', () => {
		expect(canEditChallenge(user('staff'), challenge())).toBe(true);
		expect(canEditChallenge(user('admin'), challenge())).toBe(true);
		expect(canEditChallenge(user('staff'), challenge({ announced: true }))).toBe(false);
		expect(canEditChallenge(user('admin'), challenge({ announced: true }))).toBe(false);
	});
	it('refuses members, moderators and visitors', () => {
		expect(canEditChallenge(user('member'), challenge())).toBe(false);
		expect(canEditChallenge(user('moderator'), challenge())).toBe(false);
		expect(canEditChallenge(anonymous, challenge())).toBe(false);
	});
});

describe('canEnterChallenge', () => {
	it('lets every signed-in role enter an idea while the challenge is open', () => {
		for (const role of ROLES) {
			expect(canEnterChallenge(user(role), window, NOW)).toBe(true);
		}
	});
	it('refuses entries before the start and from the end on (the end is excluded)', () => {
		expect(canEnterChallenge(user('member'), window, BEFORE)).toBe(false);
		expect(canEnterChallenge(user('member'), window, window.endsAt)).toBe(false);
		expect(canEnterChallenge(user('member'), window, AFTER)).toBe(false);
		expect(canEnterChallenge(user('member'), window, window.startsAt)).toBe(true);
	});
	it('refuses visitors and suspended members', () => {
		expect(canEnterChallenge(anonymous, window, NOW)).toBe(false);
		const suspended = user('member', 2, new Date(Date.now() + 86_400_000));
		expect(canEnterChallenge(suspended, window, NOW)).toBe(false);
	});
});

describe('canAnnounceWinners', () => {
	it('lets staff and admins announce once the challenge has closed', () => {
		expect(canAnnounceWinners(user('staff'), challenge(), AFTER)).toBe(true);
		expect(canAnnounceWinners(user('admin'), challenge(), AFTER)).toBe(true);
	});
	it('refuses while the challenge is upcoming or open', () => {
		expect(canAnnounceWinners(user('staff'), challenge(), BEFORE)).toBe(false);
		expect(canAnnounceWinners(user('staff'), challenge(), NOW)).toBe(false);
	});
	it('refuses a second announcement: winners are final', () => {
		expect(canAnnounceWinners(user('staff'), challenge({ announced: true }), AFTER)).toBe(false);
	});
	it('refuses members, moderators and visitors', () => {
		expect(canAnnounceWinners(user('member'), challenge(), AFTER)).toBe(false);
		expect(canAnnounceWinners(user('moderator'), challenge(), AFTER)).toBe(false);
		expect(canAnnounceWinners(anonymous, challenge(), AFTER)).toBe(false);
	});
});

describe('votes on challenge entries', () => {
	const entry = {
		deleted: false,
		merged: false,
		statusCategory: 'open' as const,
		challenge: window
	};
	const plain = { ...entry, challenge: null };

	it('are open only while the challenge is', () => {
		expect(isVotingOpen(entry, BEFORE)).toBe(false);
		expect(isVotingOpen(entry, NOW)).toBe(true);
		expect(isVotingOpen(entry, window.endsAt)).toBe(false);
		expect(isVotingOpen(entry, AFTER)).toBe(false);
		expect(isVotingOpen(plain, AFTER)).toBe(true);
	});
	it('refuse every role after the end, members and staff voting on behalf alike', () => {
		for (const role of ROLES) {
			expect(canVote(user(role), entry, NOW)).toBe(true);
			expect(canVote(user(role), entry, AFTER)).toBe(false);
		}
		expect(canVoteOnBehalf(user('staff'), entry, user('member', 3), NOW)).toBe(true);
		expect(canVoteOnBehalf(user('staff'), entry, user('member', 3), AFTER)).toBe(false);
	});
	it('still close for the idea’s own reasons while the challenge is open', () => {
		expect(isVotingOpen({ ...entry, statusCategory: 'done' }, NOW)).toBe(false);
		expect(isVotingOpen({ ...entry, merged: true }, NOW)).toBe(false);
	});
});
