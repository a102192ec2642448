// Review vocabulary shared by server and UI (no server imports here).
import { formatNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';

export const RATINGS = [1, 2, 3, 4, 5] as const;
export type Rating = (typeof RATINGS)[number];

export const REVIEW_TITLE_MIN = 3;
export const REVIEW_TITLE_MAX = 120;
export const REVIEW_BODY_MIN = 20;
export const REVIEW_BODY_MAX = 10_000;
export const REVIEW_REPLY_MAX = 5_000;

export const REVIEW_SORTS = ['helpful', 'newest', 'highest', 'lowest'] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];
/** A review order's name in the reader's language. */
export function reviewSortLabel(sort: ReviewSort): string {
	const labels: Record<ReviewSort, () => string> = {
		helpful: m.reviews_sort_helpful,
		newest: m.reviews_sort_newest,
		highest: m.reviews_sort_highest,
		lowest: m.reviews_sort_lowest
	};
	return labels[sort]();
}

export function isReviewSort(value: unknown): value is ReviewSort {
	return typeof value === 'string' && (REVIEW_SORTS as readonly string[]).includes(value);
}

export function isRating(value: unknown): value is Rating {
	return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;
}

/**
 * The product ranking's Bayesian average (docs/design.md, Reviews): each product's ratings are
 * averaged together with PRIOR_WEIGHT imaginary reviews at the site-wide mean, so a product with
 * few reviews is pulled towards the mean and one 5-star review does not beat forty 4.6-star ones.
 */
export const BAYES_PRIOR_WEIGHT = 5;
/** The prior's mean when the site has no reviews at all yet. */
export const BAYES_FALLBACK_MEAN = 3;

export function bayesianAverage(sum: number, count: number, siteMean: number): number {
	return (BAYES_PRIOR_WEIGHT * siteMean + sum) / (BAYES_PRIOR_WEIGHT + count);
}

/** The address of a review's own page. */
export function reviewPath(review: { id: number }): string {
	return `/reviews/${review.id}`;
}

/** "4.3" (German "4,3") — one decimal, the way ratings are shown everywhere. */
export function formatRating(value: number): string {
	return formatNumber(Math.round(value * 10) / 10, {
		minimumFractionDigits: 1,
		maximumFractionDigits: 1
	});
}

/** "★★★★☆" for 4: decoration only, always next to the number in words. */
export function starGlyphs(rating: number): string {
	const full = Math.max(0, Math.min(5, Math.round(rating)));
	return '★'.repeat(full) + '☆'.repeat(5 - full);
}
