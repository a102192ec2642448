import { describe, expect, it } from 'vitest';
import {
	bayesianAverage,
	formatRating,
	isRating,
	isReviewSort,
	reviewPath,
	starGlyphs
} from './reviews';

describe('bayesianAverage', () => {
	it('ranks forty 4.6-star reviews above one 5-star review', () => {
		const mean = 3.8;
		const one = bayesianAverage(5, 1, mean);
		const forty = bayesianAverage(4.6 * 40, 40, mean);
		expect(forty).toBeGreaterThan(one);
		expect(one).toBeCloseTo((5 * 3.8 + 5) / 6, 10);
	});

	it('is the site mean with no reviews and tends to the product mean with many', () => {
		expect(bayesianAverage(0, 0, 3.5)).toBe(3.5);
		expect(bayesianAverage(2 * 10_000, 10_000, 4.5)).toBeCloseTo(2, 2);
	});
});

describe('review helpers', () => {
	it('accepts whole ratings from 1 to 5 only', () => {
		expect([1, 2, 3, 4, 5].every(isRating)).toBe(true);
		expect([0, 6, 4.5, Number.NaN, '3'].some(isRating)).toBe(false);
	});
	it('knows the sorts', () => {
		expect(isReviewSort('helpful')).toBe(true);
		expect(isReviewSort('votes')).toBe(false);
	});
	it('formats ratings and stars', () => {
		expect(formatRating(4.25)).toBe('4.3');
		expect(formatRating(4)).toBe('4.0');
		expect(starGlyphs(4)).toBe('★★★★☆');
		expect(starGlyphs(0)).toBe('☆☆☆☆☆');
		expect(reviewPath({ id: 7 })).toBe('/reviews/7');
	});
});
