// Reading other tools' CSV exports into one shape: ideas, votes and comments, each with a key
// that says where it came from (so a second import of the same file finds it). Pure: no
// database here. docs/import.md lists every column.
import { m } from '$lib/paraglide/messages';
import { parse } from 'csv-parse/sync';
import type { StatusCategory } from '$lib/domain/ideas';

export const IMPORT_FORMATS = ['roundtable', 'canny', 'fider'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The format's name in the reader's language. */
export function importFormatLabel(format: ImportFormat): string {
	const labels: Record<ImportFormat, () => string> = {
		roundtable: m.admin_import_format_roundtable,
		canny: m.admin_import_format_canny,
		fider: m.admin_import_format_fider
	};
	return labels[format]();
}

export interface Person {
	/** Lowercased; null when the export has none (Fider gives names only). */
	email: string | null;
	name: string | null;
}

export interface IdeaRow {
	kind: 'idea';
	key: string;
	title: string;
	body: string;
	author: Person;
	/** The status as the other tool wrote it; mapped by `statusCategoryFor`. */
	status: string | null;
	product: string | null;
	tags: string[];
	createdAt: Date | null;
	/** Fider's official response, kept as a staff comment. */
	response: { text: string; by: string | null; at: Date | null } | null;
}

export interface VoteRow {
	kind: 'vote';
	ideaKey: string;
	voter: Person;
	createdAt: Date | null;
}

export interface CommentRow {
	kind: 'comment';
	key: string;
	ideaKey: string;
	author: Person;
	body: string;
	createdAt: Date | null;
}

export type ImportRow = IdeaRow | VoteRow | CommentRow;
/** A row the importer skips on purpose (and says why), e.g. a post deleted in Fider. */
export type RowMapping =
	{ ok: true; row: ImportRow } | { ok: false; error: string } | { ok: 'skip'; reason: string };

export interface ParsedFile {
	format: ImportFormat;
	/** Canny exports posts, votes and comments as separate files. */
	variant: string;
	/** Line number (1 = the header) and mapping of every data row. */
	rows: { line: number; mapping: RowMapping }[];
}

type Record_ = Record<string, string>;

/** Header names compared without case, spaces, dashes or underscores. */
function norm(header: string): string {
	return header.toLowerCase().replace(/[\s_-]+/g, '');
}

function pick(record: Record_, ...names: string[]): string {
	for (const name of names) {
		const value = record[norm(name)];
		if (value !== undefined && value.trim() !== '') {
			return value.trim();
		}
	}
	return '';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function person(email: string, name: string): Person | string {
	if (email && !EMAIL.test(email)) {
		return `“${email}” is not an email address.`;
	}
	return { email: email ? email.toLowerCase() : null, name: name || null };
}

/** ISO 8601, or what Date understands unambiguously (no bare day/month orders). */
export function parseDate(value: string): Date | null | 'invalid' {
	if (!value) {
		return null;
	}
	const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2}| UTC)?$/;
	if (!iso.test(value.trim())) {
		return 'invalid';
	}
	const date = new Date(value.trim().replace(' UTC', 'Z'));
	return Number.isNaN(date.getTime()) ? 'invalid' : date;
}

function dateField(value: string, column: string): Date | null | string {
	const date = parseDate(value);
	return date === 'invalid' ? m.admin_import_not_a_date({ column, value }) : date;
}

function tagList(value: string): string[] {
	return value
		.split(',')
		.map((tag) => tag.trim())
		.filter(Boolean);
}

// Our own format ------------------------------------------------------------------------------

function roundtableRow(r: Record_): RowMapping {
	const type = pick(r, 'type').toLowerCase();
	const author = person(pick(r, 'email'), pick(r, 'name'));
	if (typeof author === 'string') {
		return { ok: false, error: author };
	}
	const createdAt = dateField(pick(r, 'created_at'), 'created_at');
	if (typeof createdAt === 'string') {
		return { ok: false, error: createdAt };
	}
	if (type === 'idea') {
		const id = pick(r, 'id');
		const title = pick(r, 'title');
		if (!id) {
			return { ok: false, error: m.admin_import_idea_needs_id() };
		}
		if (!title) {
			return { ok: false, error: m.admin_import_idea_needs_title() };
		}
		if (!author.email) {
			return { ok: false, error: m.admin_import_idea_needs_email() };
		}
		return {
			ok: true,
			row: {
				kind: 'idea',
				key: `idea:${id}`,
				title: title.slice(0, 200),
				body: pick(r, 'body'),
				author,
				status: pick(r, 'status') || null,
				product: pick(r, 'product') || null,
				tags: tagList(pick(r, 'tags')),
				createdAt,
				response: null
			}
		};
	}
	const ideaId = pick(r, 'idea_id');
	if (type === 'vote' || type === 'comment') {
		if (!ideaId) {
			return { ok: false, error: `A ${type} needs the idea_id of its idea.` };
		}
		if (!author.email) {
			return { ok: false, error: `A ${type} needs the member’s email.` };
		}
	}
	if (type === 'vote') {
		return { ok: true, row: { kind: 'vote', ideaKey: `idea:${ideaId}`, voter: author, createdAt } };
	}
	if (type === 'comment') {
		const id = pick(r, 'id');
		const body = pick(r, 'body');
		if (!id) {
			return { ok: false, error: 'A comment needs an id (any text unique in the file).' };
		}
		if (!body) {
			return { ok: false, error: 'A comment needs a body.' };
		}
		return {
			ok: true,
			row: {
				kind: 'comment',
				key: `comment:${id}`,
				ideaKey: `idea:${ideaId}`,
				author,
				body,
				createdAt
			}
		};
	}
	return { ok: false, error: `type must be idea, vote or comment, not “${type}”.` };
}

// Canny --------------------------------------------------------------------------------------
// Canny exports posts, and separately a post's voters and comments. Posts are keyed by Canny's
// post id when the export has one, otherwise by title (Canny titles are unique per board).

function cannyIdeaKey(r: Record_): string {
	const id = pick(r, 'Post ID', 'ID');
	if (id) {
		return `idea:${id}`;
	}
	const title = pick(r, 'Post Title', 'Title', 'Post');
	return title ? `idea:title:${title.toLowerCase()}` : '';
}

function cannyPost(r: Record_): RowMapping {
	const title = pick(r, 'Title', 'Post Title');
	if (!title) {
		return { ok: false, error: m.admin_import_post_no_title_column() };
	}
	const author = person(pick(r, 'Author Email', 'Email'), pick(r, 'Author Name', 'Author'));
	if (typeof author === 'string') {
		return { ok: false, error: author };
	}
	if (!author.email) {
		return { ok: false, error: m.admin_import_post_no_author_email() };
	}
	const createdAt = dateField(pick(r, 'Created At', 'Created', 'Date'), 'Created At');
	if (typeof createdAt === 'string') {
		return { ok: false, error: createdAt };
	}
	return {
		ok: true,
		row: {
			kind: 'idea',
			key: cannyIdeaKey(r),
			title: title.slice(0, 200),
			body: pick(r, 'Details', 'Post Details', 'Description'),
			author,
			status: pick(r, 'Status') || null,
			product: pick(r, 'Board') || null,
			tags: tagList(pick(r, 'Tags')),
			createdAt,
			response: null
		}
	};
}

function cannyVote(r: Record_): RowMapping {
	const ideaKey = cannyIdeaKey(r);
	if (!ideaKey) {
		return { ok: false, error: m.admin_import_vote_no_post() };
	}
	const voter = person(pick(r, 'Voter Email', 'Email'), pick(r, 'Voter Name', 'Name'));
	if (typeof voter === 'string') {
		return { ok: false, error: voter };
	}
	if (!voter.email) {
		return { ok: false, error: m.admin_import_vote_no_email() };
	}
	const createdAt = dateField(pick(r, 'Created At', 'Voted At', 'Date'), 'Created At');
	if (typeof createdAt === 'string') {
		return { ok: false, error: createdAt };
	}
	return { ok: true, row: { kind: 'vote', ideaKey, voter, createdAt } };
}

function cannyComment(r: Record_): RowMapping {
	const ideaKey = cannyIdeaKey(r);
	if (!ideaKey) {
		return { ok: false, error: m.admin_import_comment_no_post() };
	}
	const body = pick(r, 'Comment', 'Value', 'Body');
	if (!body) {
		return { ok: false, error: m.admin_import_comment_empty() };
	}
	const author = person(pick(r, 'Author Email', 'Email'), pick(r, 'Author Name', 'Author'));
	if (typeof author === 'string') {
		return { ok: false, error: author };
	}
	if (!author.email) {
		return { ok: false, error: m.admin_import_comment_no_email() };
	}
	const createdAt = dateField(pick(r, 'Created At', 'Created', 'Date'), 'Created At');
	if (typeof createdAt === 'string') {
		return { ok: false, error: createdAt };
	}
	const id = pick(r, 'Comment ID', 'ID');
	const key = id
		? `comment:${id}`
		: `comment:${ideaKey}:${author.email}:${createdAt?.toISOString() ?? ''}:${body.slice(0, 80)}`;
	return { ok: true, row: { kind: 'comment', key, ideaKey, author, body, createdAt } };
}

// Fider -------------------------------------------------------------------------------------
// Fider's "Export posts to CSV" (app/pkg/csv): number, title, description, created_at,
// created_by (a name, no email), votes_count, comments_count, status, responded_by,
// responded_at, response, original_number, original_title, tags. No voters, no comments.

function fiderPost(r: Record_): RowMapping {
	const number = pick(r, 'number');
	const title = pick(r, 'title');
	if (!number) {
		return { ok: false, error: m.admin_import_post_no_number() };
	}
	if (!title) {
		return { ok: false, error: m.admin_import_post_no_title() };
	}
	const status = pick(r, 'status');
	if (status.toLowerCase() === 'deleted') {
		return { ok: 'skip', reason: m.admin_import_fider_deleted() };
	}
	const createdAt = dateField(pick(r, 'created_at'), 'created_at');
	if (typeof createdAt === 'string') {
		return { ok: false, error: createdAt };
	}
	const respondedAt = dateField(pick(r, 'responded_at'), 'responded_at');
	if (typeof respondedAt === 'string') {
		return { ok: false, error: respondedAt };
	}
	const response = pick(r, 'response');
	const original = pick(r, 'original_number');
	const duplicateNote = original
		? `Duplicate of Fider post #${original}${pick(r, 'original_title') ? ` (${pick(r, 'original_title')})` : ''}.`
		: '';
	const text = [response, duplicateNote].filter(Boolean).join('\n\n');
	return {
		ok: true,
		row: {
			kind: 'idea',
			key: `idea:${number}`,
			title: title.slice(0, 200),
			body: pick(r, 'description'),
			author: { email: null, name: pick(r, 'created_by') || 'Fider user' },
			status: status || null,
			product: null,
			tags: tagList(pick(r, 'tags')),
			createdAt,
			response: text ? { text, by: pick(r, 'responded_by') || null, at: respondedAt } : null
		}
	};
}

// Detection and parsing ---------------------------------------------------------------------

/** Which format and kind of file these headers are, or null. */
export function detectFormat(headers: string[]): { format: ImportFormat; variant: string } | null {
	const has = (...names: string[]) => names.every((name) => headers.includes(norm(name)));
	if (has('type') && (has('idea_id') || has('title'))) {
		return { format: 'roundtable', variant: 'mixed' };
	}
	if (has('number', 'title', 'created_by', 'status')) {
		return { format: 'fider', variant: 'posts' };
	}
	if (has('voter email')) {
		return { format: 'canny', variant: 'votes' };
	}
	if ((has('comment') || has('value')) && (has('post id') || has('post title'))) {
		return { format: 'canny', variant: 'comments' };
	}
	if (has('title', 'author email') || has('post title', 'author email')) {
		return { format: 'canny', variant: 'posts' };
	}
	return null;
}

export type ParseResult = { ok: true; file: ParsedFile } | { ok: false; error: string };

/** Reads the CSV text; the format is detected from the header unless one is given. */
export function parseImportFile(text: string, format?: ImportFormat): ParseResult {
	let records: string[][];
	try {
		records = parse(text.replace(/^\uFEFF/, ''), {
			relax_column_count: true,
			skip_empty_lines: true
		}) as string[][];
	} catch (error) {
		return { ok: false, error: m.admin_import_not_csv({ detail: (error as Error).message }) };
	}
	const [header, ...data] = records;
	if (!header || data.length === 0) {
		return { ok: false, error: m.admin_import_no_rows() };
	}
	const headers = header.map(norm);
	const detected = detectFormat(headers);
	if (!detected || (format && detected.format !== format)) {
		return {
			ok: false,
			error: format
				? m.admin_import_columns_not_format({ format: importFormatLabel(format) })
				: m.admin_import_columns_unknown()
		};
	}
	const mapper =
		detected.format === 'roundtable'
			? roundtableRow
			: detected.format === 'fider'
				? fiderPost
				: detected.variant === 'votes'
					? cannyVote
					: detected.variant === 'comments'
						? cannyComment
						: cannyPost;
	const rows = data.map((values, index) => {
		const record: Record_ = {};
		headers.forEach((name, i) => {
			record[name] = values[i] ?? '';
		});
		return { line: index + 2, mapping: mapper(record) };
	});
	return { ok: true, file: { format: detected.format, variant: detected.variant, rows } };
}

/** Maps another tool's status to one of our categories (null: the default status). */
export function statusCategoryFor(status: string | null): StatusCategory | null {
	if (!status) {
		return null;
	}
	const s = status
		.toLowerCase()
		.replace(/[\s_-]+/g, ' ')
		.trim();
	const table: Record<string, StatusCategory> = {
		open: 'open',
		new: 'open',
		'under review': 'under_review',
		'needs review': 'under_review',
		reviewing: 'under_review',
		planned: 'planned',
		'in progress': 'in_progress',
		started: 'in_progress',
		complete: 'done',
		completed: 'done',
		done: 'done',
		shipped: 'done',
		closed: 'closed',
		declined: 'closed',
		duplicate: 'closed',
		rejected: 'closed'
	};
	return table[s] ?? null;
}
