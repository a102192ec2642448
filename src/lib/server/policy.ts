// Who may do what: the only place that decides. Every rule is a pure `canX(actor, thing)`;
// anonymous visitors are an actor too, and anything not allowed here is denied.
import type { Role } from '$lib/domain/roles';
import {
	IDEA_EDIT_WINDOW_MS,
	VOTING_CLOSED_CATEGORIES,
	type StatusCategory
} from '$lib/domain/ideas';
import type { ModerationAction } from '$lib/domain/moderation';
import { challengeState, type ChallengeWindow } from '$lib/domain/challenges';
import type { HelpThreadStatus } from '$lib/domain/help';

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
	/** The member's interface language; absent or null follows the browser (docs/i18n.md). */
	locale?: string | null;
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
	/** The challenge the idea was entered into, if any: its entries take votes only while it is open. */
	challenge: ChallengeWindow | null;
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

/**
 * Votes close when an idea is done, declined, merged or deleted, and on a challenge's entries
 * whenever the challenge is not open (votes are taken and taken back only while it runs).
 */
export function isVotingOpen(
	idea: Pick<IdeaFacts, 'deleted' | 'merged' | 'statusCategory' | 'challenge'>,
	now = new Date()
): boolean {
	return (
		!idea.deleted &&
		!idea.merged &&
		!VOTING_CLOSED_CATEGORIES.includes(idea.statusCategory) &&
		(idea.challenge === null || challengeState(idea.challenge, now) === 'open')
	);
}

export function canVote(
	actor: Actor,
	idea: Pick<IdeaFacts, 'deleted' | 'merged' | 'statusCategory' | 'challenge'>,
	now = new Date()
): boolean {
	return canParticipate(actor, now) && isVotingOpen(idea, now);
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

// Reviews ----------------------------------------------------------------------------------

/** What the review rules need to know about a review. */
export interface ReviewFacts {
	authorId: number;
	deleted: boolean;
	visibility: 'visible' | 'pending' | 'hidden';
}

function isModerating(actor: Actor): boolean {
	return hasRole(actor, 'moderator', 'staff', 'admin');
}

/** A member reviews a product that is not archived (one review each; writing again edits it). */
export function canWriteReview(actor: Actor, product: { archived: boolean }): actor is UserActor {
	return canParticipate(actor) && !product.archived;
}

/** Only the author edits their review, while it exists. */
export function canEditReview(actor: Actor, review: ReviewFacts): boolean {
	return canParticipate(actor) && !review.deleted && actor.id === review.authorId;
}

/** Anyone reads a visible review; its author and moderators also see a held or hidden one. */
export function canViewReview(actor: Actor, review: ReviewFacts): boolean {
	if (review.deleted) {
		return isStaff(actor);
	}
	if (review.visibility === 'visible') {
		return true;
	}
	return isModerating(actor) || (actor.kind === 'user' && actor.id === review.authorId);
}

/** Lists show moderators the reviews members cannot see (held or hidden), marked as such. */
export function canSeeHiddenReviews(actor: Actor): boolean {
	return isModerating(actor);
}

/** "Helpful" is for other people's visible reviews. */
export function canMarkHelpful(actor: Actor, review: ReviewFacts): boolean {
	return (
		canParticipate(actor) &&
		!review.deleted &&
		review.visibility === 'visible' &&
		actor.id !== review.authorId
	);
}

/** The official reply under a review is the company speaking: staff only. */
export function canReplyToReview(actor: Actor, review: ReviewFacts): boolean {
	return isStaff(actor) && canParticipate(actor) && !review.deleted;
}

/** Staff link a review to the idea that tracks what it asks for ("tracked in"). */
export function canTrackReview(actor: Actor, review: ReviewFacts): boolean {
	return isStaff(actor) && !review.deleted;
}

/** Earlier versions of an edited review are for staff to see. */
export function canViewReviewHistory(actor: Actor): boolean {
	return isStaff(actor);
}

// ─── Email ──────────────────────────────────────────────────────────────────────────────────
// Preferences, one-click unsubscribe and who may be mailed about what.

/** Every signed-in member, suspended or not, chooses which emails they get. */
export function canManageEmailPreferences(actor: Actor): actor is UserActor {
	return actor.kind === 'user';
}

/**
 * An unsubscribe link needs no sign-in: the signed token is the permission, for the one
 * account and email type it names. Anyone holding a genuine token may use it (mail is forwarded).
 */
export function canUnsubscribeWithToken(facts: {
	tokenValid: boolean;
	accountExists: boolean;
}): boolean {
	return facts.tokenValid && facts.accountExists;
}

export interface MailedItemFacts {
	postDeleted: boolean;
	postVisibility: 'visible' | 'pending' | 'hidden';
	postAuthorId: number | null;
	comment: {
		deleted: boolean;
		visibility: 'visible' | 'pending' | 'hidden';
		internal: boolean;
		authorId: number;
	} | null;
}

/**
 * An email may quote and link only what its recipient may read when it goes out: nothing deleted,
 * no internal note to a non-staff member, and a pending or hidden item only to its own author
 * or a moderator. A notification about a moderation decision is the exception: it tells the
 * author or flagger that the item was hidden or deleted, so it goes out as long as they can be told.
 */
export function canReceiveEmailAbout(
	recipient: { id: number; role: Role },
	item: MailedItemFacts,
	kind: string
): boolean {
	const moderator = ['moderator', 'staff', 'admin'].includes(recipient.role);
	const staff = ['staff', 'admin'].includes(recipient.role);
	if (item.comment?.internal && !staff) {
		return false;
	}
	if (kind === 'moderation') {
		return true;
	}
	if (item.postDeleted || item.comment?.deleted) {
		return false;
	}
	const sees = (visibility: string, authorId: number | null) =>
		visibility === 'visible' || moderator || authorId === recipient.id;
	return (
		sees(item.postVisibility, item.postAuthorId) &&
		(item.comment === null || sees(item.comment.visibility, item.comment.authorId))
	);
}
// Discussions: threads, replies, likes, accepted answers, polls, thread tools --------------

/** What the discussion rules need to know about a thread. */
export interface ThreadFacts {
	authorId: number;
	deleted: boolean;
	isQuestion: boolean;
	locked: boolean;
	closed: boolean;
}

export function canStartDiscussion(actor: Actor): actor is UserActor {
	return canParticipate(actor);
}

/** Locked (by a moderator) or closed (the conversation is over) threads take no new replies. */
export function isThreadOpen(thread: Pick<ThreadFacts, 'deleted' | 'locked' | 'closed'>): boolean {
	return !thread.deleted && !thread.locked && !thread.closed;
}

export function canReplyToThread(
	actor: Actor,
	thread: Pick<ThreadFacts, 'deleted' | 'locked' | 'closed'>
): boolean {
	return canParticipate(actor) && isThreadOpen(thread);
}

/** Authors edit and delete their replies while the thread is not locked. */
export function canEditThreadReply(
	actor: Actor,
	reply: { authorId: number; deleted: boolean },
	thread: Pick<ThreadFacts, 'deleted' | 'locked'>
): boolean {
	return (
		canParticipate(actor) &&
		!reply.deleted &&
		!thread.deleted &&
		!thread.locked &&
		actor.id === reply.authorId
	);
}

/** A like on a thread or a reply: one per member, never on one's own words. */
export function canLike(actor: Actor, item: { authorId: number; deleted: boolean }): boolean {
	return canParticipate(actor) && !item.deleted && actor.id !== item.authorId;
}

/** The asker or staff mark (change, unmark) the accepted answer of a question. */
export function canAcceptAnswer(actor: Actor, thread: ThreadFacts): boolean {
	if (!thread.isQuestion || thread.deleted || !canParticipate(actor)) {
		return false;
	}
	return isStaff(actor) || actor.id === thread.authorId;
}

/** Pin, lock, move and close threads: moderators and up. */
export function canModerateThreads(actor: Actor): actor is UserActor {
	return hasRole(actor, 'moderator', 'staff', 'admin');
}

/** Categories are the admins' to create, edit, order and archive. */
export function canManageCategories(actor: Actor): actor is UserActor {
	return hasRole(actor, 'admin');
}

/** A poll takes ballots until it closes (its date passes, or its thread is closed or locked). */
export function isPollOpen(
	poll: { closesAt: Date | null },
	thread: Pick<ThreadFacts, 'deleted' | 'locked' | 'closed'>,
	now = new Date()
): boolean {
	return (
		isThreadOpen(thread) && (poll.closesAt === null || poll.closesAt.getTime() > now.getTime())
	);
}

export function canVoteInPoll(
	actor: Actor,
	poll: { closesAt: Date | null },
	thread: Pick<ThreadFacts, 'deleted' | 'locked' | 'closed'>,
	now = new Date()
): boolean {
	return canParticipate(actor, now) && isPollOpen(poll, thread, now);
}

/** Results show once someone has voted, or to everyone once the poll has closed. */
export function canSeePollResults(voted: boolean, open: boolean): boolean {
	return voted || !open;
}

// Triage: statuses, the inbox, owners, internal notes, merges, votes on a customer's behalf -----

/** The staff area (/staff): the triage inbox, "my ideas" and the priorities. */
export function canTriage(actor: Actor): actor is UserActor {
	return isStaff(actor);
}

/** Statuses are renamed, added, reordered and deleted by admins. */
export function canManageStatuses(actor: Actor): actor is UserActor {
	return hasRole(actor, 'admin');
}

/** Staff move an idea to another status, unless it was deleted or merged away. */
export function canChangeIdeaStatus(
	actor: Actor,
	idea: Pick<IdeaFacts, 'deleted' | 'merged'>
): actor is UserActor {
	return isStaff(actor) && !idea.deleted && !idea.merged;
}

/** Staff assign an idea to a staff member (or to nobody). */
export function canAssignIdea(actor: Actor, idea: Pick<IdeaFacts, 'deleted'>): boolean {
	return isStaff(actor) && !idea.deleted;
}

/** Only staff and admins can own an idea. */
export function canOwnIdeas(person: { role: Role }): boolean {
	return person.role === 'staff' || person.role === 'admin';
}

/** Staff-only notes on an idea: staff write and read them. */
export function canWriteInternalNote(actor: Actor, idea: Pick<IdeaFacts, 'deleted'>): boolean {
	return isStaff(actor) && !idea.deleted;
}

/** What the comment-reading rule needs to know about a comment. */
export interface CommentFacts {
	authorId: number;
	internal: boolean;
	visibility: 'visible' | 'pending' | 'hidden';
}

/**
 * Who may read a comment: internal notes only staff; a held or hidden comment only its author
 * and moderators (who see everything); everything else everyone.
 */
export function canViewComment(actor: Actor, comment: CommentFacts): boolean {
	if (comment.internal) {
		return isStaff(actor);
	}
	if (comment.visibility === 'visible') {
		return true;
	}
	if (actor.kind !== 'user') {
		return false;
	}
	return actor.id === comment.authorId || hasRole(actor, 'moderator', 'staff', 'admin');
}

/** Whether a mention in a comment may notify this person: only if they may read it. */
export function canBeNotifiedOfComment(
	person: { id: number; role: Role },
	comment: CommentFacts
): boolean {
	return canViewComment(
		{ kind: 'user', id: person.id, role: person.role, handle: '', displayName: '', email: '' },
		comment
	);
}

/** What merging needs to know about each idea. */
export interface MergeFacts {
	id: number;
	deleted: boolean;
	/** The idea this one was merged into, if any. */
	mergedIntoId: number | null;
}

/**
 * Staff merge a duplicate into a survivor: never into itself, never an idea already merged or
 * deleted, never into one that is merged or deleted (which also rules out cycles).
 */
export function canMergeIdeas(actor: Actor, source: MergeFacts, target: MergeFacts): boolean {
	if (!isStaff(actor) || source.id === target.id) {
		return false;
	}
	if (source.deleted || source.mergedIntoId !== null) {
		return false;
	}
	return !target.deleted && target.mergedIntoId === null;
}

/**
 * Staff record a vote for a member (from a sales call, say): the idea takes votes, and the
 * member could vote themselves (not suspended).
 */
export function canVoteOnBehalf(
	actor: Actor,
	idea: Pick<IdeaFacts, 'deleted' | 'merged' | 'statusCategory' | 'challenge'>,
	member: Actor,
	now = new Date()
): boolean {
	return isStaff(actor) && canVote(member, idea, now);
}

/** Staff see who recorded a vote on a customer's behalf; everyone else sees a normal vote. */
export function canSeeVoteRecorder(actor: Actor): boolean {
	return isStaff(actor);
}

// Roadmap and changelog ---------------------------------------------------------------------

/** Everyone reads the public roadmap and the published changelog, signed in or not. */
export function canViewRoadmap(_actor: Actor): boolean {
	return true;
}

/** Staff place ideas on the roadmap: their column (status), order and target quarter. */
export function canManageRoadmap(actor: Actor): actor is UserActor {
	return isStaff(actor);
}

/** Staff write, edit and publish changelog entries, and link the ideas they ship. */
export function canManageChangelog(actor: Actor): actor is UserActor {
	return isStaff(actor);
}

/** A published entry is public; a draft is for the staff writing it. */
export function canViewChangelogEntry(actor: Actor, entry: { published: boolean }): boolean {
	return entry.published || isStaff(actor);
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

// Integrations ------------------------------------------------------------------------------------
// Webhooks, importing from another tool and the full export: they reach or carry the whole site's
// data, so they are the admins' alone (and not while suspended).

/** Register, edit, disable, delete and test webhooks; see their delivery log; redeliver. */
export function canManageWebhooks(actor: Actor): actor is UserActor {
	return hasRole(actor, 'admin') && !isSuspended(actor);
}

/** Import ideas, votes and comments from another feedback tool's CSV export. */
export function canImport(actor: Actor): actor is UserActor {
	return hasRole(actor, 'admin') && !isSuspended(actor);
}

/** Download the whole site's content and configuration as JSON. */
export function canExportSite(actor: Actor): actor is UserActor {
	return hasRole(actor, 'admin') && !isSuspended(actor);
}

// ─── Single sign-on ─────────────────────────────────────────────────────────────────────────
// Signing in with GitHub, Google or an OpenID Connect issuer, and linking those identities.

/** Signing in (or up) through a provider is for visitors who are not signed in. */
export function canSignInWithProvider(actor: Actor): boolean {
	return canSignIn(actor);
}

/** A member links a provider identity to their own account; suspended members too. */
export function canLinkProvider(actor: Actor): actor is UserActor {
	return canManageOwnAccount(actor);
}

/** What the unlink rule needs to know about the account whose identity would go. */
export interface SignInMethods {
	ownerId: number;
	hasPassword: boolean;
	/** Linked identities other than the one to unlink. */
	otherIdentities: number;
}

/**
 * Only the owner unlinks, and only while another way to sign in remains (a password or another
 * identity), so nobody locks themselves out with one click.
 */
export function canUnlinkProvider(actor: Actor, methods: SignInMethods): boolean {
	return (
		canManageOwnAccount(actor) &&
		actor.id === methods.ownerId &&
		(methods.hasPassword || methods.otherIdentities > 0)
	);
}

// ─── Customers ─────────────────────────────────────────────────────────────────────────────

/** Customer and company pages (tier, company value, advocacy, NPS, who asked for what): staff and admins. */
export function canViewCustomers(actor: Actor): actor is UserActor {
	return isStaff(actor);
}

/** Creating, editing and importing companies, and who belongs to them: admins. */
export function canManageCompanies(actor: Actor): actor is UserActor {
	return hasRole(actor, 'admin') && !isSuspended(actor);
}

/** The public leaderboard: anyone, signed in or not. */
export function canViewLeaderboard(_actor: Actor): boolean {
	return true;
}

/** A member's own timeline ("My activity") on their profile: only they see it. */
export function canViewOwnActivity(actor: Actor, profile: { id: number }): actor is UserActor {
	return actor.kind === 'user' && actor.id === profile.id;
}

/** Referral link, leaderboard opt-out and the download of one's own data: any signed-in member. */
export function canManageOwnAdvocacy(actor: Actor): actor is UserActor {
	return actor.kind === 'user';
}

/** Whether a person may appear on the leaderboard: customers who have not opted out. */
export function canAppearOnLeaderboard(person: { role: Role; optedOut: boolean }): boolean {
	return !person.optedOut && (person.role === 'member' || person.role === 'moderator');
}

// Public API: personal tokens and their scopes ---------------------------------------------------
// A token acts as its owner: the owner's role and suspension, read live on every request, still
// decide through the rules above. Scopes only narrow what a token may do, never widen it.

export const API_SCOPES = ['read', 'write', 'staff'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Every signed-in member manages their own tokens (a suspended one too: reading stays allowed). */
export function canManageApiTokens(actor: Actor): actor is UserActor {
	return actor.kind === 'user';
}

/** The `staff` scope is for staff and admins; `read` and `write` for anyone with an account. */
export function canGrantApiScope(actor: Actor, scope: ApiScope): boolean {
	if (actor.kind !== 'user') {
		return false;
	}
	return scope === 'staff' ? isStaff(actor) : true;
}

/**
 * Whether a request may call an operation that needs `needed`: a token must carry the scope;
 * a browser session (cookie) is good for reads only, so no write can be forged cross-site.
 */
export function canUseApiScope(
	credential: { kind: 'token'; scopes: readonly ApiScope[] } | { kind: 'session' | 'none' },
	needed: ApiScope
): boolean {
	if (credential.kind === 'token') {
		return credential.scopes.includes(needed);
	}
	return needed === 'read';
}

/** Staff endpoints (status changes, companies): staff and admins, as in the staff area. */
export function canUseStaffApi(actor: Actor): actor is UserActor {
	return isStaff(actor) && !isSuspended(actor);
}

/**
 * Customers and companies through the API (profiles, emails, advocacy, NPS, company value): the
 * staff endpoints' rule and the customer pages' rule both, so neither can be widened alone.
 */
export function canUseCustomersApi(actor: Actor): actor is UserActor {
	return canUseStaffApi(actor) && canViewCustomers(actor);
}

// ─── Surveys ───────────────────────────────────────────────────────────────────────────────
// NPS and CSAT questions go to members only: the team's own opinion is not the customers', and a
// suspended member is not asked how they like the place (docs/surveys.md).

/** Who may be asked a survey question at all: a member (not moderator, staff or admin) not suspended. */
export function canBeSurveyed(actor: Actor, now = new Date()): actor is UserActor {
	return hasRole(actor, 'member') && !isSuspended(actor, now);
}

export interface SurveyOfferFacts {
	userId: number;
	answered: boolean;
	dismissed: boolean;
}

/** A member answers (or dismisses) a question put to them that is still open. */
export function canAnswerSurvey(
	actor: Actor,
	offer: SurveyOfferFacts,
	now = new Date()
): actor is UserActor {
	return (
		canBeSurveyed(actor, now) && actor.id === offer.userId && !offer.answered && !offer.dismissed
	);
}

/** The survey results at /staff/surveys: whoever may view customer data. */
export function canViewSurveyResults(actor: Actor): actor is UserActor {
	return canViewCustomers(actor);
}

// Challenges ---------------------------------------------------------------------------------

/** Everyone reads challenges, their entries and winners, signed in or not. */
export function canViewChallenges(_actor: Actor): boolean {
	return true;
}

/** Staff open challenges and edit them (/staff/challenges). */
export function canManageChallenges(actor: Actor): actor is UserActor {
	return isStaff(actor);
}

/** What the challenge rules need to know about a challenge. */
export interface ChallengeFacts extends ChallengeWindow {
	announced: boolean;
}

/** Staff edit a challenge until its winners are announced; after that it is a record. */
export function canEditChallenge(actor: Actor, challenge: ChallengeFacts): actor is UserActor {
	return canManageChallenges(actor) && !challenge.announced;
}

/** A member enters an idea into a challenge only while it is open. */
export function canEnterChallenge(
	actor: Actor,
	challenge: ChallengeWindow,
	now = new Date()
): actor is UserActor {
	return canPostIdea(actor) && challengeState(challenge, now) === 'open';
}

/** Staff pick and announce winners once a challenge has closed, once: winners are final. */
export function canAnnounceWinners(
	actor: Actor,
	challenge: ChallengeFacts,
	now = new Date()
): actor is UserActor {
	return (
		canManageChallenges(actor) &&
		!challenge.announced &&
		challengeState(challenge, now) === 'closed'
	);
}

// ─── Private help ──────────────────────────────────────────────────────────────────────────
// A member's support conversation with staff (docs/help.md). Its author and staff read it, and,
// while the author shares it, the members of the author's company. Nobody else learns it exists:
// the pages answer 404 to everyone the rules below refuse. Moderators are not staff here: a help
// thread is a conversation with the company, not community content to moderate.

/** What the help rules need to know about a thread, and about who is looking at it. */
export interface HelpThreadFacts {
	authorId: number;
	/** The author's company now (read live, so leaving a company ends its colleagues' access). */
	authorCompanyId: number | null;
	sharedWithCompany: boolean;
	status: HelpThreadStatus;
	/** Whether a staff proposal to publish the thread awaits the author's answer. */
	proposalPending: boolean;
	converted: boolean;
	/** The company of the actor asking (null for visitors and members without one). */
	viewerCompanyId: number | null;
}

/** Whether the actor is a colleague the author shares the thread with. */
function isSharedColleague(actor: UserActor, thread: HelpThreadFacts): boolean {
	return (
		thread.sharedWithCompany &&
		thread.authorCompanyId !== null &&
		thread.viewerCompanyId === thread.authorCompanyId &&
		actor.id !== thread.authorId
	);
}

/** The help pages (/help): any signed-in person, suspended too (they still read their threads). */
export function canUseHelp(actor: Actor): actor is UserActor {
	return actor.kind === 'user';
}

/** Starting a private help thread: a signed-in member who is not suspended. */
export function canStartHelpThread(actor: Actor): actor is UserActor {
	return canParticipate(actor);
}

/** The author, staff, and (while it is shared) the author's company colleagues; nobody else. */
export function canReadHelpThread(actor: Actor, thread: HelpThreadFacts): actor is UserActor {
	if (actor.kind !== 'user') {
		return false;
	}
	if (isStaff(actor) || actor.id === thread.authorId) {
		return true;
	}
	return isSharedColleague(actor, thread);
}

/** Whoever reads a thread may write in it, unless suspended. A message on a closed thread reopens it. */
export function canReplyToHelpThread(actor: Actor, thread: HelpThreadFacts): actor is UserActor {
	return canReadHelpThread(actor, thread) && canParticipate(actor);
}

/** The author or staff close a thread that is not closed yet. */
export function canCloseHelpThread(actor: Actor, thread: HelpThreadFacts): actor is UserActor {
	return (
		canParticipate(actor) &&
		thread.status !== 'closed' &&
		(actor.id === thread.authorId || isStaff(actor))
	);
}

/** Only the author decides whether their company's members may read the thread (if they have one). */
export function canShareHelpThread(actor: Actor, thread: HelpThreadFacts): actor is UserActor {
	return canParticipate(actor) && actor.id === thread.authorId && thread.authorCompanyId !== null;
}

/** Staff propose publishing a thread (as a discussion or an idea); it stays private until the author acts. */
export function canProposeHelpConversion(
	actor: Actor,
	thread: HelpThreadFacts
): actor is UserActor {
	return canParticipate(actor) && isStaff(actor) && !thread.converted;
}

/** Only the author publishes their thread, with or without a staff proposal. */
export function canConvertHelpThread(actor: Actor, thread: HelpThreadFacts): actor is UserActor {
	return canParticipate(actor) && actor.id === thread.authorId && !thread.converted;
}

/** The author declines a pending staff proposal. */
export function canDeclineHelpProposal(actor: Actor, thread: HelpThreadFacts): actor is UserActor {
	return canConvertHelpThread(actor, thread) && thread.proposalPending;
}

/** The staff help inbox (/staff/help): every thread, with its member and company. */
export function canViewHelpInbox(actor: Actor): actor is UserActor {
	return isStaff(actor);
}

/** Whether a notification (and its email) about a thread may reach this person: only a reader. */
export function canBeNotifiedOfHelpThread(
	person: { id: number; role: Role; companyId: number | null },
	thread: Omit<HelpThreadFacts, 'viewerCompanyId'>
): boolean {
	return canReadHelpThread(
		{
			kind: 'user',
			id: person.id,
			role: person.role,
			handle: '',
			displayName: '',
			email: ''
		},
		{ ...thread, viewerCompanyId: person.companyId }
	);
}

// ─── Testimonials ──────────────────────────────────────────────────────────────────────────
// Staff ask happy customers for a testimonial; only the member asked writes it, only their
// standing consent lets it be published, and they may withdraw that consent at any time
// (docs/testimonials.md).

/** The staff page: who may be asked, inviting them, publishing and unpublishing. */
export function canManageTestimonials(actor: Actor, now = new Date()): actor is UserActor {
	return isStaff(actor) && !isSuspended(actor, now);
}

/** Who may be asked for a testimonial: customers (members and moderators), not while suspended. */
export function canBeAskedForTestimonial(
	person: { role: Role; suspendedUntil: Date | null },
	now = new Date()
): boolean {
	if (person.role !== 'member' && person.role !== 'moderator') {
		return false;
	}
	return person.suspendedUntil === null || person.suspendedUntil.getTime() <= now.getTime();
}

export interface TestimonialFacts {
	userId: number;
	status: 'invited' | 'submitted' | 'published' | 'withdrawn';
	/** A consent that was given and not withdrawn since. */
	consentStanding: boolean;
}

/** The invitation and the testimonial are the invited member's alone to see (staff use their page). */
export function canViewTestimonialInvitation(
	actor: Actor,
	testimonial: Pick<TestimonialFacts, 'userId'>
): actor is UserActor {
	return actor.kind === 'user' && actor.id === testimonial.userId;
}

/** Writing (or editing) it: the invited member, while not suspended. */
export function canWriteTestimonial(
	actor: Actor,
	testimonial: Pick<TestimonialFacts, 'userId'>,
	now = new Date()
): actor is UserActor {
	return canViewTestimonialInvitation(actor, testimonial) && !isSuspended(actor, now);
}

/** Withdrawing consent: the member, at any time (suspended too), while there is one standing. */
export function canWithdrawTestimonialConsent(
	actor: Actor,
	testimonial: Pick<TestimonialFacts, 'userId' | 'consentStanding'>
): actor is UserActor {
	return canViewTestimonialInvitation(actor, testimonial) && testimonial.consentStanding;
}

/** Publishing: staff, a submitted testimonial, with the member's consent standing. */
export function canPublishTestimonial(
	actor: Actor,
	testimonial: Pick<TestimonialFacts, 'status' | 'consentStanding'>,
	now = new Date()
): actor is UserActor {
	return (
		canManageTestimonials(actor, now) &&
		testimonial.status === 'submitted' &&
		testimonial.consentStanding
	);
}

export function canUnpublishTestimonial(
	actor: Actor,
	testimonial: Pick<TestimonialFacts, 'status'>,
	now = new Date()
): actor is UserActor {
	return canManageTestimonials(actor, now) && testimonial.status === 'published';
}

/** The public page and the JSON feed: anyone. */
export function canViewPublishedTestimonials(_actor: Actor): boolean {
	return true;
}
