// The changelog: staff write entries (markdown, an optional product, the ideas they ship) as
// drafts and publish them. Publishing marks every linked idea shipped and tells its voters and
// followers; the public reads published entries on /changelog, entry pages and the Atom feed.
import { sql } from 'kysely';
import { z } from 'zod';
import { ideaPath, type StatusCategory } from '$lib/domain/ideas';
import { formatNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { emitWebhookEvent } from '../webhooks';
import { changelogPayload } from '../webhooks/payloads';
import { recordAudit } from '../audit';
import { changeIdeaStatus } from '../ideas/status';
import { renderMarkdown } from '../markdown';
import { canManageChangelog, type Actor, type UserActor } from '../policy';

/** A required text field; its message is read per request, in the reader's language. */
function requiredText(missing: () => string) {
	const error = () => missing();
	return z.string({ error }).trim().min(1, { error });
}

export const CHANGELOG_TITLE_MAX = 200;
export const CHANGELOG_BODY_MAX = 50_000;
export const CHANGELOG_PAGE_SIZE = 10;
export const CHANGELOG_FEED_SIZE = 20;
/** An entry ships at most this many ideas: enough for a release, not a bulk status tool. */
export const CHANGELOG_IDEAS_MAX = 50;

export const changelogSchema = z.object({
	title: requiredText(m.roadmap_changelog_title_missing).max(CHANGELOG_TITLE_MAX, {
		error: () => m.roadmap_changelog_title_too_long({ max: CHANGELOG_TITLE_MAX })
	}),
	body: z
		.string()
		.trim()
		.max(CHANGELOG_BODY_MAX, {
			error: () => m.roadmap_changelog_body_too_long({ max: formatNumber(CHANGELOG_BODY_MAX) })
		})
		.default(''),
	product: z.preprocess(
		(value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : null),
		z
			.number({ error: () => m.roadmap_changelog_product_choose() })
			.int({ error: () => m.roadmap_changelog_product_choose() })
			.positive({ error: () => m.roadmap_changelog_product_choose() })
			.nullable()
	)
});
export const CHANGELOG_FIELDS = ['title', 'body', 'product'] as const;
export type ChangelogInput = z.output<typeof changelogSchema>;
type FieldErrors = Partial<Record<keyof ChangelogInput, string>>;

/** The address of a published entry. */
export function changelogPath(slug: string): string {
	return `/changelog/${slug}`;
}

/** `12-dark-mode-is-here`: the id keeps it unique, the words make it readable. */
export function changelogSlug(id: number, title: string): string {
	const words = title
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/['’]/g, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/, '');
	return words ? `${id}-${words}` : String(id);
}

async function checkProduct(db: Db, input: ChangelogInput): Promise<FieldErrors> {
	if (input.product === null) {
		return {};
	}
	const product = await db
		.selectFrom('product')
		.select('id')
		.where('id', '=', input.product)
		.executeTakeFirst();
	return product ? {} : { product: m.roadmap_changelog_product_choose() };
}

export type SaveEntryResult =
	| { ok: true; id: number }
	| { ok: false; reason: 'forbidden' | 'not_found' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors };

/** Staff start an entry: it is a draft until published. */
export async function createEntry(
	db: Db,
	actor: Actor,
	input: ChangelogInput
): Promise<SaveEntryResult> {
	if (!canManageChangelog(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const errors = await checkProduct(db, input);
	if (Object.keys(errors).length > 0) {
		return { ok: false, reason: 'invalid', errors };
	}
	const bodyHtml = renderMarkdown(input.body);
	return db.transaction().execute(async (trx) => {
		const entry = await trx
			.insertInto('changelog_entry')
			.values({
				title: input.title,
				body_source: input.body,
				body_html: bodyHtml,
				product_id: input.product,
				author_id: actor.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await recordAudit(trx, actor, {
			action: 'changelog.create',
			targetType: 'changelog_entry',
			targetId: entry.id,
			details: { title: input.title }
		});
		return { ok: true as const, id: entry.id };
	});
}

/** Staff edit an entry, draft or published; a published entry keeps its address. */
export async function updateEntry(
	db: Db,
	actor: Actor,
	entryId: number,
	input: ChangelogInput
): Promise<SaveEntryResult> {
	if (!canManageChangelog(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const errors = await checkProduct(db, input);
	if (Object.keys(errors).length > 0) {
		return { ok: false, reason: 'invalid', errors };
	}
	const bodyHtml = renderMarkdown(input.body);
	return db.transaction().execute(async (trx): Promise<SaveEntryResult> => {
		const updated = await trx
			.updateTable('changelog_entry')
			.set({
				title: input.title,
				body_source: input.body,
				body_html: bodyHtml,
				product_id: input.product,
				updated_at: new Date()
			})
			.where('id', '=', entryId)
			.returning('id')
			.executeTakeFirst();
		if (!updated) {
			return { ok: false, reason: 'not_found' };
		}
		await recordAudit(trx, actor, {
			action: 'changelog.update',
			targetType: 'changelog_entry',
			targetId: entryId,
			details: { title: input.title }
		});
		return { ok: true, id: entryId };
	});
}

/** Staff delete a draft; a published entry stays (people may have linked to it). */
export async function deleteDraft(
	db: Db,
	actor: Actor,
	entryId: number
): Promise<{ ok: true } | { ok: false; reason: 'forbidden' | 'not_found' | 'published' }> {
	if (!canManageChangelog(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx) => {
		const entry = await trx
			.selectFrom('changelog_entry')
			.select(['id', 'title', 'published_at'])
			.where('id', '=', entryId)
			.forUpdate()
			.executeTakeFirst();
		if (!entry) {
			return { ok: false as const, reason: 'not_found' as const };
		}
		if (entry.published_at !== null) {
			return { ok: false as const, reason: 'published' as const };
		}
		await trx.deleteFrom('changelog_entry').where('id', '=', entryId).execute();
		await recordAudit(trx, actor, {
			action: 'changelog.delete',
			targetType: 'changelog_entry',
			targetId: entryId,
			details: { title: entry.title }
		});
		return { ok: true as const };
	});
}

// Shipping ------------------------------------------------------------------------------------

/** The status ideas get when they ship: the first of category 'done', whatever it is called. */
async function shippedStatusId(trx: Db): Promise<number | null> {
	const row = await trx
		.selectFrom('idea_status')
		.select('id')
		.where('category', '=', 'done')
		.orderBy('is_default', 'desc')
		.orderBy('position')
		.orderBy('id')
		.executeTakeFirst();
	return row?.id ?? null;
}

/**
 * Marks the entry's linked ideas shipped, telling their voters and followers. Ideas already in a
 * 'done' status, deleted, merged or not visible are left alone, so nobody hears twice.
 */
async function shipLinkedIdeas(
	trx: Db,
	actor: UserActor,
	entry: { id: number; title: string; slug: string },
	onlyIdeaId?: number
): Promise<number[]> {
	const statusId = await shippedStatusId(trx);
	if (statusId === null) {
		return [];
	}
	let query = trx
		.selectFrom('changelog_entry_idea as link')
		.innerJoin('post', 'post.id', 'link.post_id')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.select('post.id')
		.where('link.entry_id', '=', entry.id)
		.where('idea_status.category', '!=', 'done')
		.where('post.deleted_at', 'is', null)
		.where('post.merged_into_id', 'is', null)
		.where('post.visibility', '=', 'visible')
		.orderBy('post.id');
	if (onlyIdeaId !== undefined) {
		query = query.where('post.id', '=', onlyIdeaId);
	}
	const shipped: number[] = [];
	for (const idea of await query.execute()) {
		const { changed } = await changeIdeaStatus(trx, actor, {
			ideaId: idea.id,
			statusId,
			changelog: { title: entry.title, path: changelogPath(entry.slug) }
		});
		if (changed) {
			shipped.push(idea.id);
		}
	}
	return shipped;
}

export type PublishResult =
	| { ok: true; published: boolean; path: string; shipped: number[] }
	| { ok: false; reason: 'forbidden' | 'not_found' };

/**
 * Publishes a draft, in one transaction: it gets its address and date, every linked idea is
 * marked shipped (voters and followers notified once each), and the ledger and audit log say so.
 * Publishing an entry that is already published changes nothing (`published: false`).
 */
export async function publishEntry(
	db: Db,
	actor: Actor,
	entryId: number,
	now = new Date()
): Promise<PublishResult> {
	if (!canManageChangelog(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<PublishResult> => {
		// Locks the row: of two publishes at once, the second waits and then finds it published.
		const entry = await trx
			.selectFrom('changelog_entry')
			.select(['id', 'title', 'slug', 'product_id', 'published_at'])
			.where('id', '=', entryId)
			.forUpdate()
			.executeTakeFirst();
		if (!entry) {
			return { ok: false, reason: 'not_found' };
		}
		if (entry.published_at !== null && entry.slug !== null) {
			return { ok: true, published: false, path: changelogPath(entry.slug), shipped: [] };
		}
		const slug = changelogSlug(entry.id, entry.title);
		await trx
			.updateTable('changelog_entry')
			.set({ slug, published_at: now, updated_at: now })
			.where('id', '=', entry.id)
			.execute();
		const shipped = await shipLinkedIdeas(trx, actor, { id: entry.id, title: entry.title, slug });
		await recordActivity(trx, {
			userId: actor.id,
			kind: 'changelog_published',
			productId: entry.product_id,
			data: { entryId: entry.id, shipped }
		});
		await emitWebhookEvent(trx, 'changelog.published', () => changelogPayload(trx, entry.id));
		await recordAudit(trx, actor, {
			action: 'changelog.publish',
			targetType: 'changelog_entry',
			targetId: entry.id,
			details: { title: entry.title, shipped }
		});
		return { ok: true, published: true, path: changelogPath(slug), shipped };
	});
}

// Linked ideas --------------------------------------------------------------------------------

export type LinkResult =
	| { ok: true; changed: boolean; shipped: boolean }
	| { ok: false; reason: 'forbidden' | 'not_found' | 'idea_not_found' | 'too_many' };

/**
 * Staff link an idea to an entry. Linking to an entry that is already published ships the idea
 * at once, as publishing would have.
 */
export async function linkIdea(
	db: Db,
	actor: Actor,
	input: { entryId: number; ideaId: number }
): Promise<LinkResult> {
	if (!canManageChangelog(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<LinkResult> => {
		const entry = await trx
			.selectFrom('changelog_entry')
			.select(['id', 'title', 'slug', 'published_at'])
			.where('id', '=', input.entryId)
			.forUpdate()
			.executeTakeFirst();
		if (!entry) {
			return { ok: false, reason: 'not_found' };
		}
		const idea = await trx
			.selectFrom('post')
			.select('id')
			.where('id', '=', input.ideaId)
			.where('kind', '=', 'idea')
			.where('deleted_at', 'is', null)
			.where('merged_into_id', 'is', null)
			.where('visibility', '=', 'visible')
			.executeTakeFirst();
		if (!idea) {
			return { ok: false, reason: 'idea_not_found' };
		}
		const count = await trx
			.selectFrom('changelog_entry_idea')
			.select(sql<number>`count(*)`.as('n'))
			.where('entry_id', '=', entry.id)
			.executeTakeFirstOrThrow();
		if (count.n >= CHANGELOG_IDEAS_MAX) {
			return { ok: false, reason: 'too_many' };
		}
		const linked = await trx
			.insertInto('changelog_entry_idea')
			.values({ entry_id: entry.id, post_id: idea.id })
			.onConflict((oc) => oc.columns(['entry_id', 'post_id']).doNothing())
			.returning('post_id')
			.executeTakeFirst();
		if (!linked) {
			return { ok: true, changed: false, shipped: false };
		}
		let shipped = false;
		if (entry.published_at !== null && entry.slug !== null) {
			const ids = await shipLinkedIdeas(
				trx,
				actor,
				{ id: entry.id, title: entry.title, slug: entry.slug },
				idea.id
			);
			shipped = ids.length > 0;
		}
		await recordAudit(trx, actor, {
			action: 'changelog.link_idea',
			targetType: 'changelog_entry',
			targetId: entry.id,
			details: { idea: idea.id, shipped }
		});
		return { ok: true, changed: true, shipped };
	});
}

/** Staff unlink an idea; an idea already shipped stays shipped. */
export async function unlinkIdea(
	db: Db,
	actor: Actor,
	input: { entryId: number; ideaId: number }
): Promise<{ ok: true; changed: boolean } | { ok: false; reason: 'forbidden' }> {
	if (!canManageChangelog(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx) => {
		const removed = await trx
			.deleteFrom('changelog_entry_idea')
			.where('entry_id', '=', input.entryId)
			.where('post_id', '=', input.ideaId)
			.returning('post_id')
			.executeTakeFirst();
		if (removed) {
			await recordAudit(trx, actor, {
				action: 'changelog.unlink_idea',
				targetType: 'changelog_entry',
				targetId: input.entryId,
				details: { idea: input.ideaId }
			});
		}
		return { ok: true as const, changed: removed !== undefined };
	});
}

// Reading -------------------------------------------------------------------------------------

export interface LinkedIdea {
	id: number;
	title: string;
	path: string;
	voteCount: number;
	status: { name: string; category: StatusCategory };
}

export interface ChangelogEntryView {
	id: number;
	title: string;
	slug: string | null;
	path: string | null;
	bodySource: string;
	bodyHtml: string;
	product: { id: number; name: string; slug: string } | null;
	author: { handle: string; displayName: string } | null;
	createdAt: Date;
	updatedAt: Date;
	publishedAt: Date | null;
	ideas: LinkedIdea[];
}

function entries(db: Db) {
	return db
		.selectFrom('changelog_entry as entry')
		.leftJoin('product', 'product.id', 'entry.product_id')
		.leftJoin('app_user as author', 'author.id', 'entry.author_id')
		.select([
			'entry.id',
			'entry.title',
			'entry.slug',
			'entry.body_source',
			'entry.body_html',
			'entry.created_at',
			'entry.updated_at',
			'entry.published_at',
			'product.id as product_id',
			'product.name as product_name',
			'product.slug as product_slug',
			'author.handle as author_handle',
			'author.display_name as author_name'
		]);
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof entries>['execute']>>[number];

/**
 * The linked ideas of some entries, in one query. The public sees only visible ideas; staff
 * see every linked idea that is not deleted.
 */
async function ideasOf(
	db: Db,
	entryIds: number[],
	audience: 'public' | 'staff'
): Promise<Map<number, LinkedIdea[]>> {
	const byEntry = new Map<number, LinkedIdea[]>();
	if (entryIds.length === 0) {
		return byEntry;
	}
	let query = db
		.selectFrom('changelog_entry_idea as link')
		.innerJoin('post', 'post.id', 'link.post_id')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.select([
			'link.entry_id',
			'post.id',
			'post.title',
			'post.vote_count',
			'idea_status.name as status_name',
			'idea_status.category'
		])
		.where('link.entry_id', 'in', entryIds)
		.where('post.deleted_at', 'is', null)
		.orderBy('post.vote_count', 'desc')
		.orderBy('post.id');
	if (audience === 'public') {
		query = query.where('post.visibility', '=', 'visible').where('post.merged_into_id', 'is', null);
	}
	for (const row of await query.execute()) {
		const list = byEntry.get(row.entry_id) ?? [];
		list.push({
			id: row.id,
			title: row.title,
			path: ideaPath(row),
			voteCount: row.vote_count,
			status: { name: row.status_name, category: row.category }
		});
		byEntry.set(row.entry_id, list);
	}
	return byEntry;
}

function toView(row: EntryRow, ideas: LinkedIdea[]): ChangelogEntryView {
	return {
		id: row.id,
		title: row.title,
		slug: row.slug,
		path: row.published_at !== null && row.slug !== null ? changelogPath(row.slug) : null,
		bodySource: row.body_source,
		bodyHtml: row.body_html,
		product:
			row.product_id !== null && row.product_name !== null && row.product_slug !== null
				? { id: row.product_id, name: row.product_name, slug: row.product_slug }
				: null,
		author:
			row.author_handle !== null && row.author_name !== null
				? { handle: row.author_handle, displayName: row.author_name }
				: null,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		publishedAt: row.published_at,
		ideas
	};
}

/** A page of published entries, newest first, optionally for one product. */
export async function listPublishedEntries(
	db: Db,
	options: { productSlug?: string | null; page?: number; limit?: number } = {}
): Promise<{ entries: ChangelogEntryView[]; hasMore: boolean }> {
	const limit = options.limit ?? CHANGELOG_PAGE_SIZE;
	const page = Math.max(1, Math.trunc(options.page ?? 1));
	let query = entries(db).where('entry.published_at', 'is not', null);
	if (options.productSlug) {
		query = query.where('product.slug', '=', options.productSlug);
	}
	const rows = await query
		.orderBy('entry.published_at', 'desc')
		.orderBy('entry.id', 'desc')
		.limit(limit + 1)
		.offset((page - 1) * limit)
		.execute();
	const pageRows = rows.slice(0, limit);
	const ideas = await ideasOf(
		db,
		pageRows.map((row) => row.id),
		'public'
	);
	return {
		entries: pageRows.map((row) => toView(row, ideas.get(row.id) ?? [])),
		hasMore: rows.length > limit
	};
}

/**
 * A published entry by its address. An address whose number names an entry but whose words are
 * old or mistyped gives that entry's real slug, for a redirect.
 */
export async function getPublishedEntry(
	db: Db,
	slug: string
): Promise<
	{ found: true; entry: ChangelogEntryView } | { found: false; redirectTo: string | null }
> {
	const row = await entries(db)
		.where('entry.slug', '=', slug)
		.where('entry.published_at', 'is not', null)
		.executeTakeFirst();
	if (row) {
		const ideas = await ideasOf(db, [row.id], 'public');
		return { found: true, entry: toView(row, ideas.get(row.id) ?? []) };
	}
	const id = /^(\d{1,15})(?:-|$)/.exec(slug)?.[1];
	if (id) {
		const other = await db
			.selectFrom('changelog_entry')
			.select('slug')
			.where('id', '=', Number(id))
			.where('published_at', 'is not', null)
			.executeTakeFirst();
		if (other?.slug) {
			return { found: false, redirectTo: changelogPath(other.slug) };
		}
	}
	return { found: false, redirectTo: null };
}

/** Every entry for the staff list: drafts first (newest edited first), then published ones. */
export async function listEntriesForStaff(
	db: Db
): Promise<(ChangelogEntryView & { ideaCount: number })[]> {
	const rows = await entries(db)
		.select(
			sql<number>`(select count(*) from changelog_entry_idea l where l.entry_id = entry.id)`.as(
				'idea_count'
			)
		)
		.orderBy(sql`entry.published_at is not null`)
		.orderBy(sql`coalesce(entry.published_at, entry.updated_at)`, 'desc')
		.orderBy('entry.id', 'desc')
		.limit(500)
		.execute();
	return rows.map((row) => ({ ...toView(row, []), ideaCount: row.idea_count }));
}

/** One entry, draft or published, with every linked idea, for the staff editor. */
export async function getEntryForStaff(
	db: Db,
	entryId: number
): Promise<ChangelogEntryView | undefined> {
	const row = await entries(db).where('entry.id', '=', entryId).executeTakeFirst();
	if (!row) {
		return undefined;
	}
	const ideas = await ideasOf(db, [row.id], 'staff');
	return toView(row, ideas.get(row.id) ?? []);
}
