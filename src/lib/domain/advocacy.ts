import { m } from '$lib/paraglide/messages';
// Advocacy score, points and badges: the published arithmetic over a member's outcomes (what
// their participation achieved, never how much they posted). Shared by the server, which counts
// the outcomes in the activity ledger, and the pages, which explain the numbers. No server imports.

/** What a member's participation achieved, counted from the ledger (docs/metrics.md). */
export interface OutcomeCounts {
	/** Ideas they posted that shipped. */
	ideasShipped: number;
	/** "Helpful" votes their reviews received, minus those withdrawn (never below 0). */
	helpfulVotes: number;
	/** Their replies that are today the accepted answer of a question. */
	acceptedAnswers: number;
	/** People who signed up through their referral link. */
	referrals: number;
	/** Their ideas that staff picked as a winner of a challenge. */
	challengesWon: number;
}

export type OutcomeKey = keyof OutcomeCounts;
export const OUTCOME_KEYS: readonly OutcomeKey[] = [
	'ideasShipped',
	'helpfulVotes',
	'acceptedAnswers',
	'referrals',
	'challengesWon'
];

/** Labels in the reader's language (getters: each read is translated). */
export const OUTCOME_LABELS: Record<OutcomeKey, string> = {
	get ideasShipped() {
		return m.account_outcome_ideas_shipped();
	},
	get helpfulVotes() {
		return m.account_outcome_helpful_votes();
	},
	get acceptedAnswers() {
		return m.account_outcome_accepted_answers();
	},
	get referrals() {
		return m.account_outcome_referrals();
	},
	get challengesWon() {
		return m.account_outcome_challenges_won();
	}
};

/**
 * Advocacy score weights (staff only). A shipped idea and a referral are the strongest signs that
 * a customer shapes the product and vouches for it; a promoter answer (NPS 9–10) adds a bonus.
 */
export const ADVOCACY_WEIGHTS = Object.freeze({
	ideasShipped: 10,
	helpfulVotes: 1,
	acceptedAnswers: 5,
	referrals: 15,
	challengesWon: 10,
	promoter: 10
});

export const PROMOTER_LABEL = 'Promoter bonus (latest NPS 9–10)';

/** Points (public): the same outcomes, on a friendlier scale. Posting and voting earn nothing. */
export const POINT_RULES: Readonly<Record<OutcomeKey, number>> = Object.freeze({
	ideasShipped: 50,
	helpfulVotes: 5,
	acceptedAnswers: 20,
	referrals: 25,
	challengesWon: 100
});

export interface ScoreLine {
	key: OutcomeKey | 'promoter';
	label: string;
	count: number;
	weight: number;
	points: number;
}

export interface Score {
	score: number;
	breakdown: ScoreLine[];
}

function clampCount(n: number): number {
	return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function lines(counts: OutcomeCounts, weights: Record<OutcomeKey, number>): ScoreLine[] {
	return OUTCOME_KEYS.map((key) => {
		const count = clampCount(counts[key]);
		return {
			key,
			label: OUTCOME_LABELS[key],
			count,
			weight: weights[key],
			points: count * weights[key]
		};
	});
}

function total(breakdown: ScoreLine[]): number {
	return breakdown.reduce((sum, line) => sum + line.points, 0);
}

/** The advocacy score: Σ outcome × weight, plus the promoter bonus when the latest NPS is 9–10. */
export function advocacyScore(counts: OutcomeCounts, latestNps: number | null): Score {
	const promoter = latestNps !== null && latestNps >= 9 ? 1 : 0;
	const breakdown = [
		...lines(counts, ADVOCACY_WEIGHTS),
		{
			key: 'promoter' as const,
			label: PROMOTER_LABEL,
			count: promoter,
			weight: ADVOCACY_WEIGHTS.promoter,
			points: promoter * ADVOCACY_WEIGHTS.promoter
		}
	];
	return { score: total(breakdown), breakdown };
}

/** A member's points: Σ outcome × its point rule. */
export function pointsFor(counts: OutcomeCounts): Score {
	const breakdown = lines(counts, POINT_RULES);
	return { score: total(breakdown), breakdown };
}

export interface BadgeRule {
	key: string;
	name: string;
	criterion: string;
	outcome: OutcomeKey;
	threshold: number;
}

/** Badges for milestones in outcomes, all time. Name and criterion read in the reader's language. */
export const BADGES: readonly BadgeRule[] = Object.freeze([
	{
		key: 'shipped_it',
		get name() {
			return m.account_badge_shipped_it();
		},
		get criterion() {
			return m.account_badge_shipped_it_criterion();
		},
		outcome: 'ideasShipped',
		threshold: 1
	},
	{
		key: 'visionary',
		get name() {
			return m.account_badge_visionary();
		},
		get criterion() {
			return m.account_badge_visionary_criterion();
		},
		outcome: 'ideasShipped',
		threshold: 5
	},
	{
		key: 'helpful_reviewer',
		get name() {
			return m.account_badge_helpful_reviewer();
		},
		get criterion() {
			return m.account_badge_helpful_reviewer_criterion();
		},
		outcome: 'helpfulVotes',
		threshold: 10
	},
	{
		key: 'problem_solver',
		get name() {
			return m.account_badge_problem_solver();
		},
		get criterion() {
			return m.account_badge_problem_solver_criterion();
		},
		outcome: 'acceptedAnswers',
		threshold: 5
	},
	{
		key: 'ambassador',
		get name() {
			return m.account_badge_ambassador();
		},
		get criterion() {
			return m.account_badge_ambassador_criterion();
		},
		outcome: 'referrals',
		threshold: 3
	},
	{
		key: 'challenge_winner',
		get name() {
			return m.account_badge_challenge_winner();
		},
		get criterion() {
			return m.account_badge_challenge_winner_criterion();
		},
		outcome: 'challengesWon',
		threshold: 1
	}
]);

/** The badges these all-time outcomes have earned, in the order of `BADGES`. */
export function badgesFor(counts: OutcomeCounts): BadgeRule[] {
	return BADGES.filter((badge) => clampCount(counts[badge.outcome]) >= badge.threshold);
}

export interface Ranked<T> {
	rank: number;
	row: T;
}

/**
 * Standard competition ranking ("1224"): equal points share a rank and the next rank skips.
 * `rows` must already be sorted by points, highest first.
 */
export function rankByPoints<T extends { points: number }>(rows: readonly T[]): Ranked<T>[] {
	let rank = 0;
	return rows.map((row, index) => {
		if (index === 0 || row.points !== rows[index - 1]!.points) {
			rank = index + 1;
		}
		return { rank, row };
	});
}
