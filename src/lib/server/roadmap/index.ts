// The public roadmap: visible ideas in three columns by status category (planned, in progress,
// recently shipped), and the staff tools that place ideas on it: column, order, target quarter.
import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import { ideaPath, type StatusCategory } from '$lib/domain/ideas';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { recordAudit } from '../audit';
import { changeIdeaStatus } from '../ideas/status';
import { canManageRoadmap, type Actor } from '../policy';

export const ROADMAP_CATEGORIES = ['planned', 'in_progress', 'done'] as const;
export type RoadmapCategory = (typeof ROADMAP_CATEGORIES)[number];
/** A column's name in the reader's language. */
export function roadmapLabel(category: RoadmapCategory): string {
	const labels: Record<RoadmapCategory, () => string> = {
		planned: m.roadmap_column_planned,
		in_progress: m.roadmap_column_in_progress,
		done: m.roadmap_column_done
	};
	return labels[category]();
}
/** Staff order these columns; Shipped lists the most recently shipped first. */
export const ORDERED_CATEGORIES: readonly RoadmapCategory[] = ['planned', 'in_progress'];
/** Shipped shows what shipped in the last 90 days, at most 30 ideas. */
export const SHIPPED_WINDOW_DAYS = 90;
export const SHIPPED_MAX = 30;
/** A column shows at most this many ideas (a roadmap longer than that is not read). */
export const COLUMN_MAX = 100;

export const QUARTER_PATTERN = /^(19|20|21)\d{2}-Q[1-4]$/;

export const quarterSchema = z.object({
	quarter: z
		.string()
		.trim()
		.toUpperCase()
		.optional()
		.transform((value) => value || null)
		.refine((value) => value === null || QUARTER_PATTERN.test(value), {
			error: () => m.roadmap_quarter_format()
		})
});

export interface RoadmapCard {
	id: number;
	title: string;
	path: string;
	product: { name: string; slug: string };
	status: { id: number; name: string };
	voteCount: number;
	targetQuarter: string | null;
	/** When it moved to its shipped status; only in the Shipped column. */
	shippedAt: Date | null;
}

export interface RoadmapColumn {
	category: RoadmapCategory;
	label: string;
	cards: RoadmapCard[];
}

/** Ideas anyone may see on the roadmap: visible, not deleted, not merged. */
function roadmapIdeas(db: Db, productSlug: string | null) {
	let query = db
		.selectFrom('post')
		.innerJoin('product', 'product.id', 'post.product_id')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.where('post.kind', '=', 'idea')
		.where('post.deleted_at', 'is', null)
		.where('post.merged_into_id', 'is', null)
		.where('post.visibility', '=', 'visible');
	if (productSlug) {
		query = query.where('product.slug', '=', productSlug);
	}
	return query.select([
		'post.id',
		'post.title',
		'post.vote_count',
		'post.target_quarter',
		'product.name as product_name',
		'product.slug as product_slug',
		'idea_status.id as status_id',
		'idea_status.name as status_name',
		'idea_status.category'
	]);
}

/** When the idea moved to the status it has now (the latest such change). */
const shippedAt = sql<Date | null>`(
	select max(sc.created_at) from status_change sc
	where sc.post_id = post.id and sc.to_status_id = post.status_id
)`;

/**
 * The three columns. Planned and In progress follow the staff's order (placed ideas first, then
 * the others by votes); Shipped lists what shipped in the last SHIPPED_WINDOW_DAYS, newest first.
 */
export async function getRoadmap(
	db: Db,
	options: { productSlug?: string | null; now?: Date } = {}
): Promise<RoadmapColumn[]> {
	const now = options.now ?? new Date();
	const since = new Date(now.getTime() - SHIPPED_WINDOW_DAYS * 24 * 60 * 60 * 1000);
	const [ordered, shipped] = await Promise.all([
		roadmapIdeas(db, options.productSlug ?? null)
			.where('idea_status.category', 'in', ORDERED_CATEGORIES)
			.orderBy(sql`post.roadmap_position asc nulls last`)
			.orderBy('post.vote_count', 'desc')
			.orderBy('post.id')
			.execute(),
		roadmapIdeas(db, options.productSlug ?? null)
			.select(shippedAt.as('shipped_at'))
			.where('idea_status.category', '=', 'done')
			.where(sql<SqlBool>`coalesce(${shippedAt}, post.last_activity_at) >= ${since}`)
			.orderBy(sql`coalesce(${shippedAt}, post.last_activity_at) desc`)
			.orderBy('post.id', 'desc')
			.limit(SHIPPED_MAX)
			.execute()
	]);
	const card = (row: (typeof ordered)[number], at: Date | null = null): RoadmapCard => ({
		id: row.id,
		title: row.title,
		path: ideaPath(row),
		product: { name: row.product_name, slug: row.product_slug },
		status: { id: row.status_id, name: row.status_name },
		voteCount: row.vote_count,
		targetQuarter: row.target_quarter,
		shippedAt: at
	});
	return ROADMAP_CATEGORIES.map((category) => ({
		category,
		label: roadmapLabel(category),
		cards:
			category === 'done'
				? shipped.map((row) => card(row, row.shipped_at))
				: ordered
						.filter((row) => row.category === category)
						.slice(0, COLUMN_MAX)
						.map((row) => card(row))
	}));
}

// Staff tools --------------------------------------------------------------------------------

export type RoadmapResult =
	| { ok: true; changed: boolean }
	| { ok: false; reason: 'forbidden' | 'not_found' | 'not_on_roadmap' };

interface PlacedIdea {
	id: number;
	title: string;
	productId: number;
	productSlug: string;
	statusId: number;
	category: StatusCategory;
	targetQuarter: string | null;
}

async function loadIdea(trx: Db, ideaId: number): Promise<PlacedIdea | undefined> {
	const row = await trx
		.selectFrom('post')
		.innerJoin('product', 'product.id', 'post.product_id')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.select([
			'post.id',
			'post.title',
			'post.product_id',
			'product.slug as product_slug',
			'post.status_id',
			'post.target_quarter',
			'idea_status.category'
		])
		.where('post.id', '=', ideaId)
		.where('post.kind', '=', 'idea')
		.where('post.deleted_at', 'is', null)
		.where('post.merged_into_id', 'is', null)
		.executeTakeFirst();
	return row
		? {
				id: row.id,
				title: row.title,
				productId: row.product_id!,
				productSlug: row.product_slug,
				statusId: row.status_id!,
				category: row.category,
				targetQuarter: row.target_quarter
			}
		: undefined;
}

/** One roadmap edit at a time: moves read a column's order and write it back whole. */
async function lockRoadmap(trx: Db): Promise<void> {
	await sql`select pg_advisory_xact_lock(hashtext('roadmap order'))`.execute(trx);
}

/**
 * Staff move an idea one place up or down in its column. With a product filter, it passes the
 * neighbouring idea of that product (the one the staff member sees next to it); ideas of other
 * products keep their order. The column's whole order is then written as positions 1..n.
 */
export async function moveOnRoadmap(
	db: Db,
	actor: Actor,
	input: { ideaId: number; direction: 'up' | 'down'; productSlug?: string | null }
): Promise<RoadmapResult> {
	if (!canManageRoadmap(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<RoadmapResult> => {
		await lockRoadmap(trx);
		const idea = await loadIdea(trx, input.ideaId);
		if (!idea) {
			return { ok: false, reason: 'not_found' };
		}
		const category = idea.category as RoadmapCategory;
		if (!ORDERED_CATEGORIES.includes(category)) {
			return { ok: false, reason: 'not_on_roadmap' };
		}
		const column = await roadmapIdeas(trx, null)
			.where('idea_status.category', '=', category)
			.orderBy(sql`post.roadmap_position asc nulls last`)
			.orderBy('post.vote_count', 'desc')
			.orderBy('post.id')
			.execute();
		const order = column.map((row) => row.id);
		const seen = input.productSlug
			? column.filter((row) => row.product_slug === input.productSlug).map((row) => row.id)
			: order;
		const at = seen.indexOf(idea.id);
		const neighbour = at < 0 ? undefined : seen[input.direction === 'up' ? at - 1 : at + 1];
		if (neighbour === undefined) {
			return { ok: true, changed: false };
		}
		order.splice(order.indexOf(idea.id), 1);
		const target = order.indexOf(neighbour);
		order.splice(input.direction === 'up' ? target : target + 1, 0, idea.id);
		await sql`
			update post set roadmap_position = placed.position
			from unnest(${order}::bigint[], ${order.map((_, i) => i + 1)}::integer[])
				as placed(id, position)
			where post.id = placed.id and post.roadmap_position is distinct from placed.position
		`.execute(trx);
		await recordAudit(trx, actor, {
			action: 'roadmap.move',
			targetType: 'idea',
			targetId: idea.id,
			details: { direction: input.direction, position: order.indexOf(idea.id) + 1, category }
		});
		return { ok: true, changed: true };
	});
}

/** Staff set (or clear, with null) the quarter an idea is aimed at. */
export async function setTargetQuarter(
	db: Db,
	actor: Actor,
	input: { ideaId: number; quarter: string | null }
): Promise<RoadmapResult> {
	if (!canManageRoadmap(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	if (input.quarter !== null && !QUARTER_PATTERN.test(input.quarter)) {
		throw new Error(`not a quarter: ${input.quarter}`);
	}
	return db.transaction().execute(async (trx): Promise<RoadmapResult> => {
		const idea = await loadIdea(trx, input.ideaId);
		if (!idea) {
			return { ok: false, reason: 'not_found' };
		}
		if (idea.targetQuarter === input.quarter) {
			return { ok: true, changed: false };
		}
		await trx
			.updateTable('post')
			.set({ target_quarter: input.quarter })
			.where('id', '=', idea.id)
			.execute();
		await recordAudit(trx, actor, {
			action: 'roadmap.target_quarter',
			targetType: 'idea',
			targetId: idea.id,
			details: { from: idea.targetQuarter, to: input.quarter }
		});
		return { ok: true, changed: true };
	});
}

/**
 * Staff move an idea to another status from the roadmap tools (onto the roadmap, to another
 * column, or off it). A new column places it after the ideas staff have ordered.
 */
export async function setRoadmapStatus(
	db: Db,
	actor: Actor,
	input: { ideaId: number; statusId: number }
): Promise<RoadmapResult | { ok: false; reason: 'unknown_status' }> {
	if (!canManageRoadmap(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx) => {
		const [idea, status] = await Promise.all([
			loadIdea(trx, input.ideaId),
			trx
				.selectFrom('idea_status')
				.select(['id', 'name', 'category'])
				.where('id', '=', input.statusId)
				.executeTakeFirst()
		]);
		if (!idea) {
			return { ok: false as const, reason: 'not_found' as const };
		}
		if (!status) {
			return { ok: false as const, reason: 'unknown_status' as const };
		}
		await lockRoadmap(trx);
		const { changed } = await changeIdeaStatus(trx, actor, {
			ideaId: idea.id,
			statusId: status.id
		});
		if (changed) {
			if (status.category !== idea.category) {
				await trx
					.updateTable('post')
					.set({ roadmap_position: null })
					.where('id', '=', idea.id)
					.execute();
			}
			await recordAudit(trx, actor, {
				action: 'idea.status',
				targetType: 'idea',
				targetId: idea.id,
				details: { from: idea.statusId, to: status.id, via: 'roadmap' }
			});
		}
		return { ok: true as const, changed };
	});
}

/** The statuses staff may choose from, in their order, with their category. */
export async function listStatuses(
	db: Db
): Promise<{ id: number; name: string; category: StatusCategory }[]> {
	return db
		.selectFrom('idea_status')
		.select(['id', 'name', 'category'])
		.orderBy('position')
		.orderBy('id')
		.execute();
}

export interface PickableIdea {
	id: number;
	title: string;
	path: string;
	product: string;
	status: { id: number; name: string; category: StatusCategory };
	voteCount: number;
}

/**
 * Ideas staff can pick by a few words of the title or body (full text), part of the title, or
 * the idea's number (`42` or `#42`): visible ones only, best match first.
 */
export async function pickIdeas(db: Db, q: string, limit = 10): Promise<PickableIdea[]> {
	const query = q.trim().slice(0, 200);
	if (!query) {
		return [];
	}
	const id = /^#?(\d{1,15})$/.exec(query)?.[1];
	const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
	const tsquery = sql`websearch_to_tsquery('english', ${query})`;
	const rows = await db
		.selectFrom('post')
		.innerJoin('product', 'product.id', 'post.product_id')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.select([
			'post.id',
			'post.title',
			'post.vote_count',
			'product.name as product_name',
			'idea_status.id as status_id',
			'idea_status.name as status_name',
			'idea_status.category'
		])
		.where('post.kind', '=', 'idea')
		.where('post.deleted_at', 'is', null)
		.where('post.merged_into_id', 'is', null)
		.where('post.visibility', '=', 'visible')
		.where((eb) =>
			eb.or([
				sql<SqlBool>`post.search @@ ${tsquery}`,
				eb('post.title', 'ilike', like),
				...(id ? [eb('post.id', '=', Number(id))] : [])
			])
		)
		.orderBy(sql`post.id = ${id ? Number(id) : 0}`, 'desc')
		.orderBy(sql`ts_rank_cd(post.search, ${tsquery})`, 'desc')
		.orderBy('post.vote_count', 'desc')
		.orderBy('post.id', 'desc')
		.limit(limit)
		.execute();
	return rows.map((row) => ({
		id: row.id,
		title: row.title,
		path: ideaPath(row),
		product: row.product_name,
		status: { id: row.status_id, name: row.status_name, category: row.category },
		voteCount: row.vote_count
	}));
}
