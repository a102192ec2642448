// Ideas: posting, editing and deleting them, and everything the idea page shows.
import { z } from 'zod';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import {
	IDEA_BODY_MAX,
	IDEA_TITLE_MAX,
	IDEA_TITLE_MIN,
	ideaPath,
	type StatusCategory
} from '$lib/domain/ideas';
import type { Visibility } from '$lib/domain/moderation';
import { challengePath } from '$lib/domain/challenges';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { emitWebhookEvent } from '../webhooks';
import { ideaPayload } from '../webhooks/payloads';
import { autoFollow } from '../follows';
import { formatNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import { requiredField } from './fields';
import { renderMarkdown } from '../markdown';
import { canDeleteIdea, canEditIdea, canPostIdea, type Actor } from '../policy';
import { addVote } from '../votes';
import { loadIdeaFacts } from './facts';
import { challengeProductError, checkChallengeEntry } from '../challenges/entries';

export const ideaSchema = z.object({
	title: requiredField(m.ideas_title_missing)
		.min(IDEA_TITLE_MIN, { error: () => m.ideas_title_too_short({ min: IDEA_TITLE_MIN }) })
		.max(IDEA_TITLE_MAX, { error: () => m.ideas_title_too_long({ max: IDEA_TITLE_MAX }) }),
	body: requiredField(m.ideas_body_missing).max(IDEA_BODY_MAX, {
		error: () => m.ideas_too_long({ max: formatNumber(IDEA_BODY_MAX) })
	}),
	product: z.coerce
		.number({ error: () => m.ideas_choose_product() })
		.int()
		.positive({ error: () => m.ideas_choose_product() }),
	tags: z
		.array(z.coerce.number().int().positive())
		.max(10, { error: () => m.ideas_too_many_tags({ max: 10 }) })
		.default([]),
	/** Entering the idea into a challenge (only when posting; editing keeps it where it is). */
	challenge: z.coerce
		.number({ error: () => m.challenges_error_no_such() })
		.int({ error: () => m.challenges_error_no_such() })
		.positive({ error: () => m.challenges_error_no_such() })
		.optional()
		.describe('A challenge id: enters the idea into that challenge, which must be open.')
});
export const IDEA_FIELDS = ['title', 'body', 'product', 'challenge'] as const;
export const IDEA_LISTS = ['tags'] as const;
export type IdeaInput = z.output<typeof ideaSchema>;
/** How a new idea starts: 'pending' when moderation holds it (see checkPostingAllowed). */
export type NewIdeaOptions = { visibility?: Visibility };

type FieldErrors = Partial<Record<keyof IdeaInput, string>>;

export type PostIdeaResult =
	| { ok: true; id: number; path: string }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors };

/** Checks that the product takes ideas and the tags exist; field errors otherwise. */
async function checkCatalog(
	db: Db,
	input: IdeaInput,
	currentProductId?: number,
	/** Posting (not editing): whoever enters the idea into `input.challenge`. */
	actor?: Actor
): Promise<FieldErrors> {
	const errors: FieldErrors = {};
	const product = await db
		.selectFrom('product')
		.select(['id', 'archived_at'])
		.where('id', '=', input.product)
		.executeTakeFirst();
	if (!product) {
		errors.product = m.ideas_choose_listed_product();
	} else if (product.archived_at && product.id !== currentProductId) {
		errors.product = m.ideas_product_archived();
	}
	if (input.challenge !== undefined && actor !== undefined) {
		const refusal = await checkChallengeEntry(db, actor, input.challenge, input.product);
		if (refusal) {
			errors[refusal.field] = refusal.message;
		}
	}
	if (input.tags.length > 0) {
		const found = await db
			.selectFrom('tag')
			.select('id')
			.where('id', 'in', input.tags)
			.where('archived_at', 'is', null)
			.execute();
		if (found.length !== new Set(input.tags).size) {
			errors.tags = m.ideas_choose_listed_tags();
		}
	}
	return errors;
}

/**
 * A member posts an idea: it gets the default status, the author's vote and follow, and its
 * tags, and the ledger records both acts, all in one transaction.
 */
export async function postIdea(
	db: Db,
	actor: Actor,
	input: IdeaInput,
	options: NewIdeaOptions = {}
): Promise<PostIdeaResult> {
	if (!canPostIdea(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const errors = await checkCatalog(db, input, undefined, actor);
	if (Object.keys(errors).length > 0) {
		return { ok: false, reason: 'invalid', errors };
	}
	const bodyHtml = renderMarkdown(input.body);
	const id = await db.transaction().execute(async (trx) => {
		// Checked again under a lock: a challenge that closed (or was moved) since takes nothing.
		if (input.challenge !== undefined) {
			const refusal = await checkChallengeEntry(trx, actor, input.challenge, input.product, {
				lock: true
			});
			if (refusal) {
				return { [refusal.field]: refusal.message } as FieldErrors;
			}
		}
		const status = await trx
			.selectFrom('idea_status')
			.select('id')
			.where('is_default', '=', true)
			.executeTakeFirstOrThrow();
		const post = await trx
			.insertInto('post')
			.values({
				kind: 'idea',
				product_id: input.product,
				author_id: actor.id,
				title: input.title,
				body_source: input.body,
				body_html: bodyHtml,
				status_id: status.id,
				visibility: options.visibility ?? 'visible',
				challenge_id: input.challenge ?? null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		if (input.tags.length > 0) {
			await trx
				.insertInto('post_tag')
				.values([...new Set(input.tags)].map((tagId) => ({ post_id: post.id, tag_id: tagId })))
				.execute();
		}
		await recordActivity(trx, {
			userId: actor.id,
			kind: 'idea_posted',
			postId: post.id,
			productId: input.product,
			data: input.challenge === undefined ? undefined : { challengeId: input.challenge }
		});
		await addVote(trx, { postId: post.id, userId: actor.id });
		await recordActivity(trx, {
			userId: actor.id,
			kind: 'vote_cast',
			postId: post.id,
			productId: input.product,
			data: { importance: null, onPosting: true }
		});
		await autoFollow(trx, actor.id, post.id);
		await emitWebhookEvent(trx, 'idea.created', () => ideaPayload(trx, post.id));
		return post.id;
	});
	if (typeof id !== 'number') {
		return { ok: false, reason: 'invalid', errors: id };
	}
	return { ok: true, id, path: ideaPath({ id, title: input.title }) };
}

export type EditIdeaResult =
	| { ok: true; path: string }
	| { ok: false; reason: 'not_found' | 'forbidden' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors };

export async function editIdea(
	db: Db,
	actor: Actor,
	postId: number,
	input: IdeaInput
): Promise<EditIdeaResult> {
	const idea = await loadIdeaFacts(db, postId);
	if (!idea || idea.deleted) {
		return { ok: false, reason: 'not_found' };
	}
	if (!canEditIdea(actor, idea)) {
		return { ok: false, reason: 'forbidden' };
	}
	const errors = await checkCatalog(db, input, idea.productId);
	const entryProduct = await challengeProductError(db, postId, input.product);
	if (entryProduct) {
		errors.product ??= entryProduct;
	}
	if (Object.keys(errors).length > 0) {
		return { ok: false, reason: 'invalid', errors };
	}
	const bodyHtml = renderMarkdown(input.body);
	await db.transaction().execute(async (trx) => {
		await trx
			.updateTable('post')
			.set({
				title: input.title,
				body_source: input.body,
				body_html: bodyHtml,
				product_id: input.product,
				edited_at: new Date()
			})
			.where('id', '=', postId)
			.execute();
		await trx.deleteFrom('post_tag').where('post_id', '=', postId).execute();
		if (input.tags.length > 0) {
			await trx
				.insertInto('post_tag')
				.values([...new Set(input.tags)].map((tagId) => ({ post_id: postId, tag_id: tagId })))
				.execute();
		}
	});
	return { ok: true, path: ideaPath({ id: postId, title: input.title }) };
}

/**
 * The author deletes their idea. It is a soft delete: the row, its votes and comments stay
 * (counts and history stay consistent); it leaves lists and search, and its page says so.
 */
export async function deleteIdea(
	db: Db,
	actor: Actor,
	postId: number
): Promise<{ ok: true } | { ok: false; reason: 'not_found' | 'forbidden' }> {
	const idea = await loadIdeaFacts(db, postId);
	if (!idea || idea.deleted) {
		return { ok: false, reason: 'not_found' };
	}
	if (!canDeleteIdea(actor, idea)) {
		return { ok: false, reason: 'forbidden' };
	}
	await db.updateTable('post').set({ deleted_at: new Date() }).where('id', '=', postId).execute();
	return { ok: true };
}

export interface IdeaDetail {
	id: number;
	path: string;
	title: string;
	bodySource: string;
	bodyHtml: string;
	product: { id: number; name: string; slug: string; archived: boolean };
	status: { name: string; slug: string; category: StatusCategory };
	author: { handle: string; displayName: string };
	tags: { id: number; name: string; slug: string }[];
	voteCount: number;
	commentCount: number;
	createdAt: Date;
	editedAt: Date | null;
	deletedAt: Date | null;
	/** 'hidden' or 'pending' ideas show only to their author and moderators, with the reason. */
	visibility: Visibility;
	hiddenReason: string | null;
	authorId: number;
	mergedInto: { id: number; title: string; path: string } | null;
	/** The ideas merged into this one (not deleted), oldest first. */
	mergedFrom: { id: number; title: string; path: string }[];
	/** The challenge the idea was entered into. */
	challenge: { id: number; title: string; path: string } | null;
	history: {
		from: string | null;
		to: string;
		messageHtml: string | null;
		at: Date;
		by: string | null;
	}[];
}

/** Everything the idea page shows about the idea itself (votes and comments load separately). */
export async function getIdeaDetail(db: Db, postId: number): Promise<IdeaDetail | undefined> {
	const row = await db
		.selectFrom('post')
		.innerJoin('product', 'product.id', 'post.product_id')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.innerJoin('app_user', 'app_user.id', 'post.author_id')
		.leftJoin('post as survivor', 'survivor.id', 'post.merged_into_id')
		.leftJoin('challenge', 'challenge.id', 'post.challenge_id')
		.select([
			'challenge.id as challenge_id',
			'challenge.title as challenge_title',
			'post.id',
			'post.title',
			'post.body_source',
			'post.body_html',
			'post.vote_count',
			'post.comment_count',
			'post.created_at',
			'post.edited_at',
			'post.deleted_at',
			'post.visibility',
			'post.hidden_reason',
			'post.author_id',
			'product.id as product_id',
			'product.name as product_name',
			'product.slug as product_slug',
			'product.archived_at as product_archived_at',
			'idea_status.name as status_name',
			'idea_status.slug as status_slug',
			'idea_status.category as status_category',
			'app_user.handle',
			'app_user.display_name',
			'survivor.id as survivor_id',
			'survivor.title as survivor_title',
			// Tags and status history in the same statement: one round trip for the idea page.
			(eb) =>
				jsonArrayFrom(
					eb
						.selectFrom('post_tag')
						.innerJoin('tag', 'tag.id', 'post_tag.tag_id')
						.select(['tag.id', 'tag.name', 'tag.slug'])
						.whereRef('post_tag.post_id', '=', 'post.id')
						.orderBy('tag.name')
				).as('tags'),
			(eb) =>
				jsonArrayFrom(
					eb
						.selectFrom('status_change')
						.leftJoin('idea_status as before', 'before.id', 'status_change.from_status_id')
						.innerJoin('idea_status as after', 'after.id', 'status_change.to_status_id')
						.leftJoin('app_user as changer', 'changer.id', 'status_change.changed_by_id')
						.select([
							'before.name as from',
							'after.name as to',
							'status_change.message_html as messageHtml',
							'status_change.created_at as at',
							'changer.display_name as by'
						])
						.whereRef('status_change.post_id', '=', 'post.id')
						.orderBy('status_change.created_at')
				).as('history'),
			(eb) =>
				jsonArrayFrom(
					eb
						.selectFrom('post as merged')
						.select(['merged.id', 'merged.title'])
						.whereRef('merged.merged_into_id', '=', 'post.id')
						.where('merged.deleted_at', 'is', null)
						.orderBy('merged.id')
				).as('merged_from')
		])
		.where('post.id', '=', postId)
		.where('post.kind', '=', 'idea')
		.executeTakeFirst();
	if (!row) {
		return undefined;
	}
	const tags = row.tags;
	// JSON carries the time as text: back to a Date, as the driver gives it elsewhere.
	const history = row.history.map((h) => ({ ...h, at: new Date(h.at) }));
	return {
		id: row.id,
		path: ideaPath(row),
		title: row.title,
		bodySource: row.body_source,
		bodyHtml: row.body_html,
		product: {
			id: row.product_id,
			name: row.product_name,
			slug: row.product_slug,
			archived: row.product_archived_at !== null
		},
		status: {
			name: row.status_name,
			slug: row.status_slug,
			category: row.status_category as StatusCategory
		},
		author: { handle: row.handle, displayName: row.display_name },
		tags,
		voteCount: row.vote_count,
		commentCount: row.comment_count,
		createdAt: row.created_at,
		editedAt: row.edited_at,
		deletedAt: row.deleted_at,
		visibility: row.visibility,
		hiddenReason: row.hidden_reason,
		authorId: row.author_id,
		mergedInto:
			row.survivor_id !== null && row.survivor_title !== null
				? {
						id: row.survivor_id,
						title: row.survivor_title,
						path: ideaPath({ id: row.survivor_id, title: row.survivor_title })
					}
				: null,
		challenge:
			row.challenge_id !== null && row.challenge_title !== null
				? {
						id: row.challenge_id,
						title: row.challenge_title,
						path: challengePath({ id: row.challenge_id })
					}
				: null,
		history,
		mergedFrom: row.merged_from.map((r) => ({ id: r.id, title: r.title, path: ideaPath(r) }))
	};
}

/** Products and tags a new idea can be filed under. */
export async function ideaFormOptions(db: Db) {
	const [products, tags] = await Promise.all([
		db
			.selectFrom('product')
			.select(['id', 'name', 'slug'])
			.where('archived_at', 'is', null)
			.orderBy('name')
			.execute(),
		db
			.selectFrom('tag')
			.select(['id', 'name', 'slug'])
			.where('archived_at', 'is', null)
			.orderBy('name')
			.execute()
	]);
	return { products, tags };
}

/** `42-dark-mode` → 42; anything else → null. */
export function parseIdeaId(param: string): number | null {
	const match = /^(\d{1,15})(?:-|$)/.exec(param);
	return match ? Number(match[1]) : null;
}
