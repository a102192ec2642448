// What review pages read: a product's rating summary (from the rows, at read time, so it is
// exact under concurrent writes and drops hidden or deleted reviews at once), the review list,
// one review with its history, a member's own review, and the products ranking.
import { sql } from 'kysely';
import { ideaPath } from '$lib/domain/ideas';
import type { Visibility } from '$lib/domain/moderation';
import { m } from '$lib/paraglide/messages';
import {
	BAYES_FALLBACK_MEAN,
	bayesianAverage,
	reviewPath,
	type Rating,
	type ReviewSort
} from '$lib/domain/reviews';
import type { Db } from '../db';
import { canSeeHiddenReviews, canViewReviewHistory, type Actor } from '../policy';

export const REVIEWS_PAGE_SIZE = 20;

export interface RatingSummary {
	count: number;
	/** Null when there are no reviews. */
	average: number | null;
	/** How many reviews gave each rating, 5 down to 1. */
	distribution: { rating: Rating; count: number }[];
}

/**
 * Average, count and distribution of a product's visible, live reviews, in one statement (one
 * snapshot). Served by `post_one_review_idx` (product_id, author_id where kind = 'review' and
 * not deleted) and the review primary key.
 */
export async function ratingSummary(db: Db, productId: number): Promise<RatingSummary> {
	const rows = await db
		.selectFrom('post')
		.innerJoin('review', 'review.post_id', 'post.id')
		.select(['review.rating', sql<number>`count(*)`.as('n')])
		.where('post.kind', '=', 'review')
		.where('post.product_id', '=', productId)
		.where('post.deleted_at', 'is', null)
		.where('post.visibility', '=', 'visible')
		.groupBy('review.rating')
		.execute();
	const counts = new Map(rows.map((r) => [r.rating, r.n]));
	const distribution = ([5, 4, 3, 2, 1] as const).map((rating) => ({
		rating,
		count: counts.get(rating) ?? 0
	}));
	const count = distribution.reduce((sum, d) => sum + d.count, 0);
	const total = distribution.reduce((sum, d) => sum + d.rating * d.count, 0);
	return { count, average: count === 0 ? null : total / count, distribution };
}

export interface ReviewView {
	id: number;
	path: string;
	rating: Rating;
	title: string;
	bodyHtml: string;
	author: { handle: string; displayName: string };
	/** The reviewer's company owns the product. */
	verified: boolean;
	createdAt: Date;
	editedAt: Date | null;
	version: number;
	helpfulCount: number;
	/** The viewer marked it helpful. */
	helpfulByViewer: boolean;
	visibility: Visibility;
	hiddenReason: string | null;
	authorId: number;
	reply: {
		id: number;
		bodyHtml: string;
		/** The markdown, for staff editing the reply. */
		bodySource: string;
		author: { displayName: string };
		createdAt: Date;
		editedAt: Date | null;
	} | null;
	trackedIn: { id: number; title: string; path: string; status: string } | null;
	/** When the tracked idea shipped (the reviewer was invited to update), if it has. */
	ideaShippedAt: Date | null;
	/** The review was changed after its tracked idea shipped. */
	updatedAfterShipped: boolean;
}

function selectReviews(db: Db, viewerId: number | null) {
	return db
		.selectFrom('post')
		.innerJoin('review', 'review.post_id', 'post.id')
		.innerJoin('app_user as author', 'author.id', 'post.author_id')
		.leftJoin('comment as reply', (join) =>
			join
				.onRef('reply.post_id', '=', 'post.id')
				.on('reply.is_official', '=', true)
				.on('reply.deleted_at', 'is', null)
		)
		.leftJoin('app_user as replier', 'replier.id', 'reply.author_id')
		.leftJoin('post as idea', (join) =>
			join.onRef('idea.id', '=', 'review.tracked_idea_id').on('idea.deleted_at', 'is', null)
		)
		.leftJoin('idea_status', 'idea_status.id', 'idea.status_id')
		.select((eb) => [
			'post.id',
			'post.product_id',
			'post.author_id',
			'post.title',
			'post.body_html',
			'post.created_at',
			'post.edited_at',
			'post.vote_count',
			'post.visibility',
			'post.hidden_reason',
			'post.deleted_at',
			'review.rating',
			'review.version',
			'review.idea_shipped_at',
			'author.handle',
			'author.display_name',
			// The verified-customer badge: the reviewer's company owns the product.
			eb
				.exists(
					eb
						.selectFrom('company_product')
						.select('company_product.product_id')
						.whereRef('company_product.company_id', '=', 'author.company_id')
						.whereRef('company_product.product_id', '=', 'post.product_id')
				)
				.as('verified'),
			'reply.id as reply_id',
			'reply.body_html as reply_html',
			'reply.body_source as reply_source',
			'reply.created_at as reply_created_at',
			'reply.edited_at as reply_edited_at',
			'replier.display_name as replier_name',
			'idea.id as idea_id',
			'idea.title as idea_title',
			'idea_status.name as idea_status',
			viewerId === null
				? sql<boolean>`false`.as('helpful_by_viewer')
				: eb
						.exists(
							eb
								.selectFrom('vote')
								.select('vote.post_id')
								.whereRef('vote.post_id', '=', 'post.id')
								.where('vote.user_id', '=', viewerId)
						)
						.as('helpful_by_viewer')
		])
		.where('post.kind', '=', 'review');
}

type ReviewRow = Awaited<ReturnType<ReturnType<typeof selectReviews>['executeTakeFirstOrThrow']>>;

function toView(row: ReviewRow): ReviewView {
	return {
		id: row.id,
		path: reviewPath(row),
		rating: row.rating as Rating,
		title: row.title,
		bodyHtml: row.body_html,
		author: { handle: row.handle, displayName: row.display_name },
		authorId: row.author_id,
		verified: Boolean(row.verified),
		createdAt: row.created_at,
		editedAt: row.edited_at,
		version: row.version,
		helpfulCount: row.vote_count,
		helpfulByViewer: Boolean(row.helpful_by_viewer),
		visibility: row.visibility,
		hiddenReason: row.hidden_reason,
		reply:
			row.reply_id !== null && row.reply_html !== null && row.reply_created_at !== null
				? {
						id: row.reply_id,
						bodyHtml: row.reply_html,
						bodySource: row.reply_source ?? '',
						author: { displayName: row.replier_name ?? m.reviews_staff_fallback() },
						createdAt: row.reply_created_at,
						editedAt: row.reply_edited_at
					}
				: null,
		trackedIn:
			row.idea_id !== null && row.idea_title !== null
				? {
						id: row.idea_id,
						title: row.idea_title,
						path: ideaPath({ id: row.idea_id, title: row.idea_title }),
						status: row.idea_status ?? ''
					}
				: null,
		ideaShippedAt: row.idea_shipped_at,
		updatedAfterShipped:
			row.idea_shipped_at !== null &&
			row.edited_at !== null &&
			row.edited_at.getTime() > row.idea_shipped_at.getTime()
	};
}

export interface ListReviewsOptions {
	productId: number;
	sort: ReviewSort;
	/** Only reviews with this rating. */
	stars: Rating | null;
	/** 1-based. */
	page: number;
	/**
	 * Instead of numbered pages: the reviews before this id, newest first, `limit` of them (the
	 * API's pages, which stay put as reviews are added; `sort` must be 'newest').
	 */
	newest?: { beforeId: number | null; limit: number };
}

/**
 * A page of a product's reviews. Members see visible, live reviews; moderators also see held
 * and hidden ones (marked). Sorted by the chosen order, then newest, then id.
 */
export async function listReviews(
	db: Db,
	actor: Actor,
	options: ListReviewsOptions
): Promise<{ reviews: ReviewView[]; hasMore: boolean }> {
	let query = selectReviews(db, actor.kind === 'user' ? actor.id : null)
		.where('post.product_id', '=', options.productId)
		.where('post.deleted_at', 'is', null);
	if (!canSeeHiddenReviews(actor)) {
		query = query.where('post.visibility', '=', 'visible');
	}
	if (options.stars !== null) {
		query = query.where('review.rating', '=', options.stars);
	}
	const newest = options.newest;
	if (newest) {
		const rows = await query
			.$if(newest.beforeId !== null, (q) => q.where('post.id', '<', newest.beforeId!))
			.orderBy('post.id', 'desc')
			.limit(newest.limit + 1)
			.execute();
		return {
			reviews: rows.slice(0, newest.limit).map(toView),
			hasMore: rows.length > newest.limit
		};
	}
	switch (options.sort) {
		case 'helpful':
			query = query.orderBy('post.vote_count', 'desc');
			break;
		case 'highest':
			query = query.orderBy('review.rating', 'desc');
			break;
		case 'lowest':
			query = query.orderBy('review.rating', 'asc');
			break;
		case 'newest':
			break;
	}
	const rows = await query
		.orderBy('post.created_at', 'desc')
		.orderBy('post.id', 'desc')
		.limit(REVIEWS_PAGE_SIZE + 1)
		.offset((options.page - 1) * REVIEWS_PAGE_SIZE)
		.execute();
	return {
		reviews: rows.slice(0, REVIEWS_PAGE_SIZE).map(toView),
		hasMore: rows.length > REVIEWS_PAGE_SIZE
	};
}

export interface OwnReview extends ReviewView {
	bodySource: string;
}

/** The member's live review of the product (whatever its visibility), to show and edit. */
export async function findOwnReview(
	db: Db,
	productId: number,
	userId: number
): Promise<OwnReview | undefined> {
	const row = await selectReviews(db, userId)
		.select('post.body_source')
		.where('post.product_id', '=', productId)
		.where('post.author_id', '=', userId)
		.where('post.deleted_at', 'is', null)
		.executeTakeFirst();
	return row ? { ...toView(row), bodySource: row.body_source } : undefined;
}

export interface ReviewVersion {
	version: number;
	rating: Rating;
	title: string;
	bodyHtml: string;
	writtenAt: Date;
	replacedAt: Date;
}

export interface ReviewDetail extends ReviewView {
	product: { id: number; name: string; slug: string };
	deleted: boolean;
	/** Earlier versions, newest first; empty unless the viewer may see them. */
	versions: ReviewVersion[];
}

/** One review with its product, and its earlier versions for those who may see them. */
export async function getReviewDetail(
	db: Db,
	actor: Actor,
	reviewId: number
): Promise<ReviewDetail | undefined> {
	const row = await selectReviews(db, actor.kind === 'user' ? actor.id : null)
		.innerJoin('product', 'product.id', 'post.product_id')
		.select(['product.name as product_name', 'product.slug as product_slug'])
		.where('post.id', '=', reviewId)
		.executeTakeFirst();
	if (!row) {
		return undefined;
	}
	const versions = canViewReviewHistory(actor)
		? await db
				.selectFrom('review_version')
				.select(['version', 'rating', 'title', 'body_html', 'written_at', 'replaced_at'])
				.where('post_id', '=', reviewId)
				.orderBy('version', 'desc')
				.execute()
		: [];
	return {
		...toView(row),
		product: { id: row.product_id!, name: row.product_name, slug: row.product_slug },
		deleted: row.deleted_at !== null,
		versions: versions.map((v) => ({
			version: v.version,
			rating: v.rating as Rating,
			title: v.title,
			bodyHtml: v.body_html,
			writtenAt: v.written_at,
			replacedAt: v.replaced_at
		}))
	};
}

/** Ideas of the product a review can be tracked in (not deleted or merged), newest first. */
export async function listTrackableIdeas(
	db: Db,
	productId: number
): Promise<{ id: number; title: string; status: string }[]> {
	return db
		.selectFrom('post')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.select(['post.id', 'post.title', 'idea_status.name as status'])
		.where('post.kind', '=', 'idea')
		.where('post.product_id', '=', productId)
		.where('post.deleted_at', 'is', null)
		.where('post.merged_into_id', 'is', null)
		.orderBy('post.created_at', 'desc')
		.orderBy('post.id', 'desc')
		.limit(200)
		.execute();
}

// The ranking ------------------------------------------------------------------------------------

export interface RankedProduct {
	id: number;
	name: string;
	slug: string;
	description: string;
	reviewCount: number;
	/** The plain mean, null without reviews. */
	average: number | null;
	/** The Bayesian average the ranking sorts by, null without reviews. */
	score: number | null;
}

/**
 * Products that are not archived, ranked by the Bayesian average of their visible, live
 * reviews (docs/design.md, Reviews). Products without reviews come after the rated ones, by name.
 */
export async function rankProducts(
	db: Db
): Promise<{ products: RankedProduct[]; siteMean: number }> {
	const stats = db
		.selectFrom('post')
		.innerJoin('review', 'review.post_id', 'post.id')
		.where('post.kind', '=', 'review')
		.where('post.deleted_at', 'is', null)
		.where('post.visibility', '=', 'visible');
	const [rows, site] = await Promise.all([
		db
			.selectFrom('product')
			.leftJoin(
				stats
					.select([
						'post.product_id',
						sql<number>`count(*)`.as('n'),
						sql<number>`sum(review.rating)`.as('total')
					])
					.groupBy('post.product_id')
					.as('stats'),
				'stats.product_id',
				'product.id'
			)
			.select([
				'product.id',
				'product.name',
				'product.slug',
				'product.description',
				'stats.n',
				'stats.total'
			])
			.where('product.archived_at', 'is', null)
			.execute(),
		stats
			.select([sql<number>`count(*)`.as('n'), sql<number>`sum(review.rating)`.as('total')])
			.executeTakeFirstOrThrow()
	]);
	const siteMean = site.n > 0 ? Number(site.total) / site.n : BAYES_FALLBACK_MEAN;
	const products = rows.map((row) => {
		const n = row.n ?? 0;
		const total = Number(row.total ?? 0);
		return {
			id: row.id,
			name: row.name,
			slug: row.slug,
			description: row.description,
			reviewCount: n,
			average: n > 0 ? total / n : null,
			score: n > 0 ? bayesianAverage(total, n, siteMean) : null
		};
	});
	products.sort(
		(a, b) =>
			(b.score ?? -1) - (a.score ?? -1) ||
			b.reviewCount - a.reviewCount ||
			a.name.localeCompare(b.name, 'en')
	);
	return { products, siteMean };
}

/**
 * A JSON-LD `<script>` element for the page head. JSON.stringify escapes nothing HTML cares
 * about, so `<`, `>`, `&` and the JS line separators become \u escapes: a product called
 * `</script><script>…` stays a string inside the element.
 */
export function jsonLdScript(data: Record<string, unknown>): string {
	const json = JSON.stringify(data)
		.replace(/</g, '\\u003c')
		.replace(/>/g, '\\u003e')
		.replace(/&/g, '\\u0026')
		.replace(/\u2028/g, '\\u2028')
		.replace(/\u2029/g, '\\u2029');
	return `<script type="application/ld+json">${json}</script>`;
}
