// Who may do what: the only place that decides. Every rule is a pure `canX(actor, thing)`;
// anonymous visitors are an actor too, and anything not allowed here is denied.
import type { Role } from '$lib/domain/roles';
import {
	IDEA_EDIT_WINDOW_MS,
	VOTING_CLOSED_CATEGORIES,
	type StatusCategory
} from '$lib/domain/ideas';
import type { ModerationAction } from '$lib/domain/moderation';

export interface AnonymousActor {
	kind: 'anonymous';
}

export interface UserActor {
	kind: 'user';
	id: number;
	handle: string;
	displayName: string;
	email: string;
	role: Role;
	/** Until when a moderator suspended this member; absent or past means not suspended. */
	suspendedUntil?: Date | null;
}

export type Actor = AnonymousActor | UserActor;

export const anonymous: AnonymousActor = Object.freeze({ kind: 'anonymous' });

function hasRole(actor: Actor, ...roles: Role[]): actor is UserActor {
	return actor.kind === 'user' && roles.includes(actor.role);
}

export function isSuspended(actor: Actor, now = new Date()): boolean {
	return (
		actor.kind === 'user' &&
		actor.suspendedUntil != null &&
		actor.suspendedUntil.getTime() > now.getTime()
	);
}

/**
 * Taking part: posting, voting, commenting, reviewing, flagging. A signed-in member who is not
 * suspended. Every write rule for members starts here.
 */
export function canParticipate(actor: Actor, now = new Date()): actor is UserActor {
	return actor.kind === 'user' && !isSuspended(actor, now);
}

export function canSignUp(actor: Actor): boolean {
	return actor.kind === 'anonymous';
}

export function canSignIn(actor: Actor): boolean {
	return actor.kind === 'anonymous';
}

export function canManageOwnAccount(actor: Actor): actor is UserActor {
	return actor.kind === 'user';
}

/** The admin area: users and roles, the mail outbox. */
export function canAdminister(actor: Actor): actor is UserActor {
	return hasRole(actor, 'admin');
}

export function canListUsers(actor: Actor): boolean {
	return hasRole(actor, 'admin');
}

/** Admins change other people's roles; not their own, so the site never loses its last admin by accident. */
export function canChangeRole(actor: Actor, target: { id: number }, _role: Role): boolean {
	if (!hasRole(actor, 'admin')) {
		return false;
	}
	return target.id !== actor.id;
}

export function canReadOutbox(actor: Actor): boolean {
	return hasRole(actor, 'admin');
}

// Ideas, votes, comments, follows ----------------------------------------------------------

function isStaff(actor: Actor): boolean {
	return hasRole(actor, 'staff', 'admin');
}

/** What the idea rules need to know about an idea. */
export interface IdeaFacts {
	authorId: number;
	createdAt: Date;
	deleted: boolean;
	merged: boolean;
	statusCategory: StatusCategory;
	/** Votes by anyone but the author. */
	otherVotes: number;
}

export function canPostIdea(actor: Actor): actor is UserActor {
	return canParticipate(actor);
}

export function canViewDeletedIdea(actor: Actor): boolean {
	return isStaff(actor);
}

/** Staff edit any idea; an author while only they voted, or within an hour of posting. */
export function canEditIdea(actor: Actor, idea: IdeaFacts, now = new Date()): boolean {
	if (!canParticipate(actor, now) || idea.deleted) {
		return false;
	}
	if (isStaff(actor)) {
		return true;
	}
	if (actor.id !== idea.authorId) {
		return false;
	}
	return idea.otherVotes === 0 || now.getTime() - idea.createdAt.getTime() < IDEA_EDIT_WINDOW_MS;
}

export function canDeleteIdea(actor: Actor, idea: IdeaFacts): boolean {
	return canParticipate(actor) && !idea.deleted && actor.id === idea.authorId;
}

/** Votes close when an idea is done, declined, merged or deleted. */
export function isVotingOpen(
	idea: Pick<IdeaFacts, 'deleted' | 'merged' | 'statusCategory'>
): boolean {
	return !idea.deleted && !idea.merged && !VOTING_CLOSED_CATEGORIES.includes(idea.statusCategory);
}

export function canVote(
	actor: Actor,
	idea: Pick<IdeaFacts, 'deleted' | 'merged' | 'statusCategory'>
): boolean {
	return canParticipate(actor) && isVotingOpen(idea);
}

export function canComment(actor: Actor, post: { deleted: boolean }): boolean {
	return canParticipate(actor) && !post.deleted;
}

/** Staff comments are the company speaking: shown as official. */
export function isOfficialVoice(actor: Actor): boolean {
	return isStaff(actor);
}

export function canEditComment(
	actor: Actor,
	comment: { authorId: number; deleted: boolean }
): boolean {
	return canParticipate(actor) && !comment.deleted && actor.id === comment.authorId;
}

export function canDeleteComment(
	actor: Actor,
	comment: { authorId: number; deleted: boolean }
): boolean {
	return canEditComment(actor, comment);
}

export function canFollow(actor: Actor): actor is UserActor {
	return actor.kind === 'user';
}

export function canReadNotifications(actor: Actor): actor is UserActor {
	return actor.kind === 'user';
}

/** Products and tags are the admins' to create, edit and archive. */
export function canManageCatalog(actor: Actor): actor is UserActor {
	return hasRole(actor, 'admin');
}

// Moderation ------------------------------------------------------------------------------------
// Flags, the review queue, suspensions, the audit log and site settings. Rank decides who may act
// on whom: a moderator acts on members only, staff on members and moderators, an admin on anyone;
// nobody on themselves. A suspended moderator moderates nothing.

const RANK: Record<Role, number> = { member: 0, moderator: 1, staff: 2, admin: 3 };

/** Moderators, staff and admins who are not suspended: the queue, the log, member search. */
export function canModerate(actor: Actor, now = new Date()): actor is UserActor {
	return hasRole(actor, 'moderator', 'staff', 'admin') && !isSuspended(actor, now);
}

/** Whether `actor` may act on a member of `target`'s role (suspend, decide on their content). */
export function outranks(actor: UserActor, target: { id: number; role: Role }): boolean {
	if (target.id === actor.id) {
		return false;
	}
	return actor.role === 'admin' || RANK[actor.role] > RANK[target.role];
}

/** Any member flags someone else's post or comment that still exists. */
export function canFlag(
	actor: Actor,
	item: { authorId: number; deleted: boolean },
	now = new Date()
): actor is UserActor {
	return canParticipate(actor, now) && !item.deleted && item.authorId !== actor.id;
}

export function canViewModerationQueue(actor: Actor): actor is UserActor {
	return canModerate(actor);
}

export function canReadAuditLog(actor: Actor): actor is UserActor {
	return canModerate(actor);
}

/** Keep, hide, delete, edit or approve an item: a moderator above its author. */
export function canModerateItem(
	actor: Actor,
	item: { authorId: number; authorRole: Role },
	_action: ModerationAction
): actor is UserActor {
	return canModerate(actor) && outranks(actor, { id: item.authorId, role: item.authorRole });
}

/** Suspend a member, or lift a suspension. */
export function canSuspend(actor: Actor, target: { id: number; role: Role }): actor is UserActor {
	return canModerate(actor) && outranks(actor, target);
}

/** A hidden or pending item: its author and moderators see it, with the reason. */
export function canSeeUnlisted(actor: Actor, item: { authorId: number }): boolean {
	return actor.kind === 'user' && (actor.id === item.authorId || canModerate(actor));
}

/** Flag threshold, new-member limits: the admins' to set. */
export function canManageSiteSettings(actor: Actor): actor is UserActor {
	return hasRole(actor, 'admin') && !isSuspended(actor);
}

/** Staff and moderators are trusted: no new-member limits or approval for them. */
export function isTrustedPoster(actor: UserActor): boolean {
	return RANK[actor.role] >= RANK.moderator;
}
