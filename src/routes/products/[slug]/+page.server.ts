import { error, fail, redirect } from '@sveltejs/kit';
import type { IdeaSort } from '$lib/domain/ideas';
import { isRating, isReviewSort, type Rating, type ReviewSort } from '$lib/domain/reviews';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { m } from '$lib/paraglide/messages';
import { echo, parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { InvalidCursorError, isIdeaSort, listIdeas } from '$lib/server/ideas/queries';
import { canMarkHelpful, canWriteReview } from '$lib/server/policy';
import { getProductBySlug } from '$lib/server/products';
import { REVIEW_FIELDS, reviewSchema, writeReview } from '$lib/server/reviews';
import { checkPostingAllowed } from '$lib/server/moderation/web';
import {
	findOwnReview,
	jsonLdScript,
	listReviews,
	ratingSummary,
	type RatingSummary
} from '$lib/server/reviews/queries';
import type { Actions, PageServerLoad } from './$types';

/** The product's schema.org description with its AggregateRating (left out without reviews). */
function productJsonLd(
	product: { name: string; description: string },
	url: string,
	summary: RatingSummary
): string {
	return jsonLdScript({
		'@context': 'https://schema.org',
		'@type': 'Product',
		name: product.name,
		...(product.description ? { description: product.description } : {}),
		url,
		...(summary.average !== null
			? {
					aggregateRating: {
						'@type': 'AggregateRating',
						ratingValue: Math.round(summary.average * 100) / 100,
						reviewCount: summary.count,
						bestRating: 5,
						worstRating: 1
					}
				}
			: {})
	});
}

function pageParam(value: string | null): number {
	return value !== null && /^\d{1,6}$/.test(value) && Number(value) > 0 ? Number(value) : 1;
}

export const load = (async ({ params, url, locals }) => {
	const db = getDb();
	const product = await getProductBySlug(db, params.slug);
	if (!product) {
		error(404, m.reviews_no_product());
	}
	const sortParam = url.searchParams.get('sort');
	const sort: IdeaSort = isIdeaSort(sortParam) ? sortParam : 'trending';
	const cursor = url.searchParams.get('after') || null;

	const reviewSortParam = url.searchParams.get('reviews');
	const reviewSort: ReviewSort = isReviewSort(reviewSortParam) ? reviewSortParam : 'helpful';
	const starsParam = Number(url.searchParams.get('stars'));
	const stars: Rating | null = isRating(starsParam) ? starsParam : null;
	const reviewPage = pageParam(url.searchParams.get('page'));
	const { actor } = locals;
	const archived = product.archivedAt !== null;

	try {
		const [list, summary, reviews, own] = await Promise.all([
			listIdeas(db, { productSlug: product.slug, sort, cursor }),
			ratingSummary(db, product.id),
			listReviews(db, actor, { productId: product.id, sort: reviewSort, stars, page: reviewPage }),
			actor.kind === 'user' ? findOwnReview(db, product.id, actor.id) : undefined
		]);
		return {
			product: {
				name: product.name,
				slug: product.slug,
				description: product.description,
				archived
			},
			sort,
			ideas: list.ideas,
			nextCursor: list.nextCursor,
			paged: cursor !== null,
			reviews: {
				summary,
				list: reviews.reviews.map((review) => {
					const facts = {
						authorId: review.authorId,
						deleted: false,
						visibility: review.visibility
					};
					// Visitors see the button too: using it takes them to sign in and back.
					const canHelpful =
						actor.kind === 'anonymous'
							? review.visibility === 'visible'
							: canMarkHelpful(actor, facts);
					return { ...review, canHelpful };
				}),
				hasMore: reviews.hasMore,
				sort: reviewSort,
				stars,
				page: reviewPage,
				own: own ?? null,
				canWrite: actor.kind === 'anonymous' ? !archived : canWriteReview(actor, { archived }),
				signedIn: actor.kind === 'user'
			},
			jsonLd: productJsonLd(product, `${url.origin}/products/${product.slug}`, summary)
		};
	} catch (cause) {
		if (cause instanceof InvalidCursorError) {
			error(400, m.ideas_invalid_cursor());
		}
		throw cause;
	}
}) satisfies PageServerLoad;

export const actions = {
	review: async (event) => {
		const actor = requireUser({
			locals: event.locals,
			url: new URL(`${event.url.pathname}#write-review`, event.url)
		});
		const product = await getProductBySlug(getDb(), event.params.slug);
		if (!product) {
			error(404, m.reviews_no_product_short());
		}
		const form = await readForm(event.request);
		const values = echo(form, REVIEW_FIELDS);
		const parsed = parseForm(form, reviewSchema, REVIEW_FIELDS);
		if (!parsed.ok) {
			return fail(400, { reviewForm: { values, errors: parsed.errors, message: null } });
		}
		// A new review is a new post: posting limits and approval holds apply. Editing one's own
		// review (or a crafted second one, refused below) is not, as editing an idea is not.
		const existing = await findOwnReview(getDb(), product.id, actor.id);
		const allowed = existing
			? ({ ok: true, visibility: undefined } as const)
			: await checkPostingAllowed(event, actor, { kind: 'post', body: parsed.data.body });
		if (!allowed.ok) {
			const errors: FieldErrors = allowed.reason === 'links' ? { body: allowed.message } : {};
			return fail(allowed.status, {
				reviewForm: { values, errors, message: allowed.reason === 'links' ? null : allowed.message }
			});
		}
		const result = await writeReview(getDb(), actor, product.id, parsed.data, {
			visibility: allowed.visibility
		});
		if (!result.ok) {
			if (result.reason === 'not_found') {
				error(404, m.reviews_no_product_short());
			}
			const refusal = (status: number, message: string) =>
				fail(status, { reviewForm: { values, errors: {} as FieldErrors, message } });
			switch (result.reason) {
				case 'forbidden':
					return refusal(403, m.reviews_write_forbidden());
				case 'archived':
					return refusal(409, m.reviews_write_archived());
				case 'duplicate':
					return refusal(409, m.reviews_write_duplicate());
				case 'stale':
					return refusal(409, m.reviews_write_stale());
			}
		}
		redirect(
			303,
			`/products/${encodeURIComponent(product.slug)}?${result.created ? 'reviewed' : 'updated'}=1#your-review`
		);
	}
} satisfies Actions;
