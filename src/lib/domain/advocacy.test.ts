import { describe, expect, it } from 'vitest';
import {
	ADVOCACY_WEIGHTS,
	POINT_RULES,
	advocacyScore,
	badgesFor,
	pointsFor,
	rankByPoints,
	type OutcomeCounts
} from './advocacy';

const none: OutcomeCounts = {
	ideasShipped: 0,
	helpfulVotes: 0,
	acceptedAnswers: 0,
	referrals: 0,
	challengesWon: 0
};

describe('advocacyScore', () => {
	it('weights each outcome and adds the promoter bonus: 2×10 + 2×1 + 1×5 + 1×15 + 10 = 52', () => {
		const result = advocacyScore(
			{ ideasShipped: 2, helpfulVotes: 2, acceptedAnswers: 1, referrals: 1, challengesWon: 0 },
			9
		);
		expect(result.score).toBe(52);
		expect(result.breakdown.map((l) => [l.key, l.count, l.weight, l.points])).toEqual([
			['ideasShipped', 2, 10, 20],
			['helpfulVotes', 2, 1, 2],
			['acceptedAnswers', 1, 5, 5],
			['referrals', 1, 15, 15],
			['challengesWon', 0, 10, 0],
			['promoter', 1, 10, 10]
		]);
	});

	it('gives the promoter bonus for 9 and 10 only, not for 8 or no answer', () => {
		expect(advocacyScore(none, 10).score).toBe(ADVOCACY_WEIGHTS.promoter);
		expect(advocacyScore(none, 9).score).toBe(10);
		expect(advocacyScore(none, 8).score).toBe(0);
		expect(advocacyScore(none, 0).score).toBe(0);
		expect(advocacyScore(none, null).score).toBe(0);
	});

	it('never lets a negative or broken count take points away', () => {
		expect(advocacyScore({ ...none, helpfulVotes: -3, referrals: Number.NaN }, null).score).toBe(0);
	});
});

describe('pointsFor', () => {
	it('counts outcomes only: 1 shipped idea (50) + 3 helpful (15) + 2 accepted (40) + 1 referral (25) = 130', () => {
		const result = pointsFor({
			ideasShipped: 1,
			helpfulVotes: 3,
			acceptedAnswers: 2,
			referrals: 1,
			challengesWon: 0
		});
		expect(result.score).toBe(130);
		expect(result.breakdown.map((l) => l.points)).toEqual([50, 15, 40, 25, 0]);
		expect(Object.keys(POINT_RULES)).not.toContain('promoter');
	});

	it('gives 100 points per challenge won, and weighs a win like a shipped idea in advocacy', () => {
		expect(pointsFor({ ...none, challengesWon: 2 }).score).toBe(200);
		expect(advocacyScore({ ...none, challengesWon: 1 }, null).score).toBe(10);
	});

	it('is zero for a member with no outcomes, however much they posted', () => {
		expect(pointsFor(none).score).toBe(0);
	});
});

describe('badgesFor', () => {
	it('awards each badge exactly at its threshold', () => {
		expect(badgesFor(none)).toEqual([]);
		expect(badgesFor({ ...none, ideasShipped: 1 }).map((b) => b.key)).toEqual(['shipped_it']);
		expect(badgesFor({ ...none, ideasShipped: 5 }).map((b) => b.key)).toEqual([
			'shipped_it',
			'visionary'
		]);
		expect(badgesFor({ ...none, helpfulVotes: 9 })).toEqual([]);
		expect(badgesFor({ ...none, helpfulVotes: 10 }).map((b) => b.key)).toEqual([
			'helpful_reviewer'
		]);
		expect(badgesFor({ ...none, acceptedAnswers: 4 })).toEqual([]);
		expect(badgesFor({ ...none, acceptedAnswers: 5 }).map((b) => b.key)).toEqual([
			'problem_solver'
		]);
		expect(badgesFor({ ...none, referrals: 2 })).toEqual([]);
		expect(badgesFor({ ...none, referrals: 3 }).map((b) => b.key)).toEqual(['ambassador']);
		expect(badgesFor({ ...none, challengesWon: 1 }).map((b) => b.name)).toEqual([
			'Challenge winner'
		]);
	});
});

describe('rankByPoints', () => {
	it('gives equal points the same rank and skips the next ranks (1, 2, 2, 4)', () => {
		const ranked = rankByPoints([{ points: 90 }, { points: 50 }, { points: 50 }, { points: 20 }]);
		expect(ranked.map((r) => r.rank)).toEqual([1, 2, 2, 4]);
	});
	it('handles an empty board and a tie at the top', () => {
		expect(rankByPoints([])).toEqual([]);
		expect(rankByPoints([{ points: 5 }, { points: 5 }]).map((r) => r.rank)).toEqual([1, 1]);
	});
});
