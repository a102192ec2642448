// What the API accepts in addresses and query strings, and the shapes of what it answers. The
// response schemas are documentation (OpenAPI) and the test suite's check of every answer; the
// mappers here turn domain views into those shapes (snake_case, links as absolute paths).
import { z } from 'zod';
import { IMPORTANCES, STATUS_CATEGORIES } from '$lib/domain/ideas';
import { VISIBILITIES } from '$lib/domain/moderation';
import { RATINGS } from '$lib/domain/reviews';
import type { IdeaSearchResult, IdeaSummary, SimilarIdea } from '../ideas/queries';
import type { IdeaDetail } from '../ideas';
import type { CommentView } from '../comments';
import type { ReviewView } from '../reviews/queries';
import type { ThreadDetail, ThreadSummary, ReplyView } from '../discussions';

// Input pieces -------------------------------------------------------------------------------

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** A positive whole number in the address or query string. */
export const idParam = (what = 'The id') =>
	z
		.string()
		.regex(/^[1-9]\d{0,14}$/, `${what} must be a positive whole number.`)
		.transform(Number);

export const pageQuery = {
	limit: z
		.string()
		.regex(/^\d{1,3}$/, `limit must be a whole number from 1 to ${MAX_LIMIT}.`)
		.transform(Number)
		.refine((n) => n >= 1 && n <= MAX_LIMIT, `limit must be a whole number from 1 to ${MAX_LIMIT}.`)
		.optional()
		.describe(`Items per page, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`),
	cursor: z
		.string()
		.max(400, 'The cursor is not valid for this list.')
		.optional()
		.describe('The `next_cursor` of the previous page, unchanged. Omit for the first page.')
};

export const idPath = z.object({ id: idParam() });

// Output pieces ------------------------------------------------------------------------------

const date = z.iso.datetime();
const person = z.object({ handle: z.string(), display_name: z.string() });
const status = z.object({
	name: z.string(),
	slug: z.string(),
	category: z.enum(STATUS_CATEGORIES)
});
const tag = z.object({ name: z.string(), slug: z.string() });

/** A list page: the items and the cursor of the next page (null on the last). */
export function pageOf<T extends z.ZodType>(item: T) {
	return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}

export function itemOf<T extends z.ZodType>(item: T) {
	return z.object({ data: item });
}

export const errorSchema = z.object({
	error: z.object({
		code: z.string(),
		message: z.string(),
		fields: z.record(z.string(), z.string()).optional()
	})
});

// Ideas --------------------------------------------------------------------------------------

export const ideaSummarySchema = z.object({
	id: z.number().int(),
	title: z.string(),
	url: z.string(),
	excerpt: z.string(),
	product: z.object({ name: z.string(), slug: z.string() }),
	status,
	tags: z.array(tag),
	vote_count: z.number().int(),
	comment_count: z.number().int(),
	created_at: date,
	author: person
});

export function toIdeaSummary(idea: IdeaSummary): z.input<typeof ideaSummarySchema> {
	return {
		id: idea.id,
		title: idea.title,
		url: idea.path,
		excerpt: idea.excerpt,
		product: idea.product,
		status: idea.status,
		tags: idea.tags,
		vote_count: idea.voteCount,
		comment_count: idea.commentCount,
		created_at: iso(idea.createdAt),
		author: personOf(idea.author)
	};
}

export const ideaSearchHitSchema = ideaSummarySchema.extend({
	title_html: z.string().describe('The title, HTML-escaped, matched words in <mark>.'),
	excerpt_html: z.string().describe('The best passages, HTML-escaped, matched words in <mark>.'),
	rank: z.number()
});

export function toIdeaSearchHit(idea: IdeaSearchResult): z.input<typeof ideaSearchHitSchema> {
	return {
		...toIdeaSummary(idea),
		title_html: idea.titleHtml,
		excerpt_html: idea.excerptHtml,
		rank: idea.rank
	};
}

export const similarIdeaSchema = z.object({
	id: z.number().int(),
	title: z.string(),
	url: z.string(),
	vote_count: z.number().int(),
	status: z.object({ name: z.string(), category: z.enum(STATUS_CATEGORIES) }),
	product: z.object({ id: z.number().int(), name: z.string() })
});

export function toSimilarIdea(idea: SimilarIdea): z.input<typeof similarIdeaSchema> {
	return {
		id: idea.id,
		title: idea.title,
		url: idea.path,
		vote_count: idea.voteCount,
		status: idea.status,
		product: idea.product
	};
}

export const ideaDetailSchema = z.object({
	id: z.number().int(),
	title: z.string(),
	url: z.string(),
	body_markdown: z.string(),
	body_html: z.string().describe('Rendered by the site’s markdown renderer: safe to show.'),
	product: z.object({ id: z.number().int(), name: z.string(), slug: z.string() }),
	status,
	tags: z.array(tag),
	vote_count: z.number().int(),
	comment_count: z.number().int(),
	created_at: date,
	edited_at: date.nullable(),
	visibility: z
		.enum(VISIBILITIES)
		.describe('Only the author and moderators ever get an idea that is not `visible`.'),
	author: person,
	merged_into: z.object({ id: z.number().int(), title: z.string(), url: z.string() }).nullable(),
	status_history: z.array(
		z.object({
			from: z.string().nullable(),
			to: z.string(),
			message_html: z.string().nullable(),
			at: date
		})
	),
	viewer: z
		.object({
			voted: z.boolean(),
			importance: z.enum(IMPORTANCES).nullable(),
			can_vote: z.boolean()
		})
		.nullable()
		.describe('The caller’s vote; null for visitors.')
});

export function toIdeaDetail(
	idea: IdeaDetail,
	viewer: z.input<typeof ideaDetailSchema>['viewer']
): z.input<typeof ideaDetailSchema> {
	return {
		id: idea.id,
		title: idea.title,
		url: idea.path,
		body_markdown: idea.bodySource,
		body_html: idea.bodyHtml,
		product: { id: idea.product.id, name: idea.product.name, slug: idea.product.slug },
		status: idea.status,
		tags: idea.tags.map(({ name, slug }) => ({ name, slug })),
		vote_count: idea.voteCount,
		comment_count: idea.commentCount,
		created_at: iso(idea.createdAt),
		edited_at: isoOrNull(idea.editedAt),
		visibility: idea.visibility,
		author: personOf(idea.author),
		merged_into: idea.mergedInto
			? { id: idea.mergedInto.id, title: idea.mergedInto.title, url: idea.mergedInto.path }
			: null,
		status_history: idea.history.map((h) => ({
			from: h.from,
			to: h.to,
			message_html: h.messageHtml,
			at: iso(h.at)
		})),
		viewer
	};
}

export const voteResultSchema = z.object({
	voted: z.boolean(),
	changed: z.boolean().describe('False when the call changed nothing (already voted, or not).'),
	vote_count: z.number().int()
});

// Comments and replies -----------------------------------------------------------------------

export const commentSchema = z.object({
	id: z.number().int(),
	parent_id: z.number().int().nullable(),
	author: person.nullable().describe('Null once the comment is deleted.'),
	body_html: z.string().nullable(),
	official: z.boolean().describe('Written by staff: the company speaking.'),
	created_at: date,
	edited_at: date.nullable(),
	deleted: z.boolean(),
	visibility: z.enum(VISIBILITIES)
});

export function toComment(c: CommentView, parentId: number | null): z.input<typeof commentSchema> {
	return {
		id: c.id,
		parent_id: parentId,
		author: c.author ? personOf(c.author) : null,
		body_html: c.bodyHtml,
		official: c.official,
		created_at: iso(c.createdAt),
		edited_at: isoOrNull(c.editedAt),
		deleted: c.deleted,
		visibility: c.visibility
	};
}

export const replySchema = commentSchema.omit({ parent_id: true }).extend({
	accepted: z.boolean().describe('The accepted answer of a question.'),
	like_count: z.number().int()
});

export function toReply(r: ReplyView): z.input<typeof replySchema> {
	return {
		id: r.id,
		author: r.author ? personOf(r.author) : null,
		body_html: r.bodyHtml,
		official: r.official,
		created_at: iso(r.createdAt),
		edited_at: isoOrNull(r.editedAt),
		deleted: r.deleted,
		visibility: r.visibility,
		accepted: r.accepted,
		like_count: r.likeCount
	};
}

export const createdSchema = z.object({
	id: z.number().int(),
	url: z.string(),
	visibility: z
		.enum(VISIBILITIES)
		.describe('`pending` when a moderator approves a new member’s first posts.')
});

// Products, reviews, statuses ----------------------------------------------------------------

export const productSchema = z.object({
	id: z.number().int(),
	name: z.string(),
	slug: z.string(),
	description: z.string(),
	url: z.string()
});

export const productDetailSchema = productSchema.extend({
	archived: z.boolean(),
	idea_count: z.number().int(),
	rating: z.object({
		count: z.number().int(),
		average: z.number().nullable(),
		distribution: z.array(z.object({ rating: z.number().int(), count: z.number().int() }))
	})
});

export const reviewSchema = z.object({
	id: z.number().int(),
	url: z.string(),
	rating: z.union(RATINGS.map((r) => z.literal(r))),
	title: z.string(),
	body_html: z.string(),
	author: person,
	verified: z.boolean().describe('The reviewer’s company owns the product.'),
	created_at: date,
	edited_at: date.nullable(),
	helpful_count: z.number().int(),
	visibility: z.enum(VISIBILITIES),
	reply: z
		.object({
			body_html: z.string(),
			author: z.string(),
			created_at: date,
			edited_at: date.nullable()
		})
		.nullable()
		.describe('The company’s official reply.'),
	tracked_in: z
		.object({ id: z.number().int(), title: z.string(), url: z.string(), status: z.string() })
		.nullable()
});

export function toReview(r: ReviewView): z.input<typeof reviewSchema> {
	return {
		id: r.id,
		url: r.path,
		rating: r.rating,
		title: r.title,
		body_html: r.bodyHtml,
		author: personOf(r.author),
		verified: r.verified,
		created_at: iso(r.createdAt),
		edited_at: isoOrNull(r.editedAt),
		helpful_count: r.helpfulCount,
		visibility: r.visibility,
		reply: r.reply
			? {
					body_html: r.reply.bodyHtml,
					author: r.reply.author.displayName,
					created_at: iso(r.reply.createdAt),
					edited_at: isoOrNull(r.reply.editedAt)
				}
			: null,
		tracked_in: r.trackedIn
			? {
					id: r.trackedIn.id,
					title: r.trackedIn.title,
					url: r.trackedIn.path,
					status: r.trackedIn.status
				}
			: null
	};
}

export const statusSchema = z.object({
	id: z.number().int(),
	name: z.string(),
	slug: z.string(),
	category: z.enum(STATUS_CATEGORIES),
	position: z.number().int(),
	is_default: z.boolean()
});

// Discussions --------------------------------------------------------------------------------

export const threadSummarySchema = z.object({
	id: z.number().int(),
	title: z.string(),
	url: z.string(),
	category: z.object({ name: z.string(), slug: z.string() }),
	author: person,
	is_question: z.boolean(),
	answered: z.boolean(),
	pinned: z.boolean(),
	locked: z.boolean(),
	closed: z.boolean(),
	has_poll: z.boolean(),
	reply_count: z.number().int(),
	like_count: z.number().int(),
	created_at: date,
	last_activity_at: date
});

export function toThreadSummary(t: ThreadSummary): z.input<typeof threadSummarySchema> {
	return {
		id: t.id,
		title: t.title,
		url: t.path,
		category: t.category,
		author: personOf(t.author),
		is_question: t.isQuestion,
		answered: t.answered,
		pinned: t.pinned,
		locked: t.locked,
		closed: t.closed,
		has_poll: t.hasPoll,
		reply_count: t.replyCount,
		like_count: t.likeCount,
		created_at: iso(t.createdAt),
		last_activity_at: iso(t.lastActivityAt)
	};
}

export const threadDetailSchema = z.object({
	id: z.number().int(),
	title: z.string(),
	url: z.string(),
	body_markdown: z.string(),
	body_html: z.string(),
	category: z.object({ name: z.string(), slug: z.string() }),
	author: person,
	created_at: date,
	edited_at: date.nullable(),
	visibility: z.enum(VISIBILITIES),
	is_question: z.boolean(),
	accepted_reply_id: z.number().int().nullable(),
	pinned: z.boolean(),
	locked: z.boolean(),
	closed: z.boolean(),
	like_count: z.number().int()
});

export function toThreadDetail(t: ThreadDetail): z.input<typeof threadDetailSchema> {
	return {
		id: t.id,
		title: t.title,
		url: t.path,
		body_markdown: t.bodySource,
		body_html: t.bodyHtml,
		category: { name: t.category.name, slug: t.category.slug },
		author: personOf(t.author),
		created_at: iso(t.createdAt),
		edited_at: isoOrNull(t.editedAt),
		visibility: t.visibility,
		is_question: t.isQuestion,
		accepted_reply_id: t.acceptedCommentId,
		pinned: t.pinned,
		locked: t.locked,
		closed: t.closed,
		like_count: t.likeCount
	};
}

// Helpers ------------------------------------------------------------------------------------

export function iso(date: Date): string {
	return date.toISOString();
}

export function isoOrNull(date: Date | null): string | null {
	return date === null ? null : date.toISOString();
}

export function personOf(p: { handle: string; displayName: string }) {
	return { handle: p.handle, display_name: p.displayName };
}

/** The limit asked for, or the default. */
export function limitOf(query: { limit?: number }): number {
	return query.limit ?? DEFAULT_LIMIT;
}
