// Importing another tool's export: every row in its own savepoint (all or nothing), the whole
// file in one transaction, and a dry run that does the same work and rolls it back, so its
// report is exactly what a real run would do. Re-importing finds what it created before
// (`import_record`) and creates nothing twice. docs/import.md explains the choices.
import { m } from '$lib/paraglide/messages';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { StatusCategory } from '$lib/domain/ideas';
import { recordAudit } from '../audit';
import type { Db } from '../db';
import { autoFollow } from '../follows';
import type { FieldErrors } from '../forms';
import { renderMarkdown } from '../markdown';
import { canImport, type Actor, type UserActor } from '../policy';
import {
	parseImportFile,
	statusCategoryFor,
	type CommentRow,
	type IdeaRow,
	type ImportFormat,
	type Person,
	type VoteRow
} from './formats';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;
/** The password hash of an imported account: no password matches it (argon2 refuses it). */
export const NO_PASSWORD = '!imported-no-password';

export interface ImportCounts {
	users: number;
	ideas: number;
	votes: number;
	comments: number;
}

export interface ImportReport {
	dryRun: boolean;
	format: ImportFormat;
	variant: string;
	rows: number;
	created: ImportCounts;
	/** Rows already imported by an earlier run (or a vote the member already had). */
	alreadyImported: number;
	skipped: { line: number; reason: string }[];
	errors: { line: number; message: string }[];
	/** The first ideas created, for the report. */
	ideas: { line: number; title: string; status: string; votes: number }[];
}

export type ImportResult =
	| { ok: true; report: ImportReport }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors };

interface Context {
	trx: Db;
	actor: UserActor;
	source: ImportFormat;
	defaultProductId: number;
	statuses: {
		id: number;
		name: string;
		slug: string;
		category: StatusCategory;
		isDefault: boolean;
	}[];
	products: { id: number; name: string; slug: string }[];
	tags: { id: number; name: string; slug: string }[];
	report: ImportReport;
}

/** A row's failure that the person importing can fix; anything else is a bug and propagates. */
class RowError extends Error {}

class DryRunRollback extends Error {}

async function importRecord(ctx: Context, key: string) {
	return ctx.trx
		.selectFrom('import_record')
		.select(['entity_id'])
		.where('source', '=', ctx.source)
		.where('external_key', '=', key)
		.executeTakeFirst();
}

async function remember(
	ctx: Context,
	key: string,
	entity: 'idea' | 'comment' | 'user',
	id: number
) {
	await ctx.trx
		.insertInto('import_record')
		.values({
			source: ctx.source,
			external_key: key,
			entity,
			entity_id: id,
			created_by_id: ctx.actor.id
		})
		.execute();
}

/** A handle from the name or the email's local part, made unique. */
async function freeHandle(trx: Db, seed: string): Promise<string> {
	let base = seed
		.normalize('NFKD')
		.replace(/[^A-Za-z0-9_]+/g, '_')
		.replace(/^_+|_+$/g, '')
		.slice(0, 24);
	if (base.length < 3) {
		base = `member_${base}`.slice(0, 24);
	}
	for (let n = 0; n < 1000; n++) {
		const candidate = n === 0 ? base : `${base}_${n}`;
		const taken = await trx
			.selectFrom('app_user')
			.select('id')
			.where(sql<boolean>`lower(handle) = lower(${candidate})`)
			.executeTakeFirst();
		if (!taken) {
			return candidate;
		}
	}
	throw new RowError(m.admin_import_no_free_handle({ seed }));
}

/**
 * The member behind an email: the existing account, or a new member account with no usable
 * password that its owner claims through "Forgot password". Fider gives names only: each name
 * becomes one placeholder account at an address under `.invalid`, which receives no mail.
 */
async function memberFor(ctx: Context, who: Person): Promise<number> {
	const email =
		who.email ??
		`${ctx.source}-${createHash('sha256')
			.update((who.name ?? '').toLowerCase())
			.digest('hex')
			.slice(0, 12)}@import.invalid`;
	const existing = await ctx.trx
		.selectFrom('app_user')
		.select('id')
		.where('email', '=', email)
		.executeTakeFirst();
	if (existing) {
		return existing.id;
	}
	const local = email.split('@')[0] ?? 'member';
	const handle = await freeHandle(ctx.trx, who.name ?? local);
	const user = await ctx.trx
		.insertInto('app_user')
		.values({
			email,
			handle,
			display_name: (who.name ?? local).slice(0, 60),
			password_hash: NO_PASSWORD,
			role: 'member'
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await remember(ctx, `user:${email}`, 'user', user.id);
	ctx.report.created.users += 1;
	return user.id;
}

function statusFor(ctx: Context, status: string | null) {
	const fallback = ctx.statuses.find((s) => s.isDefault) ?? ctx.statuses[0]!;
	if (!status) {
		return fallback;
	}
	const wanted = status.toLowerCase().trim();
	const exact = ctx.statuses.find((s) => s.slug === wanted || s.name.toLowerCase() === wanted);
	if (exact) {
		return exact;
	}
	const category = statusCategoryFor(status);
	return (category && ctx.statuses.find((s) => s.category === category)) || fallback;
}

function productFor(ctx: Context, name: string | null): number {
	if (!name) {
		return ctx.defaultProductId;
	}
	const wanted = name.toLowerCase().trim();
	const match = ctx.products.find((p) => p.slug === wanted || p.name.toLowerCase() === wanted);
	if (match) {
		return match.id;
	}
	// Our own format names products on purpose; other tools' boards rarely match ours.
	if (ctx.source === 'roundtable') {
		throw new RowError(m.admin_import_no_product({ name }));
	}
	return ctx.defaultProductId;
}

const hotScoreSql = sql<number>`log(greatest(vote_count, 1)) + (extract(epoch from created_at) - 1700000000) / 45000`;

async function importIdea(ctx: Context, line: number, row: IdeaRow): Promise<void> {
	if (await importRecord(ctx, row.key)) {
		ctx.report.alreadyImported += 1;
		return;
	}
	const productId = productFor(ctx, row.product);
	const status = statusFor(ctx, row.status);
	const authorId = await memberFor(ctx, row.author);
	const createdAt = row.createdAt ?? new Date();
	const post = await ctx.trx
		.insertInto('post')
		.values({
			kind: 'idea',
			product_id: productId,
			author_id: authorId,
			title: row.title,
			body_source: row.body,
			body_html: renderMarkdown(row.body),
			status_id: status.id,
			created_at: createdAt,
			last_activity_at: createdAt,
			// An imported status other than the default counts as triaged.
			triaged_at: status.isDefault ? null : createdAt
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await ctx.trx
		.updateTable('post')
		.set({ hot_score: hotScoreSql })
		.where('id', '=', post.id)
		.execute();
	const tagIds = ctx.tags
		.filter((tag) =>
			row.tags.some((t) => t.toLowerCase() === tag.name.toLowerCase() || t === tag.slug)
		)
		.map((tag) => tag.id);
	if (tagIds.length > 0) {
		await ctx.trx
			.insertInto('post_tag')
			.values(tagIds.map((tagId) => ({ post_id: post.id, tag_id: tagId })))
			.execute();
	}
	await autoFollow(ctx.trx, authorId, post.id);
	await ctx.trx
		.insertInto('activity')
		.values({
			user_id: authorId,
			kind: 'idea_posted',
			post_id: post.id,
			product_id: productId,
			data: JSON.stringify({ imported: ctx.source }),
			created_at: createdAt
		})
		.execute();
	if (row.response) {
		const by = row.response.by ? `\n\n— ${row.response.by}` : '';
		const source = `${row.response.text}${by}`;
		await ctx.trx
			.insertInto('comment')
			.values({
				post_id: post.id,
				author_id: ctx.actor.id,
				body_source: source,
				body_html: renderMarkdown(source),
				is_official: true,
				created_at: row.response.at ?? createdAt
			})
			.execute();
		await ctx.trx
			.updateTable('post')
			.set({ comment_count: sql`comment_count + 1` })
			.where('id', '=', post.id)
			.execute();
	}
	await remember(ctx, row.key, 'idea', post.id);
	ctx.report.created.ideas += 1;
	if (ctx.report.ideas.length < 50) {
		ctx.report.ideas.push({ line, title: row.title, status: status.name, votes: 0 });
	}
}

async function ideaIdFor(ctx: Context, ideaKey: string): Promise<number> {
	const record = await importRecord(ctx, ideaKey);
	if (!record) {
		throw new RowError(m.admin_import_no_idea({ idea: ideaKey.replace(/^idea:(title:)?/, '') }));
	}
	return record.entity_id;
}

async function importVote(ctx: Context, row: VoteRow): Promise<void> {
	const postId = await ideaIdFor(ctx, row.ideaKey);
	const userId = await memberFor(ctx, row.voter);
	const createdAt = row.createdAt ?? new Date();
	const inserted = await ctx.trx
		.insertInto('vote')
		.values({ post_id: postId, user_id: userId, created_at: createdAt })
		.onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
		.returning('post_id')
		.executeTakeFirst();
	if (!inserted) {
		ctx.report.alreadyImported += 1;
		return;
	}
	const post = await ctx.trx
		.updateTable('post')
		.set({ vote_count: sql`vote_count + 1` })
		.where('id', '=', postId)
		.returning(['product_id', 'title'])
		.executeTakeFirstOrThrow();
	await ctx.trx
		.updateTable('post')
		.set({ hot_score: hotScoreSql })
		.where('id', '=', postId)
		.execute();
	await autoFollow(ctx.trx, userId, postId);
	await ctx.trx
		.insertInto('activity')
		.values({
			user_id: userId,
			kind: 'vote_cast',
			post_id: postId,
			product_id: post.product_id,
			data: JSON.stringify({ importance: null, imported: ctx.source }),
			created_at: createdAt
		})
		.execute();
	ctx.report.created.votes += 1;
	const shown = ctx.report.ideas.find((idea) => idea.title === post.title);
	if (shown) {
		shown.votes += 1;
	}
}

async function importComment(ctx: Context, row: CommentRow): Promise<void> {
	if (await importRecord(ctx, row.key)) {
		ctx.report.alreadyImported += 1;
		return;
	}
	const postId = await ideaIdFor(ctx, row.ideaKey);
	const authorId = await memberFor(ctx, row.author);
	const createdAt = row.createdAt ?? new Date();
	const comment = await ctx.trx
		.insertInto('comment')
		.values({
			post_id: postId,
			author_id: authorId,
			body_source: row.body,
			body_html: renderMarkdown(row.body),
			created_at: createdAt
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const post = await ctx.trx
		.updateTable('post')
		.set({
			comment_count: sql`comment_count + 1`,
			last_activity_at: sql`greatest(last_activity_at, ${createdAt})`
		})
		.where('id', '=', postId)
		.returning('product_id')
		.executeTakeFirstOrThrow();
	await autoFollow(ctx.trx, authorId, postId);
	await ctx.trx
		.insertInto('activity')
		.values({
			user_id: authorId,
			kind: 'comment_posted',
			post_id: postId,
			comment_id: comment.id,
			product_id: post.product_id,
			data: JSON.stringify({ reply: false, official: false, imported: ctx.source }),
			created_at: createdAt
		})
		.execute();
	await remember(ctx, row.key, 'comment', comment.id);
	ctx.report.created.comments += 1;
}

export interface ImportInput {
	text: string;
	format?: ImportFormat;
	/** Where ideas go whose row names no product (or, from Canny, a board we have not). */
	defaultProductId: number;
	dryRun: boolean;
}

export async function runImport(db: Db, actor: Actor, input: ImportInput): Promise<ImportResult> {
	if (!canImport(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const parsed = parseImportFile(input.text, input.format);
	if (!parsed.ok) {
		return { ok: false, reason: 'invalid', errors: { file: parsed.error } };
	}
	const file = parsed.file;
	if (file.rows.length > MAX_IMPORT_ROWS) {
		return {
			ok: false,
			reason: 'invalid',
			errors: { file: m.admin_import_too_many_rows({ max: MAX_IMPORT_ROWS }) }
		};
	}
	const product = await db
		.selectFrom('product')
		.select('id')
		.where('id', '=', input.defaultProductId)
		.where('archived_at', 'is', null)
		.executeTakeFirst();
	if (!product) {
		return { ok: false, reason: 'invalid', errors: { product: m.admin_import_choose_product() } };
	}
	const report: ImportReport = {
		dryRun: input.dryRun,
		format: file.format,
		variant: file.variant,
		rows: file.rows.length,
		created: { users: 0, ideas: 0, votes: 0, comments: 0 },
		alreadyImported: 0,
		skipped: [],
		errors: [],
		ideas: []
	};
	try {
		await db.transaction().execute(async (trx) => {
			const ctx: Context = {
				trx,
				actor,
				source: file.format,
				defaultProductId: product.id,
				statuses: (
					await trx
						.selectFrom('idea_status')
						.select(['id', 'name', 'slug', 'category', 'is_default'])
						.orderBy('position')
						.execute()
				).map((s) => ({ ...s, isDefault: s.is_default })),
				products: await trx.selectFrom('product').select(['id', 'name', 'slug']).execute(),
				tags: await trx
					.selectFrom('tag')
					.select(['id', 'name', 'slug'])
					.where('archived_at', 'is', null)
					.execute(),
				report
			};
			for (const { line, mapping } of file.rows) {
				if (mapping.ok === 'skip') {
					report.skipped.push({ line, reason: mapping.reason });
					continue;
				}
				if (!mapping.ok) {
					report.errors.push({ line, message: mapping.error });
					continue;
				}
				const before = structuredClone({
					created: report.created,
					already: report.alreadyImported,
					ideas: report.ideas
				});
				await sql`savepoint import_row`.execute(trx);
				try {
					const row = mapping.row;
					if (row.kind === 'idea') {
						await importIdea(ctx, line, row);
					} else if (row.kind === 'vote') {
						await importVote(ctx, row);
					} else {
						await importComment(ctx, row);
					}
					await sql`release savepoint import_row`.execute(trx);
				} catch (error) {
					await sql`rollback to savepoint import_row`.execute(trx);
					// The row left nothing behind: neither in the database nor in the counts.
					report.created = before.created;
					report.alreadyImported = before.already;
					report.ideas = before.ideas;
					// A constraint the row breaks (a title too long, say) is that row's error too.
					const message =
						error instanceof RowError
							? error.message
							: m.admin_import_not_saved({
									detail: error instanceof Error ? error.message : String(error)
								});
					report.errors.push({ line, message });
				}
			}
			if (input.dryRun) {
				throw new DryRunRollback();
			}
			await recordAudit(trx, actor, {
				action: 'import.run',
				targetType: 'site',
				targetId: file.format,
				details: {
					format: file.format,
					variant: file.variant,
					rows: report.rows,
					created: report.created,
					errors: report.errors.length
				}
			});
		});
	} catch (error) {
		if (!(error instanceof DryRunRollback)) {
			throw error;
		}
	}
	return { ok: true, report };
}

export { IMPORT_FORMATS, importFormatLabel, type ImportFormat } from './formats';
