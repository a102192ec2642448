// Reviews: writing one (a second write edits it and keeps the earlier version), helpful votes,
// the official staff reply and the "tracked in" link to an idea. Each write is one transaction
// with its ledger rows, notifications and audit entries.
import { sql } from 'kysely';
import { z } from 'zod';
import { ideaPath } from '$lib/domain/ideas';
import {
	REVIEW_BODY_MAX,
	REVIEW_BODY_MIN,
	REVIEW_REPLY_MAX,
	REVIEW_TITLE_MAX,
	REVIEW_TITLE_MIN,
	reviewPath,
	type Rating
} from '$lib/domain/reviews';
import type { Visibility } from '$lib/domain/moderation';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { emitWebhookEvent } from '../webhooks';
import { reviewPayload } from '../webhooks/payloads';
import { recordAudit } from '../audit';
import { formatNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import { requiredField } from '../ideas/fields';
import { renderMarkdown } from '../markdown';
import { createNotifications } from '../notifications';
import {
	canMarkHelpful,
	canParticipate,
	canReplyToReview,
	canTrackReview,
	canWriteReview,
	type Actor,
	type ReviewFacts
} from '../policy';
import { addVote, dropVote } from '../votes';
import { notifyFollowups } from './followup';

// The form -----------------------------------------------------------------------------------

const ratingMessage = () => m.reviews_choose_rating();

/** A review id from a hidden field: '' (or absent) for a new review. */
const idField = z
	.union([z.literal(''), z.string().regex(/^\d{1,15}$/)], {
		error: () => m.reviews_form_unreadable()
	})
	.optional()
	.transform((v) => (v ? Number(v) : null));

export const reviewSchema = z.object({
	rating: z
		.string({ error: ratingMessage })
		.trim()
		.regex(/^[1-5]$/, { error: ratingMessage })
		.transform((v) => Number(v) as Rating),
	title: requiredField(m.reviews_title_missing)
		.min(REVIEW_TITLE_MIN, { error: () => m.reviews_title_too_short({ min: REVIEW_TITLE_MIN }) })
		.max(REVIEW_TITLE_MAX, { error: () => m.reviews_title_too_long({ max: REVIEW_TITLE_MAX }) }),
	body: z
		.string({ error: () => m.reviews_body_too_short({ min: REVIEW_BODY_MIN }) })
		.trim()
		.min(REVIEW_BODY_MIN, { error: () => m.reviews_body_too_short({ min: REVIEW_BODY_MIN }) })
		.max(REVIEW_BODY_MAX, {
			error: () => m.reviews_too_long({ max: formatNumber(REVIEW_BODY_MAX) })
		}),
	review: idField
});
export const REVIEW_FIELDS = ['rating', 'title', 'body', 'review'] as const;
export type ReviewInput = z.output<typeof reviewSchema>;

export const replySchema = z.object({
	body: requiredField(m.reviews_reply_missing).max(REVIEW_REPLY_MAX, {
		error: () => m.reviews_too_long({ max: formatNumber(REVIEW_REPLY_MAX) })
	})
});
export const REPLY_FIELDS = ['body'] as const;

export const trackSchema = z.object({
	idea: idField
});
export const TRACK_FIELDS = ['idea'] as const;

export function parseReviewId(param: string): number | null {
	return /^\d{1,15}$/.test(param) ? Number(param) : null;
}

// Writing ------------------------------------------------------------------------------------

export type WriteReviewResult =
	| { ok: true; id: number; path: string; created: boolean; changed: boolean }
	| { ok: false; reason: 'not_found' | 'forbidden' | 'archived' }
	/** A new review where the member already has one: they edit it instead. */
	| { ok: false; reason: 'duplicate'; existingId: number }
	/** An edit of a review that is not the member's live review (deleted, or someone else's). */
	| { ok: false; reason: 'stale' };

/** Serialises one member's writes on one product, so "do I have a review?" holds until commit. */
async function lockMemberProduct(trx: Db, productId: number, userId: number): Promise<void> {
	await sql`select pg_advisory_xact_lock(hashtext(${`roundtable:review:${productId}:${userId}`}))`.execute(
		trx
	);
}

/**
 * A member reviews a product. With `input.review` null it is a new review, refused when the
 * member already has one (a stale form, or a crafted request); with the id of their review it
 * edits it: the previous rating, title and body go to `review_version`, and the ledger gets
 * `review_updated`. Submitting the same text again changes nothing.
 */
export async function writeReview(
	db: Db,
	actor: Actor,
	productId: number,
	input: ReviewInput,
	/** A new member's first reviews may wait for approval (moderation's posting check). */
	options: { visibility?: Visibility } = {}
): Promise<WriteReviewResult> {
	if (!canParticipate(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<WriteReviewResult> => {
		const product = await trx
			.selectFrom('product')
			.select(['id', 'archived_at'])
			.where('id', '=', productId)
			.executeTakeFirst();
		if (!product) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canWriteReview(actor, { archived: product.archived_at !== null })) {
			return { ok: false, reason: 'archived' };
		}
		await lockMemberProduct(trx, product.id, actor.id);
		const existing = await trx
			.selectFrom('post')
			.innerJoin('review', 'review.post_id', 'post.id')
			.select([
				'post.id',
				'post.title',
				'post.body_source',
				'post.body_html',
				'post.created_at',
				'post.edited_at',
				'review.rating',
				'review.version'
			])
			.where('post.kind', '=', 'review')
			.where('post.product_id', '=', product.id)
			.where('post.author_id', '=', actor.id)
			.where('post.deleted_at', 'is', null)
			.forUpdate()
			.executeTakeFirst();

		if (input.review === null) {
			if (existing) {
				return { ok: false, reason: 'duplicate', existingId: existing.id };
			}
			const post = await trx
				.insertInto('post')
				.values({
					kind: 'review',
					product_id: product.id,
					author_id: actor.id,
					title: input.title,
					body_source: input.body,
					body_html: renderMarkdown(input.body),
					visibility: options.visibility ?? 'visible'
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx.insertInto('review').values({ post_id: post.id, rating: input.rating }).execute();
			await recordActivity(trx, {
				userId: actor.id,
				kind: 'review_posted',
				postId: post.id,
				productId: product.id,
				data: { rating: input.rating }
			});
			await emitWebhookEvent(trx, 'review.created', () => reviewPayload(trx, post.id));
			return { ok: true, id: post.id, path: reviewPath(post), created: true, changed: true };
		}

		if (!existing || existing.id !== input.review) {
			return { ok: false, reason: 'stale' };
		}
		const same =
			existing.rating === input.rating &&
			existing.title === input.title &&
			existing.body_source === input.body;
		if (same) {
			return {
				ok: true,
				id: existing.id,
				path: reviewPath(existing),
				created: false,
				changed: false
			};
		}
		await trx
			.insertInto('review_version')
			.values({
				post_id: existing.id,
				version: existing.version,
				rating: existing.rating,
				title: existing.title,
				body_source: existing.body_source,
				body_html: existing.body_html,
				written_at: existing.edited_at ?? existing.created_at
			})
			.execute();
		const now = new Date();
		await trx
			.updateTable('post')
			.set({
				title: input.title,
				body_source: input.body,
				body_html: renderMarkdown(input.body),
				edited_at: now,
				last_activity_at: now
			})
			.where('id', '=', existing.id)
			.execute();
		await trx
			.updateTable('review')
			.set({ rating: input.rating, version: sql`version + 1` })
			.where('post_id', '=', existing.id)
			.execute();
		await recordActivity(trx, {
			userId: actor.id,
			kind: 'review_updated',
			postId: existing.id,
			productId: product.id,
			data: { rating: input.rating, previousRating: existing.rating, version: existing.version + 1 }
		});
		return { ok: true, id: existing.id, path: reviewPath(existing), created: false, changed: true };
	});
}

// What the rules need to know ------------------------------------------------------------------

export interface ReviewRecord extends ReviewFacts {
	id: number;
	productId: number;
	title: string;
}

/**
 * Locks the review's post row (so helpful votes, replies and links on one review queue), then
 * reads its facts with a fresh snapshot.
 */
async function lockReview(trx: Db, reviewId: number): Promise<ReviewRecord | undefined> {
	const locked = await trx
		.selectFrom('post')
		.select('id')
		.where('id', '=', reviewId)
		.where('kind', '=', 'review')
		.forNoKeyUpdate()
		.executeTakeFirst();
	if (!locked) {
		return undefined;
	}
	return loadReviewFacts(trx, reviewId);
}

export async function loadReviewFacts(db: Db, reviewId: number): Promise<ReviewRecord | undefined> {
	const row = await db
		.selectFrom('post')
		.select(['id', 'product_id', 'author_id', 'title', 'deleted_at', 'visibility'])
		.where('id', '=', reviewId)
		.where('kind', '=', 'review')
		.executeTakeFirst();
	if (!row) {
		return undefined;
	}
	return {
		id: row.id,
		productId: row.product_id!,
		title: row.title,
		authorId: row.author_id,
		deleted: row.deleted_at !== null,
		visibility: row.visibility as Visibility
	};
}

// Helpful votes ------------------------------------------------------------------------------

export type HelpfulResult =
	{ ok: true; changed: boolean } | { ok: false; reason: 'not_found' | 'own' | 'forbidden' };

/**
 * A member marks someone else's review helpful (or takes it back). The vote is a `vote` row on
 * the review post and `post.vote_count` counts them in the same transaction; the author's
 * ledger gets `helpful_received` (or `helpful_withdrawn`), so "helpful votes received" nets out.
 */
export async function setHelpful(
	db: Db,
	actor: Actor,
	input: { reviewId: number; helpful: boolean }
): Promise<HelpfulResult> {
	if (actor.kind !== 'user') {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<HelpfulResult> => {
		const review = await lockReview(trx, input.reviewId);
		if (!review || review.deleted) {
			return { ok: false, reason: 'not_found' };
		}
		if (review.authorId === actor.id) {
			return { ok: false, reason: 'own' };
		}
		if (!canMarkHelpful(actor, review)) {
			return { ok: false, reason: 'forbidden' };
		}
		const changed = input.helpful
			? await addVote(trx, { postId: review.id, userId: actor.id })
			: await dropVote(trx, review.id, actor.id);
		if (changed) {
			await recordActivity(trx, {
				userId: review.authorId,
				kind: input.helpful ? 'helpful_received' : 'helpful_withdrawn',
				postId: review.id,
				productId: review.productId,
				data: { voterId: actor.id }
			});
		}
		return { ok: true, changed };
	});
}

// The official reply -------------------------------------------------------------------------

export type ReplyResult =
	| { ok: true; commentId: number; path: string; created: boolean }
	| { ok: false; reason: 'not_found' | 'forbidden' }
	| { ok: false; reason: 'invalid'; errors: { body: string } };

/**
 * Staff answer a review officially. A review has one official reply: replying again edits it.
 * The first reply notifies the reviewer (`official_reply`); both are audited.
 */
export async function replyToReview(
	db: Db,
	actor: Actor,
	input: { reviewId: number; body: string }
): Promise<ReplyResult> {
	return db.transaction().execute(async (trx): Promise<ReplyResult> => {
		const review = await lockReview(trx, input.reviewId);
		if (!review || review.deleted) {
			return { ok: false, reason: 'not_found' };
		}
		if (actor.kind !== 'user' || !canReplyToReview(actor, review)) {
			return { ok: false, reason: 'forbidden' };
		}
		const parsed = replySchema.safeParse({ body: input.body });
		if (!parsed.success) {
			return { ok: false, reason: 'invalid', errors: { body: parsed.error.issues[0]!.message } };
		}
		const body = parsed.data.body;
		const html = renderMarkdown(body);
		const current = await trx
			.selectFrom('comment')
			.select(['id', 'body_source'])
			.where('post_id', '=', review.id)
			.where('is_official', '=', true)
			.where('deleted_at', 'is', null)
			.executeTakeFirst();
		const path = (id: number) => `${reviewPath(review)}#comment-${id}`;
		if (current) {
			if (current.body_source !== body) {
				await trx
					.updateTable('comment')
					.set({ body_source: body, body_html: html, edited_at: new Date() })
					.where('id', '=', current.id)
					.execute();
				await recordAudit(trx, actor, {
					action: 'review.reply_edited',
					targetType: 'review',
					targetId: review.id,
					details: { commentId: current.id }
				});
			}
			return { ok: true, commentId: current.id, path: path(current.id), created: false };
		}
		const comment = await trx
			.insertInto('comment')
			.values({
				post_id: review.id,
				author_id: actor.id,
				body_source: body,
				body_html: html,
				is_official: true
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.updateTable('post')
			.set({ comment_count: sql`comment_count + 1`, last_activity_at: new Date() })
			.where('id', '=', review.id)
			.execute();
		await recordActivity(trx, {
			userId: actor.id,
			kind: 'comment_posted',
			postId: review.id,
			commentId: comment.id,
			productId: review.productId,
			data: { reply: false, official: true, review: true }
		});
		if (review.authorId !== actor.id) {
			await createNotifications(trx, [
				{
					userId: review.authorId,
					kind: 'official_reply',
					postId: review.id,
					commentId: comment.id,
					actorId: actor.id,
					data: { review: { id: review.id, title: review.title, path: reviewPath(review) } }
				}
			]);
		}
		await recordAudit(trx, actor, {
			action: 'review.replied',
			targetType: 'review',
			targetId: review.id,
			details: { commentId: comment.id }
		});
		return { ok: true, commentId: comment.id, path: path(comment.id), created: true };
	});
}

// "Tracked in" ---------------------------------------------------------------------------------

export type TrackResult =
	| { ok: true; path: string; notified: number }
	| { ok: false; reason: 'not_found' | 'forbidden' }
	| { ok: false; reason: 'invalid'; errors: { idea: string } };

/**
 * Staff link a review to the idea (of the same product) that tracks what it asks for, or
 * remove the link (`ideaId` null). Linking to an idea that has already shipped invites the
 * reviewer to update at once, as shipping it later would.
 */
export async function trackReview(
	db: Db,
	actor: Actor,
	input: { reviewId: number; ideaId: number | null }
): Promise<TrackResult> {
	return db.transaction().execute(async (trx): Promise<TrackResult> => {
		const review = await lockReview(trx, input.reviewId);
		if (!review || review.deleted) {
			return { ok: false, reason: 'not_found' };
		}
		if (actor.kind !== 'user' || !canTrackReview(actor, review)) {
			return { ok: false, reason: 'forbidden' };
		}
		if (input.ideaId === null) {
			await trx
				.updateTable('review')
				.set({
					tracked_idea_id: null,
					tracked_by_id: null,
					tracked_at: null,
					idea_shipped_at: null
				})
				.where('post_id', '=', review.id)
				.execute();
			await recordAudit(trx, actor, {
				action: 'review.untracked',
				targetType: 'review',
				targetId: review.id
			});
			return { ok: true, path: reviewPath(review), notified: 0 };
		}
		const idea = await trx
			.selectFrom('post')
			.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
			.select(['post.id', 'post.title', 'idea_status.category'])
			.where('post.id', '=', input.ideaId)
			.where('post.kind', '=', 'idea')
			.where('post.product_id', '=', review.productId)
			.where('post.deleted_at', 'is', null)
			.executeTakeFirst();
		if (!idea) {
			return {
				ok: false,
				reason: 'invalid',
				errors: { idea: m.reviews_track_same_product() }
			};
		}
		await trx
			.updateTable('review')
			.set({
				tracked_idea_id: idea.id,
				tracked_by_id: actor.id,
				tracked_at: new Date(),
				idea_shipped_at: null
			})
			.where('post_id', '=', review.id)
			.execute();
		await recordAudit(trx, actor, {
			action: 'review.tracked',
			targetType: 'review',
			targetId: review.id,
			details: { ideaId: idea.id, ideaTitle: idea.title, ideaPath: ideaPath(idea) }
		});
		const notified = idea.category === 'done' ? await notifyFollowups(trx, idea.id, review.id) : 0;
		return { ok: true, path: reviewPath(review), notified };
	});
}
