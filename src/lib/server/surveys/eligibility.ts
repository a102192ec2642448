// When a member is asked a survey question: pure rules over facts the queries gather, so each
// rule is tested on its own with fixed dates (docs/surveys.md says the same in words).
import { m } from '$lib/paraglide/messages';
import type { SurveyKind } from '../db/schema';

const DAY_MS = 86_400_000;

/** Participation acts from the ledger that count as taking part (not outcomes, not flags). */
export const PARTICIPATION_KINDS = [
	'idea_posted',
	'vote_cast',
	'comment_posted',
	'review_posted',
	'review_updated',
	'thread_posted',
	'reply_posted',
	'poll_voted',
	'like_given'
] as const;

/** Acts a member must have taken before anyone asks them to recommend the site. */
export const MEANINGFUL_ACTS = 3;

/** A CSAT question about a moment (a ship, an answer) is stale after this many days. */
export const CSAT_OFFER_DAYS = 30;

export interface NpsRules {
	/** `npsIntervalDays`: at most one NPS question per member in this many days. */
	intervalDays: number;
	/** `npsMinAccountDays`: no NPS question before the account is this many days old. */
	minAccountDays: number;
}

export interface NpsFacts {
	accountCreatedAt: Date;
	/** Participation acts in the ledger (counting stops at MEANINGFUL_ACTS is fine). */
	participationActs: number;
	/** The latest time the member was asked (offered, answered or dismissed) or answered NPS. */
	lastAskedAt: Date | null;
}

export type NpsDecision =
	{ ask: true } | { ask: false; reason: 'too_new' | 'too_little_activity' | 'asked_recently' };

/** Meaningful activity: an account at least `minAccountDays` old that has taken part 3 times. */
export function hasMeaningfulActivity(facts: NpsFacts, rules: NpsRules, now: Date): boolean {
	return (
		now.getTime() - facts.accountCreatedAt.getTime() >= rules.minAccountDays * DAY_MS &&
		facts.participationActs >= MEANINGFUL_ACTS
	);
}

/** Whether the member may be asked now: meaningful activity and not asked within the interval. */
export function npsDecision(facts: NpsFacts, rules: NpsRules, now: Date): NpsDecision {
	if (now.getTime() - facts.accountCreatedAt.getTime() < rules.minAccountDays * DAY_MS) {
		return { ask: false, reason: 'too_new' };
	}
	if (facts.participationActs < MEANINGFUL_ACTS) {
		return { ask: false, reason: 'too_little_activity' };
	}
	if (
		facts.lastAskedAt &&
		now.getTime() - facts.lastAskedAt.getTime() < rules.intervalDays * DAY_MS
	) {
		return { ask: false, reason: 'asked_recently' };
	}
	return { ask: true };
}

/** An open CSAT question is shown until it is CSAT_OFFER_DAYS old. */
export function isCsatOfferLive(offeredAt: Date, now: Date): boolean {
	return now.getTime() - offeredAt.getTime() < CSAT_OFFER_DAYS * DAY_MS;
}

/** The oldest moment a live CSAT offer can have been made. */
export function csatOfferCutoff(now: Date): Date {
	return new Date(now.getTime() - CSAT_OFFER_DAYS * DAY_MS);
}

export const SCORE_RANGE: Record<SurveyKind, { min: number; max: number }> = {
	nps: { min: 0, max: 10 },
	csat: { min: 1, max: 5 }
};

/** The message for a score outside the question's scale, or null when it is on it. */
export function scoreError(kind: SurveyKind, score: number): string | null {
	const { min, max } = SCORE_RANGE[kind];
	return Number.isInteger(score) && score >= min && score <= max
		? null
		: m.roadmap_survey_score_range({ min, max });
}
