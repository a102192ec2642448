// Testimonials vocabulary and the pure rules behind them: the consent that stands, and who may be
// asked (merging promoters and happy reviewers). Shared by server and UI; no server imports here.

export const TESTIMONIAL_STATUSES = ['invited', 'submitted', 'published', 'withdrawn'] as const;
export type TestimonialStatus = (typeof TESTIMONIAL_STATUSES)[number];

export function isTestimonialStatus(value: unknown): value is TestimonialStatus {
	return typeof value === 'string' && (TESTIMONIAL_STATUSES as readonly string[]).includes(value);
}

export const TESTIMONIAL_BODY_MIN = 20;
export const TESTIMONIAL_BODY_MAX = 1000;
export const TESTIMONIAL_MESSAGE_MAX = 1000;

/**
 * The version of the consent wording. Change it whenever the wording changes: a consent given to
 * an older wording no longer lets staff publish (the member is asked to agree again).
 */
export const TESTIMONIAL_CONSENT_VERSION = '2026-11-23';

/** Promoters (latest NPS) and 4–5 star reviews count when given within this many days. */
export const TESTIMONIAL_REASON_WINDOW_DAYS = 365;
/** Someone invited within this many days is not suggested again. */
export const TESTIMONIAL_REINVITE_DAYS = 180;
export const TESTIMONIAL_PROMOTER_MIN = 9;
export const TESTIMONIAL_RATING_MIN = 4;

const DAY_MS = 24 * 60 * 60 * 1000;

export function daysBefore(now: Date, days: number): Date {
	return new Date(now.getTime() - days * DAY_MS);
}

/** Consent that lets staff publish: given, to the current wording, and not withdrawn since. */
export function consentStanding(consent: {
	consentAt: Date | null;
	consentVersion: string | null;
	withdrawnAt: Date | null;
}): boolean {
	return (
		consent.consentAt !== null &&
		consent.withdrawnAt === null &&
		consent.consentVersion === TESTIMONIAL_CONSENT_VERSION
	);
}

/** Why publishing is refused, or null when it may go ahead. */
export type PublishBlock = 'not_submitted' | 'already_published' | 'no_consent';

export function publishBlock(t: {
	status: TestimonialStatus;
	consentAt: Date | null;
	consentVersion: string | null;
	withdrawnAt: Date | null;
}): PublishBlock | null {
	if (t.status === 'published') {
		return 'already_published';
	}
	if (t.status === 'invited') {
		return 'not_submitted';
	}
	return consentStanding(t) ? null : 'no_consent';
}

// Who may be asked ------------------------------------------------------------------------------

export interface CandidatePerson {
	id: number;
	handle: string;
	displayName: string;
	company: string | null;
	/** Whether the person may be asked at all (role, suspension: `canBeAskedForTestimonial`). */
	askable: boolean;
}

export interface PromoterReason {
	score: number;
	reason: string | null;
	at: Date;
}

export interface ReviewReason {
	postId: number;
	authorId: number;
	title: string;
	rating: number;
	product: { name: string; slug: string } | null;
	at: Date;
}

export interface TestimonialCandidate {
	userId: number;
	handle: string;
	displayName: string;
	company: string | null;
	/** Their latest NPS answer, when it is a promoter's (9–10). */
	nps: PromoterReason | null;
	/** Their 4–5 star reviews, best and newest first. */
	reviews: ReviewReason[];
	/** The newest of the reasons: the list's order. */
	latestAt: Date;
}

/**
 * Merges latest NPS answers and reviews into one row per person who may be asked: a promoter
 * (latest score 9–10) or the author of a 4–5 star review, who is askable and not excluded (invited
 * recently, or has written a testimonial). Newest reason first.
 */
export function mergeCandidates(input: {
	people: readonly CandidatePerson[];
	latestNps: readonly { userId: number; score: number; reason: string | null; createdAt: Date }[];
	reviews: readonly ReviewReason[];
	excludedUserIds: ReadonlySet<number>;
}): TestimonialCandidate[] {
	const byId = new Map<number, TestimonialCandidate>();
	const people = new Map(input.people.map((p) => [p.id, p]));
	const row = (userId: number): TestimonialCandidate | null => {
		const person = people.get(userId);
		if (!person || !person.askable || input.excludedUserIds.has(userId)) {
			return null;
		}
		let candidate = byId.get(userId);
		if (!candidate) {
			candidate = {
				userId,
				handle: person.handle,
				displayName: person.displayName,
				company: person.company,
				nps: null,
				reviews: [],
				latestAt: new Date(0)
			};
			byId.set(userId, candidate);
		}
		return candidate;
	};
	for (const answer of input.latestNps) {
		if (answer.score < TESTIMONIAL_PROMOTER_MIN) {
			continue;
		}
		const candidate = row(answer.userId);
		if (candidate) {
			candidate.nps = { score: answer.score, reason: answer.reason, at: answer.createdAt };
		}
	}
	for (const review of input.reviews) {
		if (review.rating < TESTIMONIAL_RATING_MIN) {
			continue;
		}
		row(review.authorId)?.reviews.push(review);
	}
	const candidates = [...byId.values()];
	for (const c of candidates) {
		c.reviews.sort((a, b) => b.rating - a.rating || b.at.getTime() - a.at.getTime());
		const times = [c.nps?.at.getTime() ?? 0, ...c.reviews.map((r) => r.at.getTime())];
		c.latestAt = new Date(Math.max(...times));
	}
	return candidates.sort(
		(a, b) => b.latestAt.getTime() - a.latestAt.getTime() || a.userId - b.userId
	);
}

/** The reason an invitation records: the promoter score if there is one, else the best review. */
export function invitationReason(
	candidate: TestimonialCandidate
): { kind: 'nps' | 'review'; score: number; postId: number | null } | null {
	if (candidate.nps) {
		return { kind: 'nps', score: candidate.nps.score, postId: null };
	}
	const review = candidate.reviews[0];
	return review ? { kind: 'review', score: review.rating, postId: review.postId } : null;
}

export function testimonialInvitationPath(id: number): string {
	return `/testimonials/invitations/${id}`;
}
