// Every moderation action for every role: a table of who may do what to whom.
import { describe, expect, it } from 'vitest';
import { MODERATION_ACTIONS } from '$lib/domain/moderation';
import type { Role } from '$lib/domain/roles';
import {
	anonymous,
	canComment,
	canDeleteComment,
	canDeleteIdea,
	canEditComment,
	canEditIdea,
	canFlag,
	canManageSiteSettings,
	canModerate,
	canModerateItem,
	canPostIdea,
	canReadAuditLog,
	canSeeUnlisted,
	canSuspend,
	canViewModerationQueue,
	canVote,
	type Actor,
	type UserActor
} from './policy';

const future = new Date(Date.now() + 86_400_000);
const user = (id: number, role: Role, suspended = false): UserActor => ({
	kind: 'user',
	id,
	handle: `u${id}`,
	displayName: `U ${id}`,
	email: `u${id}@example.com`,
	role,
	suspendedUntil: suspended ? future : null
});

const actors = {
	anonymous,
	member: user(1, 'member'),
	suspended: user(2, 'member', true),
	moderator: user(3, 'moderator'),
	staff: user(4, 'staff'),
	admin: user(5, 'admin')
} satisfies Record<string, Actor>;
type Who = keyof typeof actors;
type TargetRole = Role | 'self';

/** Whose content or account: another member, moderator, staff, admin, or the actor. */
function target(actor: Actor, role: TargetRole) {
	if (role === 'self') {
		return {
			id: actor.kind === 'user' ? actor.id : 0,
			role: actor.kind === 'user' ? actor.role : 'member'
		};
	}
	return { id: 100 + ['member', 'moderator', 'staff', 'admin'].indexOf(role), role };
}

// Who may decide on (and suspend) whom: rows are actors, columns are targets.
const MAY_ACT_ON: Record<Who, Record<TargetRole, boolean>> = {
	anonymous: { member: false, moderator: false, staff: false, admin: false, self: false },
	member: { member: false, moderator: false, staff: false, admin: false, self: false },
	suspended: { member: false, moderator: false, staff: false, admin: false, self: false },
	moderator: { member: true, moderator: false, staff: false, admin: false, self: false },
	staff: { member: true, moderator: true, staff: false, admin: false, self: false },
	admin: { member: true, moderator: true, staff: true, admin: true, self: false }
};

const MODERATES: Record<Who, boolean> = {
	anonymous: false,
	member: false,
	suspended: false,
	moderator: true,
	staff: true,
	admin: true
};

const TARGETS: TargetRole[] = ['member', 'moderator', 'staff', 'admin', 'self'];
const WHO = Object.keys(actors) as Who[];

describe('moderation policy', () => {
	describe.each(WHO)('%s', (who) => {
		const actor: Actor = actors[who];

		it.each(MODERATION_ACTIONS.flatMap((action) => TARGETS.map((t) => [action, t] as const)))(
			'%s an item by %s',
			(action, role) => {
				const author = target(actor, role);
				expect(
					canModerateItem(actor, { authorId: author.id, authorRole: author.role as Role }, action)
				).toBe(MAY_ACT_ON[who][role]);
			}
		);

		it.each(TARGETS)('suspend or lift the suspension of %s', (role) => {
			const member = target(actor, role);
			expect(canSuspend(actor, { id: member.id, role: member.role as Role })).toBe(
				MAY_ACT_ON[who][role]
			);
		});

		it('sees the queue and the audit log only as a moderator or above', () => {
			expect(canModerate(actor)).toBe(MODERATES[who]);
			expect(canViewModerationQueue(actor)).toBe(MODERATES[who]);
			expect(canReadAuditLog(actor)).toBe(MODERATES[who]);
		});

		it('changes site settings only as an admin', () => {
			expect(canManageSiteSettings(actor)).toBe(who === 'admin');
		});

		it('flags what others wrote (not its own, nor deleted things) unless anonymous or suspended', () => {
			const participates = who !== 'anonymous' && who !== 'suspended';
			expect(canFlag(actor, { authorId: 999, deleted: false })).toBe(participates);
			expect(canFlag(actor, { authorId: 999, deleted: true })).toBe(false);
			const own = actor.kind === 'user' ? actor.id : 0;
			expect(canFlag(actor, { authorId: own, deleted: false })).toBe(false);
		});

		it('sees a hidden or pending item when it is theirs or as a moderator', () => {
			expect(canSeeUnlisted(actor, { authorId: 999 })).toBe(MODERATES[who]);
			if (actor.kind === 'user') {
				expect(canSeeUnlisted(actor, { authorId: actor.id })).toBe(true);
			}
		});

		it('writes (posts, comments, votes, edits and deletes its own) unless anonymous or suspended', () => {
			const participates = who !== 'anonymous' && who !== 'suspended';
			const own = actor.kind === 'user' ? actor.id : 0;
			const idea = {
				authorId: own,
				createdAt: new Date(),
				deleted: false,
				merged: false,
				statusCategory: 'open' as const,
				otherVotes: 0,
				challenge: null
			};
			expect(canPostIdea(actor)).toBe(participates);
			expect(canComment(actor, { deleted: false })).toBe(participates);
			expect(canVote(actor, idea)).toBe(participates);
			expect(canEditIdea(actor, idea)).toBe(participates);
			expect(canDeleteIdea(actor, idea)).toBe(participates);
			expect(canEditComment(actor, { authorId: own, deleted: false })).toBe(participates);
			expect(canDeleteComment(actor, { authorId: own, deleted: false })).toBe(participates);
		});
	});

	it('a suspended moderator moderates nothing', () => {
		const suspendedModerator = user(9, 'moderator', true);
		expect(canModerate(suspendedModerator)).toBe(false);
		expect(canModerateItem(suspendedModerator, { authorId: 1, authorRole: 'member' }, 'hide')).toBe(
			false
		);
		expect(canSuspend(suspendedModerator, { id: 1, role: 'member' })).toBe(false);
	});

	it('a suspension that ended no longer counts', () => {
		const past = { ...user(10, 'member'), suspendedUntil: new Date(Date.now() - 1000) };
		expect(canFlag(past, { authorId: 1, deleted: false })).toBe(true);
	});
});
