// The read side of ideas: public lists (keyset-paginated), full-text search with highlights, and
// the similar ideas shown while someone drafts a new one. Deleted and merged ideas, and ideas
// hidden or pending by moderation, never appear (their authors see them on their own page).
import { sql, type Expression, type SqlBool } from 'kysely';
import { IDEA_SORTS, ideaPath, type IdeaSort, type StatusCategory } from '$lib/domain/ideas';
import { challengePath } from '$lib/domain/challenges';
import type { Db } from '../db';

export const IDEAS_PAGE_SIZE = 20;
export const SEARCH_PAGE_SIZE = 20;
/** Longer queries are cut: nobody types more, and it bounds the work a request can ask for. */
export const SEARCH_QUERY_MAX = 200;
export const SIMILAR_TITLE_MIN = 4;
/** A draft must be this close (trigram similarity + word-match rank) to count as similar. */
export const SIMILAR_MIN_SCORE = 0.3;
const EXCERPT_LENGTH = 200;

export interface IdeaTag {
	name: string;
	slug: string;
}

export interface IdeaSummary {
	id: number;
	title: string;
	path: string;
	/** Plain text from the start of the body, about 200 characters. */
	excerpt: string;
	product: { name: string; slug: string };
	status: { name: string; slug: string; category: StatusCategory };
	tags: IdeaTag[];
	voteCount: number;
	commentCount: number;
	createdAt: Date;
	author: { handle: string; displayName: string };
	/** The challenge the idea was entered into (the board's lists fill it in). */
	challenge?: { title: string; path: string } | null;
}

export interface IdeaFilters {
	productSlug?: string | null;
	statusSlug?: string | null;
	tagSlug?: string | null;
	/** Only this person's ideas (their public profile). */
	authorId?: number | null;
}

export function isIdeaSort(value: unknown): value is IdeaSort {
	return typeof value === 'string' && (IDEA_SORTS as readonly string[]).includes(value);
}

// Filters and visibility ----------------------------------------------------------------------

/** Ideas anyone may see in a list, joined to what a summary shows, narrowed by the filters. */
function visibleIdeas(db: Db, filters: IdeaFilters) {
	let query = db
		.selectFrom('post')
		.innerJoin('product', 'product.id', 'post.product_id')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.innerJoin('app_user', 'app_user.id', 'post.author_id')
		.where('post.kind', '=', 'idea')
		.where('post.deleted_at', 'is', null)
		.where('post.visibility', '=', 'visible')
		.where('post.merged_into_id', 'is', null);
	if (filters.productSlug) {
		query = query.where('product.slug', '=', filters.productSlug);
	}
	if (filters.statusSlug) {
		query = query.where('idea_status.slug', '=', filters.statusSlug);
	}
	const tagSlug = filters.tagSlug;
	if (tagSlug) {
		query = query.where((eb) =>
			eb.exists(
				eb
					.selectFrom('post_tag')
					.innerJoin('tag', 'tag.id', 'post_tag.tag_id')
					.select('post_tag.post_id')
					.whereRef('post_tag.post_id', '=', 'post.id')
					.where('tag.slug', '=', tagSlug)
			)
		);
	}
	if (filters.authorId != null) {
		query = query.where('post.author_id', '=', filters.authorId);
	}
	return query;
}

/**
 * The same ideas as `visibleIdeas`, read from `post` alone: for queries that touch every match
 * (search ranking, similar ideas). The joins there never drop an idea (product, status and author
 * are required references), so leaving them out changes no result; at 20,000 matches it saves a
 * lookup of each one's author, product and status (docs/performance.md, "Query plans").
 */
function visibleIdeaRows(db: Db, filters: IdeaFilters) {
	let query = db
		.selectFrom('post')
		.where('post.kind', '=', 'idea')
		.where('post.deleted_at', 'is', null)
		.where('post.visibility', '=', 'visible')
		.where('post.merged_into_id', 'is', null);
	const { productSlug, statusSlug, tagSlug } = filters;
	if (productSlug) {
		query = query.where((eb) =>
			eb.exists(
				eb
					.selectFrom('product')
					.select('product.id')
					.whereRef('product.id', '=', 'post.product_id')
					.where('product.slug', '=', productSlug)
			)
		);
	}
	if (statusSlug) {
		query = query.where((eb) =>
			eb.exists(
				eb
					.selectFrom('idea_status')
					.select('idea_status.id')
					.whereRef('idea_status.id', '=', 'post.status_id')
					.where('idea_status.slug', '=', statusSlug)
			)
		);
	}
	if (tagSlug) {
		query = query.where((eb) =>
			eb.exists(
				eb
					.selectFrom('post_tag')
					.innerJoin('tag', 'tag.id', 'post_tag.tag_id')
					.select('post_tag.post_id')
					.whereRef('post_tag.post_id', '=', 'post.id')
					.where('tag.slug', '=', tagSlug)
			)
		);
	}
	if (filters.authorId != null) {
		query = query.where('post.author_id', '=', filters.authorId);
	}
	return query;
}

/** The tags of a page of ideas, in one query. */
async function tagsOf(db: Db, ids: number[]): Promise<Map<number, IdeaTag[]>> {
	const byIdea = new Map<number, IdeaTag[]>();
	if (ids.length === 0) {
		return byIdea;
	}
	const rows = await db
		.selectFrom('post_tag')
		.innerJoin('tag', 'tag.id', 'post_tag.tag_id')
		.select(['post_tag.post_id', 'tag.name', 'tag.slug'])
		.where('post_tag.post_id', 'in', ids)
		.orderBy('tag.name')
		.execute();
	for (const row of rows) {
		const tags = byIdea.get(row.post_id) ?? [];
		tags.push({ name: row.name, slug: row.slug });
		byIdea.set(row.post_id, tags);
	}
	return byIdea;
}

/** What the filter menus offer: every product (archived ones are still readable), status and tag. */
export interface IdeaFilterOptions {
	products: { name: string; slug: string; archived: boolean }[];
	statuses: { name: string; slug: string; category: StatusCategory }[];
	tags: { name: string; slug: string; archived: boolean }[];
}

/** One statement for the three lists (every idea list and the triage inbox read them). */
export async function listIdeaFilterOptions(db: Db): Promise<IdeaFilterOptions> {
	const { rows } = await sql<IdeaFilterOptions>`
		select
			(select coalesce(json_agg(json_build_object('name', name, 'slug', slug,
					'archived', archived_at is not null) order by archived_at is not null, name), '[]')
				from product) as products,
			(select coalesce(json_agg(json_build_object('name', name, 'slug', slug,
					'category', category) order by position, id), '[]')
				from idea_status) as statuses,
			(select coalesce(json_agg(json_build_object('name', name, 'slug', slug,
					'archived', archived_at is not null) order by archived_at is not null, name), '[]')
				from tag) as tags`.execute(db);
	return rows[0] ?? { products: [], statuses: [], tags: [] };
}

// Excerpts and highlights ---------------------------------------------------------------------

/**
 * Markdown source to a line of plain text, good enough for a preview: the markup people type
 * goes, the words stay. (The stored HTML is for the idea's own page.)
 */
export function markdownToPlainText(source: string): string {
	return (
		source
			// Fenced code markers and the info string (the code itself stays).
			.replace(/^[ \t]*(?:`{3,}|~{3,})[ \t]*[^\s`]*[ \t]*$/gm, ' ')
			// Images and links: keep the words in brackets, drop the address.
			.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
			// Reference definitions and reference links.
			.replace(
				/^[ \t]*\[[^\]]+\]:[ \t]*\S+(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$/gm,
				' '
			)
			.replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
			// Autolinks <https://…> keep their address.
			.replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
			// Headings, quotes, list markers and table pipes at the start of a line.
			.replace(/^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)+/gm, '')
			// Horizontal rules and table separator rows.
			.replace(/^[ \t]*(?:[-*_][ \t]*){3,}$/gm, ' ')
			.replace(/^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$/gm, ' ')
			.replace(/\|/g, ' ')
			// Emphasis, strike-through and inline code markers.
			.replace(/(\*{1,3}|_{1,3}|~~|`+)(?=\S)([^\n]*?\S)\1/g, '$2')
			.replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1')
			.replace(/\s+/g, ' ')
			.trim()
	);
}

/** Cuts plain text at a word boundary near `length`, adding an ellipsis when something was cut. */
export function truncateText(text: string, length = EXCERPT_LENGTH): string {
	if (text.length <= length) {
		return text;
	}
	const cut = text.slice(0, length + 1);
	const lastSpace = cut.lastIndexOf(' ');
	const end = lastSpace > length * 0.6 ? lastSpace : length;
	return `${cut.slice(0, end).replace(/[\s.,;:!?-]+$/, '')}…`;
}

function excerptOf(bodyStart: string): string {
	return truncateText(markdownToPlainText(bodyStart));
}

function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

// ts_headline returns the user's own text with our markers around matches. The markers are
// control characters no idea contains (they are stripped from the input), so the text can be
// escaped as a whole and only then the markers turned into the one tag we allow.
const START_SEL = '\u0002';
const STOP_SEL = '\u0003';
const MARKERS = START_SEL + STOP_SEL;
const TITLE_HEADLINE_OPTIONS = `StartSel="${START_SEL}", StopSel="${STOP_SEL}", HighlightAll=true`;
// A short body is shown whole (one passage of up to 50 words); a longer one as the two passages
// around the best matches, so each match comes with words on both sides.
const SHORT_BODY = 300;
const SHORT_BODY_HEADLINE_OPTIONS = `StartSel="${START_SEL}", StopSel="${STOP_SEL}", MaxWords=50, MinWords=20`;
const BODY_HEADLINE_OPTIONS =
	`StartSel="${START_SEL}", StopSel="${STOP_SEL}", ` +
	'MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "';

/** Escaped HTML whose only markup is balanced `<mark>` elements around the matched words. */
export function highlightToHtml(marked: string): string {
	let html = '';
	let open = false;
	let text = '';
	for (const char of marked) {
		if (char !== START_SEL && char !== STOP_SEL) {
			text += char;
			continue;
		}
		html += escapeHtml(text);
		text = '';
		if (char === START_SEL && !open) {
			html += '<mark>';
			open = true;
		} else if (char === STOP_SEL && open) {
			html += '</mark>';
			open = false;
		}
	}
	html += escapeHtml(text);
	return open ? `${html}</mark>` : html;
}

function withoutMarkers(text: string): string {
	return text.replaceAll(START_SEL, '').replaceAll(STOP_SEL, '');
}

// Keyset pagination ---------------------------------------------------------------------------

/** Each sort's key; every one is backed by an index on (kind, key desc, id desc). */
const SORT_COLUMN = {
	trending: 'post.hot_score',
	top: 'post.vote_count',
	newest: 'post.created_at',
	discussed: 'post.comment_count'
} as const satisfies Record<IdeaSort, string>;

interface Cursor {
	sort: IdeaSort;
	/** The last idea's sort key: a number, or for `newest` its UTC time to the microsecond. */
	key: number | string;
	id: number;
}

const TIMESTAMP_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(cursor: Cursor): string {
	return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id])).toString('base64url');
}

/** The cursor, or null when it is not one of ours for this sort. */
export function decodeCursor(value: string, sort: IdeaSort): Cursor | null {
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
	} catch {
		return null;
	}
	if (!Array.isArray(parsed) || parsed.length !== 3) {
		return null;
	}
	const [cursorSort, key, id] = parsed as unknown[];
	if (cursorSort !== sort || typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
		return null;
	}
	const keyOk =
		sort === 'newest'
			? isTimestampKey(key)
			: sort === 'trending'
				? typeof key === 'number' && Number.isFinite(key)
				: typeof key === 'number' && Number.isInteger(key) && key >= 0 && key <= INT4_MAX;
	return keyOk ? { sort, key: key as number | string, id } : null;
}

/** The counters are `integer` columns: a larger key would fail in the database, not here. */
const INT4_MAX = 2 ** 31 - 1;

/** A real instant in our format (the database would refuse 2026-02-30, so refuse it first). */
function isTimestampKey(key: unknown): key is string {
	if (typeof key !== 'string' || !TIMESTAMP_KEY.test(key)) {
		return false;
	}
	const date = new Date(`${key.slice(0, 23)}Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 23) === key.slice(0, 23);
}

/** Thrown for a cursor that is not ours (edited, truncated, or from another sort). */
export class InvalidCursorError extends Error {
	constructor() {
		super('The page cursor is not valid for this list');
		this.name = 'InvalidCursorError';
	}
}

export interface ListIdeasOptions extends IdeaFilters {
	sort: IdeaSort;
	/** From a previous page's `nextCursor`; null or absent for the first page. */
	cursor?: string | null;
	limit?: number;
}

export interface IdeaPage {
	ideas: IdeaSummary[];
	nextCursor: string | null;
}

/**
 * A page of ideas in the given order. Pages continue from the last idea of the previous one
 * (its sort key and id), so a deep page costs the same as the first and nothing is skipped or
 * repeated when ideas are added in between. Throws InvalidCursorError for a cursor not ours.
 */
export async function listIdeas(db: Db, options: ListIdeasOptions): Promise<IdeaPage> {
	const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? IDEAS_PAGE_SIZE)), 100);
	const { sort } = options;
	const column = SORT_COLUMN[sort];
	let after: Cursor | null = null;
	if (options.cursor) {
		after = decodeCursor(options.cursor, sort);
		if (!after) {
			throw new InvalidCursorError();
		}
	}

	let query = visibleIdeas(db, options)
		.leftJoin('challenge', 'challenge.id', 'post.challenge_id')
		.select([
			'challenge.id as challenge_id',
			'challenge.title as challenge_title',
			'post.id',
			'post.title',
			sql<string>`left(post.body_source, 600)`.as('body_start'),
			'post.vote_count',
			'post.comment_count',
			'post.created_at',
			'post.hot_score',
			sql<string>`to_char(post.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
				'created_key'
			),
			'product.name as product_name',
			'product.slug as product_slug',
			'idea_status.name as status_name',
			'idea_status.slug as status_slug',
			'idea_status.category as status_category',
			'app_user.handle as author_handle',
			'app_user.display_name as author_display_name'
		]);
	if (after) {
		const key: Expression<unknown> =
			sort === 'newest' ? sql`${after.key}::timestamptz` : sql`${after.key}`;
		query = query.where(sql<SqlBool>`(${sql.ref(column)}, post.id) < (${key}, ${after.id})`);
	}
	const rows = await query
		.orderBy(column, 'desc')
		.orderBy('post.id', 'desc')
		.limit(limit + 1)
		.execute();

	const page = rows.slice(0, limit);
	const tags = await tagsOf(
		db,
		page.map((row) => row.id)
	);
	const last = page.at(-1);
	const nextCursor =
		rows.length > limit && last
			? encodeCursor({
					sort,
					id: last.id,
					key:
						sort === 'newest'
							? last.created_key
							: sort === 'trending'
								? last.hot_score
								: sort === 'top'
									? last.vote_count
									: last.comment_count
				})
			: null;
	return {
		ideas: page.map((row) => ({
			id: row.id,
			title: row.title,
			path: ideaPath(row),
			excerpt: excerptOf(row.body_start),
			product: { name: row.product_name, slug: row.product_slug },
			status: { name: row.status_name, slug: row.status_slug, category: row.status_category },
			tags: tags.get(row.id) ?? [],
			voteCount: row.vote_count,
			commentCount: row.comment_count,
			createdAt: row.created_at,
			author: { handle: row.author_handle, displayName: row.author_display_name },
			challenge:
				row.challenge_id !== null && row.challenge_title !== null
					? { title: row.challenge_title, path: challengePath({ id: row.challenge_id }) }
					: null
		})),
		nextCursor
	};
}

// Search --------------------------------------------------------------------------------------

export interface IdeaSearchResult extends IdeaSummary {
	/** The title, HTML-escaped, with the matched words in `<mark>`. */
	titleHtml: string;
	/** The best passages of the body, as plain text HTML-escaped, matched words in `<mark>`. */
	excerptHtml: string;
	rank: number;
}

export interface SearchIdeasOptions extends IdeaFilters {
	q: string;
	limit?: number;
	offset?: number;
}

/**
 * Ideas matching a web-search style query (`"exact phrase"`, `-excluded`, `or`), best first by
 * cover density (title words weigh more than body words), with the matches highlighted.
 * An empty query, or one of stop words only, matches nothing.
 */
export async function searchIdeas(
	db: Db,
	options: SearchIdeasOptions
): Promise<{ ideas: IdeaSearchResult[]; hasMore: boolean }> {
	const q = options.q.trim().slice(0, SEARCH_QUERY_MAX);
	if (!q) {
		return { ideas: [], hasMore: false };
	}
	const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? SEARCH_PAGE_SIZE)), 100);
	const offset = Math.max(0, Math.trunc(options.offset ?? 0));
	const tsquery = sql`websearch_to_tsquery('english', ${q})`;

	// Rank every match cheaply first; headlines (which re-parse the text) only for the page.
	const hits = visibleIdeaRows(db, options)
		.where(sql<SqlBool>`post.search @@ ${tsquery}`)
		.select(['post.id', sql<number>`ts_rank_cd(post.search, ${tsquery})`.as('rank')])
		.orderBy('rank', 'desc')
		.orderBy('post.id', 'desc')
		.limit(limit + 1)
		.offset(offset);

	const rows = await db
		.selectFrom(hits.as('hit'))
		.innerJoin('post', 'post.id', 'hit.id')
		.innerJoin('product', 'product.id', 'post.product_id')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.innerJoin('app_user', 'app_user.id', 'post.author_id')
		.select([
			'post.id',
			'post.title',
			'hit.rank',
			sql<string>`ts_headline('english', translate(post.title, ${MARKERS}, ''), ${tsquery}, ${TITLE_HEADLINE_OPTIONS})`.as(
				'title_marked'
			),
			sql<string>`ts_headline('english', translate(post.body_source, ${MARKERS}, ''), ${tsquery},
				case when length(post.body_source) <= ${SHORT_BODY}
					then ${SHORT_BODY_HEADLINE_OPTIONS} else ${BODY_HEADLINE_OPTIONS} end)`.as('body_marked'),
			'post.vote_count',
			'post.comment_count',
			'post.created_at',
			'product.name as product_name',
			'product.slug as product_slug',
			'idea_status.name as status_name',
			'idea_status.slug as status_slug',
			'idea_status.category as status_category',
			'app_user.handle as author_handle',
			'app_user.display_name as author_display_name'
		])
		.orderBy('hit.rank', 'desc')
		.orderBy('post.id', 'desc')
		.execute();

	const page = rows.slice(0, limit);
	const tags = await tagsOf(
		db,
		page.map((row) => row.id)
	);
	return {
		ideas: page.map((row) => {
			const excerpt = truncateText(markdownToPlainText(row.body_marked), EXCERPT_LENGTH + 100);
			return {
				id: row.id,
				title: row.title,
				path: ideaPath(row),
				excerpt: withoutMarkers(excerpt),
				titleHtml: highlightToHtml(row.title_marked),
				excerptHtml: highlightToHtml(excerpt),
				rank: row.rank,
				product: { name: row.product_name, slug: row.product_slug },
				status: { name: row.status_name, slug: row.status_slug, category: row.status_category },
				tags: tags.get(row.id) ?? [],
				voteCount: row.vote_count,
				commentCount: row.comment_count,
				createdAt: row.created_at,
				author: { handle: row.author_handle, displayName: row.author_display_name }
			};
		}),
		hasMore: rows.length > limit
	};
}

// Similar ideas -------------------------------------------------------------------------------

export interface SimilarIdea {
	id: number;
	title: string;
	path: string;
	voteCount: number;
	status: { name: string; category: StatusCategory };
	product: { id: number; name: string };
}

export interface FindSimilarOptions {
	title: string;
	/** The product the draft is for: its ideas come first. */
	productId?: number | null;
	/** The idea being edited, which is not similar to itself. */
	excludeId?: number | null;
	limit?: number;
}

/**
 * Ideas that may already say what a draft title says, so the author can vote instead of posting
 * a duplicate. An idea is a candidate when it shares a word with the draft (full text, stemmed:
 * "exports" finds "export") or its title is close letter by letter (trigrams: typos, word order);
 * its score is the sum of both measures. The draft's product comes first, then the score.
 */
export async function findSimilarIdeas(
	db: Db,
	options: FindSimilarOptions
): Promise<SimilarIdea[]> {
	const title = options.title.trim().replace(/\s+/g, ' ').slice(0, SEARCH_QUERY_MAX);
	if (title.length < SIMILAR_TITLE_MIN) {
		return [];
	}
	const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? 5)), 20);
	// Any of the draft's words, not all of them: "or" between the words (only letters and digits
	// reach the query, so nothing the person typed acts as search syntax).
	const words = (title.match(/[\p{L}\p{N}]+/gu) ?? [])
		.filter((word) => word.toLowerCase() !== 'or')
		.slice(0, 20);
	const anyWord = sql`websearch_to_tsquery('english', ${words.join(' or ')})`;
	const score = sql<number>`(similarity(post.title, ${title}) + ts_rank(post.search, ${anyWord}))`;
	const productId = options.productId ?? null;
	const sameProduct =
		productId === null ? sql<boolean>`false` : sql<boolean>`(post.product_id = ${productId})`;

	// Every candidate is scored once, in a subquery the planner keeps apart (`offset 0`: otherwise
	// it repeats the score in the filter and the result), and only the best `limit` are joined to
	// their product and status: with thousands of candidates, the scoring is the whole cost.
	let candidates = visibleIdeaRows(db, {})
		.where(sql<SqlBool>`(post.search @@ ${anyWord} or post.title % ${title})`)
		.select(['post.id', 'post.vote_count', sameProduct.as('same_product'), score.as('score')]);
	if (options.excludeId) {
		candidates = candidates.where('post.id', '<>', options.excludeId);
	}
	const best = db
		.selectFrom(candidates.offset(0).as('candidate'))
		.select(['candidate.id', 'candidate.same_product', 'candidate.score'])
		.where('candidate.score', '>=', SIMILAR_MIN_SCORE)
		.orderBy('candidate.same_product', 'desc')
		.orderBy('candidate.score', 'desc')
		.orderBy('candidate.vote_count', 'desc')
		.orderBy('candidate.id', 'desc')
		.limit(limit);
	const rows = await db
		.selectFrom(best.as('best'))
		.innerJoin('post', 'post.id', 'best.id')
		.innerJoin('product', 'product.id', 'post.product_id')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.select([
			'post.id',
			'post.title',
			'post.vote_count',
			'idea_status.name as status_name',
			'idea_status.category as status_category',
			'product.id as product_id',
			'product.name as product_name'
		])
		.orderBy('best.same_product', 'desc')
		.orderBy('best.score', 'desc')
		.orderBy('post.vote_count', 'desc')
		.orderBy('post.id', 'desc')
		.execute();
	return rows.map((row) => ({
		id: row.id,
		title: row.title,
		path: ideaPath(row),
		voteCount: row.vote_count,
		status: { name: row.status_name, category: row.status_category },
		product: { id: row.product_id, name: row.product_name }
	}));
}
