// Private help threads: starting one, its messages, closing, sharing with the author's company,
// the member's list and the staff inbox. Nothing here writes to `post`, `comment`, `activity`,
// webhooks or search: a help thread is private, and those are public (docs/help.md).
import { sql } from 'kysely';
import { z } from 'zod';
import {
	HELP_BODY_MAX,
	HELP_SUBJECT_MAX,
	HELP_SUBJECT_MIN,
	type HelpConversionKind,
	type HelpEventKind,
	type HelpThreadStatus
} from '$lib/domain/help';
import type { Db } from '../db';
import { renderMarkdown } from '../markdown';
import {
	canCloseHelpThread,
	canReadHelpThread,
	canReplyToHelpThread,
	canShareHelpThread,
	canStartHelpThread,
	isOfficialVoice,
	type Actor,
	type HelpThreadFacts,
	type UserActor
} from '../policy';
import { notifyHelpReply } from './notify';
import { helpMessages as hm } from './messages';

const checkbox = z
	.string()
	.optional()
	.transform((v) => v === 'on' || v === 'true' || v === '1');

export const helpThreadSchema = z.object({
	subject: z
		.string({ error: () => hm.subjectMissing() })
		.trim()
		.min(1, { error: () => hm.subjectMissing() })
		.min(HELP_SUBJECT_MIN, { error: () => hm.subjectTooShort(HELP_SUBJECT_MIN) })
		.max(HELP_SUBJECT_MAX, { error: () => hm.subjectTooLong(HELP_SUBJECT_MAX) }),
	body: z
		.string({ error: () => hm.bodyMissing() })
		.trim()
		.min(1, { error: () => hm.bodyMissing() })
		.max(HELP_BODY_MAX, { error: () => hm.bodyTooLong(HELP_BODY_MAX) }),
	product: z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v === '') {
				return null;
			}
			if (!/^\d{1,15}$/.test(v)) {
				ctx.addIssue({ code: 'custom', message: hm.productUnknown() });
				return z.NEVER;
			}
			return Number(v);
		}),
	shared: checkbox
});
export const HELP_THREAD_FIELDS = ['subject', 'body', 'product', 'shared'] as const;
export type HelpThreadInput = z.output<typeof helpThreadSchema>;

export const helpMessageSchema = z.object({
	body: helpThreadSchema.shape.body
});
export const HELP_MESSAGE_FIELDS = ['body'] as const;

export type HelpFieldErrors = Partial<Record<string, string>>;

/** A thread's facts for the policy, with the company of the person asking. */
export interface HelpThreadRecord extends HelpThreadFacts {
	id: number;
	subject: string;
	proposedKind: HelpConversionKind | null;
	convertedPostId: number | null;
}

/**
 * Loads what the help rules need about a thread, as seen by `actor` (their company is read live).
 * `forUpdate` locks the thread's row so concurrent messages and closes apply one after another.
 */
export async function loadHelpThreadFacts(
	db: Db,
	threadId: number,
	actor: Actor,
	options: { forUpdate?: boolean } = {}
): Promise<HelpThreadRecord | undefined> {
	if (!Number.isSafeInteger(threadId) || threadId <= 0) {
		return undefined;
	}
	let query = db
		.selectFrom('help_thread as t')
		.innerJoin('app_user as a', 'a.id', 't.author_id')
		.select([
			't.id',
			't.subject',
			't.author_id',
			'a.company_id as author_company_id',
			't.shared_with_company',
			't.status',
			't.proposed_kind',
			't.converted_kind',
			't.converted_post_id'
		])
		.where('t.id', '=', threadId);
	if (options.forUpdate) {
		query = query.forUpdate('t');
	}
	const row = await query.executeTakeFirst();
	if (!row) {
		return undefined;
	}
	let viewerCompanyId: number | null = null;
	if (actor.kind === 'user') {
		const viewer = await db
			.selectFrom('app_user')
			.select('company_id')
			.where('id', '=', actor.id)
			.executeTakeFirst();
		viewerCompanyId = viewer?.company_id ?? null;
	}
	return {
		id: row.id,
		subject: row.subject,
		authorId: row.author_id,
		authorCompanyId: row.author_company_id,
		sharedWithCompany: row.shared_with_company,
		status: row.status,
		proposalPending: row.proposed_kind !== null && row.converted_kind === null,
		converted: row.converted_kind !== null,
		proposedKind: row.proposed_kind,
		convertedPostId: row.converted_post_id,
		viewerCompanyId
	};
}

/** The company of a member, or null (for the "share with my company" choice). */
export async function companyOf(
	db: Db,
	userId: number
): Promise<{ id: number; name: string } | null> {
	const row = await db
		.selectFrom('app_user as u')
		.innerJoin('company as c', 'c.id', 'u.company_id')
		.select(['c.id', 'c.name'])
		.where('u.id', '=', userId)
		.executeTakeFirst();
	return row ?? null;
}

async function recordHelpEvent(
	trx: Db,
	threadId: number,
	actorId: number,
	kind: HelpEventKind,
	data: Record<string, unknown> = {}
): Promise<void> {
	await trx
		.insertInto('help_event')
		.values({ thread_id: threadId, actor_id: actorId, kind, data: JSON.stringify(data) })
		.execute();
}

export type StartHelpThreadResult =
	| { ok: true; id: number }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'invalid'; errors: HelpFieldErrors };

/**
 * A member starts a private thread: the thread and its first message in one transaction. It is
 * shared with their company only if they asked and have one; nothing public is written.
 */
export async function startHelpThread(
	db: Db,
	actor: Actor,
	input: HelpThreadInput
): Promise<StartHelpThreadResult> {
	if (!canStartHelpThread(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<StartHelpThreadResult> => {
		if (input.product !== null) {
			const product = await trx
				.selectFrom('product')
				.select(['id', 'archived_at'])
				.where('id', '=', input.product)
				.executeTakeFirst();
			if (!product || product.archived_at !== null) {
				return { ok: false, reason: 'invalid', errors: { product: hm.productUnknown() } };
			}
		}
		const company = await trx
			.selectFrom('app_user')
			.select('company_id')
			.where('id', '=', actor.id)
			.executeTakeFirstOrThrow();
		const now = new Date();
		const thread = await trx
			.insertInto('help_thread')
			.values({
				author_id: actor.id,
				product_id: input.product,
				subject: input.subject,
				shared_with_company: input.shared && company.company_id !== null,
				status: 'open',
				waiting_since: now,
				message_count: 1,
				last_message_at: now,
				created_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.insertInto('help_message')
			.values({
				thread_id: thread.id,
				author_id: actor.id,
				body_source: input.body,
				body_html: renderMarkdown(input.body),
				is_official: isOfficialVoice(actor),
				created_at: now
			})
			.execute();
		return { ok: true, id: thread.id };
	});
}

export type HelpWriteResult =
	{ ok: true; status: HelpThreadStatus } | { ok: false; reason: 'not_found' | 'forbidden' };

/**
 * A message in a thread. Staff write officially and the thread becomes answered (its readers are
 * told); a message from the member's side waits for staff, reopening a closed thread.
 */
export async function postHelpMessage(
	db: Db,
	actor: Actor,
	threadId: number,
	body: string
): Promise<HelpWriteResult & { messageId?: number }> {
	return db.transaction().execute(async (trx) => {
		const facts = await loadHelpThreadFacts(trx, threadId, actor, { forUpdate: true });
		if (!facts || !canReadHelpThread(actor, facts)) {
			return { ok: false as const, reason: 'not_found' as const };
		}
		if (!canReplyToHelpThread(actor, facts)) {
			return { ok: false as const, reason: 'forbidden' as const };
		}
		const official = isOfficialVoice(actor);
		const now = new Date();
		const message = await trx
			.insertInto('help_message')
			.values({
				thread_id: threadId,
				author_id: actor.id,
				body_source: body,
				body_html: renderMarkdown(body),
				is_official: official,
				created_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const status: HelpThreadStatus = official ? 'answered' : 'open';
		await trx
			.updateTable('help_thread')
			.set({
				status,
				waiting_since: official ? null : sql<Date>`coalesce(waiting_since, ${now})`,
				message_count: sql<number>`message_count + 1`,
				last_message_at: now,
				...(facts.status === 'closed' ? { closed_at: null, closed_by_id: null } : {})
			})
			.where('id', '=', threadId)
			.execute();
		if (facts.status === 'closed') {
			await recordHelpEvent(trx, threadId, actor.id, 'reopened');
		}
		if (official) {
			await notifyHelpReply(trx, { threadId, actorId: actor.id, facts });
		}
		return { ok: true as const, status, messageId: message.id };
	});
}

/** The author or staff close a thread; a later message from the member's side reopens it. */
export async function closeHelpThread(
	db: Db,
	actor: Actor,
	threadId: number
): Promise<HelpWriteResult> {
	return db.transaction().execute(async (trx): Promise<HelpWriteResult> => {
		const facts = await loadHelpThreadFacts(trx, threadId, actor, { forUpdate: true });
		if (!facts || !canReadHelpThread(actor, facts)) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canCloseHelpThread(actor, facts)) {
			return { ok: false, reason: 'forbidden' };
		}
		await trx
			.updateTable('help_thread')
			.set({ status: 'closed', closed_at: new Date(), closed_by_id: actor.id, waiting_since: null })
			.where('id', '=', threadId)
			.execute();
		await recordHelpEvent(trx, threadId, actor.id, 'closed');
		return { ok: true, status: 'closed' };
	});
}

/** The author shares the thread with their company's members, or stops sharing it. */
export async function setHelpSharing(
	db: Db,
	actor: Actor,
	threadId: number,
	shared: boolean
): Promise<HelpWriteResult> {
	return db.transaction().execute(async (trx): Promise<HelpWriteResult> => {
		const facts = await loadHelpThreadFacts(trx, threadId, actor, { forUpdate: true });
		if (!facts || !canReadHelpThread(actor, facts)) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canShareHelpThread(actor, facts)) {
			return { ok: false, reason: 'forbidden' };
		}
		if (facts.sharedWithCompany !== shared) {
			await trx
				.updateTable('help_thread')
				.set({ shared_with_company: shared })
				.where('id', '=', threadId)
				.execute();
			await recordHelpEvent(trx, threadId, actor.id, shared ? 'shared' : 'unshared');
		}
		return { ok: true, status: facts.status };
	});
}

export interface HelpPerson {
	handle: string;
	displayName: string;
}

export interface HelpMessageView {
	id: number;
	author: HelpPerson | null;
	official: boolean;
	bodyHtml: string;
	createdAt: Date;
}

export interface HelpEventView {
	id: number;
	kind: HelpEventKind;
	actor: HelpPerson | null;
	data: Record<string, unknown>;
	createdAt: Date;
}

export interface HelpThreadView {
	id: number;
	subject: string;
	status: HelpThreadStatus;
	sharedWithCompany: boolean;
	createdAt: Date;
	author: HelpPerson & { id: number };
	company: { name: string; slug: string } | null;
	product: { name: string; slug: string } | null;
	messages: HelpMessageView[];
	events: HelpEventView[];
	proposal: { kind: HelpConversionKind; by: HelpPerson | null; at: Date } | null;
	converted: {
		kind: HelpConversionKind;
		postId: number | null;
		by: HelpPerson | null;
		at: Date;
	} | null;
}

function person(handle: string | null, displayName: string | null): HelpPerson | null {
	return handle !== null && displayName !== null ? { handle, displayName } : null;
}

/** A thread with its messages and history, for someone who may read it (check first). */
export async function getHelpThread(db: Db, threadId: number): Promise<HelpThreadView | null> {
	const row = await db
		.selectFrom('help_thread as t')
		.innerJoin('app_user as a', 'a.id', 't.author_id')
		.leftJoin('company as c', 'c.id', 'a.company_id')
		.leftJoin('product as p', 'p.id', 't.product_id')
		.leftJoin('app_user as pb', 'pb.id', 't.proposed_by_id')
		.leftJoin('app_user as cb', 'cb.id', 't.converted_by_id')
		.select([
			't.id',
			't.subject',
			't.status',
			't.shared_with_company',
			't.created_at',
			'a.id as author_id',
			'a.handle as author_handle',
			'a.display_name as author_name',
			'c.name as company_name',
			'c.slug as company_slug',
			'p.name as product_name',
			'p.slug as product_slug',
			't.proposed_kind',
			't.proposed_at',
			'pb.handle as proposed_by_handle',
			'pb.display_name as proposed_by_name',
			't.converted_kind',
			't.converted_at',
			't.converted_post_id',
			'cb.handle as converted_by_handle',
			'cb.display_name as converted_by_name'
		])
		.where('t.id', '=', threadId)
		.executeTakeFirst();
	if (!row) {
		return null;
	}
	const [messages, events] = await Promise.all([
		db
			.selectFrom('help_message as m')
			.leftJoin('app_user as u', 'u.id', 'm.author_id')
			.select([
				'm.id',
				'm.body_html',
				'm.is_official',
				'm.created_at',
				'u.handle',
				'u.display_name'
			])
			.where('m.thread_id', '=', threadId)
			.orderBy('m.id')
			.execute(),
		db
			.selectFrom('help_event as e')
			.leftJoin('app_user as u', 'u.id', 'e.actor_id')
			.select(['e.id', 'e.kind', 'e.data', 'e.created_at', 'u.handle', 'u.display_name'])
			.where('e.thread_id', '=', threadId)
			.orderBy('e.id')
			.execute()
	]);
	return {
		id: row.id,
		subject: row.subject,
		status: row.status,
		sharedWithCompany: row.shared_with_company,
		createdAt: row.created_at,
		author: { id: row.author_id, handle: row.author_handle, displayName: row.author_name },
		company:
			row.company_name !== null && row.company_slug !== null
				? { name: row.company_name, slug: row.company_slug }
				: null,
		product:
			row.product_name !== null && row.product_slug !== null
				? { name: row.product_name, slug: row.product_slug }
				: null,
		messages: messages.map((m) => ({
			id: m.id,
			author: person(m.handle, m.display_name),
			official: m.is_official,
			bodyHtml: m.body_html,
			createdAt: m.created_at
		})),
		events: events.map((e) => ({
			id: e.id,
			kind: e.kind,
			actor: person(e.handle, e.display_name),
			data: e.data ?? {},
			createdAt: e.created_at
		})),
		proposal:
			row.proposed_kind !== null && row.proposed_at !== null && row.converted_kind === null
				? {
						kind: row.proposed_kind,
						by: person(row.proposed_by_handle, row.proposed_by_name),
						at: row.proposed_at
					}
				: null,
		converted:
			row.converted_kind !== null && row.converted_at !== null
				? {
						kind: row.converted_kind,
						postId: row.converted_post_id,
						by: person(row.converted_by_handle, row.converted_by_name),
						at: row.converted_at
					}
				: null
	};
}

export interface HelpThreadSummary {
	id: number;
	subject: string;
	status: HelpThreadStatus;
	sharedWithCompany: boolean;
	mine: boolean;
	author: HelpPerson;
	messageCount: number;
	lastMessageAt: Date;
	converted: boolean;
}

/**
 * The threads a member may read in their list: their own, and their company colleagues' shared
 * ones (while both belong to the company). Latest activity first.
 */
export async function listHelpThreads(db: Db, actor: UserActor): Promise<HelpThreadSummary[]> {
	const viewer = await db
		.selectFrom('app_user')
		.select('company_id')
		.where('id', '=', actor.id)
		.executeTakeFirst();
	const companyId = viewer?.company_id ?? null;
	const rows = await db
		.selectFrom('help_thread as t')
		.innerJoin('app_user as a', 'a.id', 't.author_id')
		.select([
			't.id',
			't.subject',
			't.status',
			't.shared_with_company',
			't.author_id',
			'a.handle',
			'a.display_name',
			't.message_count',
			't.last_message_at',
			't.converted_kind'
		])
		.where((eb) =>
			companyId === null
				? eb('t.author_id', '=', actor.id)
				: eb.or([
						eb('t.author_id', '=', actor.id),
						eb.and([eb('t.shared_with_company', '=', true), eb('a.company_id', '=', companyId)])
					])
		)
		.orderBy('t.last_message_at', 'desc')
		.orderBy('t.id', 'desc')
		.limit(200)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		subject: r.subject,
		status: r.status,
		sharedWithCompany: r.shared_with_company,
		mine: r.author_id === actor.id,
		author: { handle: r.handle, displayName: r.display_name },
		messageCount: r.message_count,
		lastMessageAt: r.last_message_at,
		converted: r.converted_kind !== null
	}));
}

export interface HelpInboxRow {
	id: number;
	subject: string;
	status: HelpThreadStatus;
	member: HelpPerson;
	company: { name: string; slug: string } | null;
	product: string | null;
	messageCount: number;
	waitingSince: Date | null;
	lastMessageAt: Date;
	converted: boolean;
}

export const HELP_INBOX_PAGE_SIZE = 50;

/**
 * The staff inbox: threads of one status. Open ones oldest waiting first (the longest-waiting
 * member is answered first); answered and closed ones latest first.
 */
export async function helpInbox(
	db: Db,
	options: { status: HelpThreadStatus; page?: number }
): Promise<{ rows: HelpInboxRow[]; total: number; page: number; pages: number }> {
	const page = Math.max(1, options.page ?? 1);
	const counted = await db
		.selectFrom('help_thread')
		.select(sql<number>`count(*)`.as('n'))
		.where('status', '=', options.status)
		.executeTakeFirstOrThrow();
	let query = db
		.selectFrom('help_thread as t')
		.innerJoin('app_user as a', 'a.id', 't.author_id')
		.leftJoin('company as c', 'c.id', 'a.company_id')
		.leftJoin('product as p', 'p.id', 't.product_id')
		.select([
			't.id',
			't.subject',
			't.status',
			'a.handle',
			'a.display_name',
			'c.name as company_name',
			'c.slug as company_slug',
			'p.name as product_name',
			't.message_count',
			't.waiting_since',
			't.last_message_at',
			't.converted_kind'
		])
		.where('t.status', '=', options.status);
	query =
		options.status === 'open'
			? query.orderBy('t.waiting_since', 'asc').orderBy('t.id', 'asc')
			: query.orderBy('t.last_message_at', 'desc').orderBy('t.id', 'desc');
	const rows = await query
		.limit(HELP_INBOX_PAGE_SIZE)
		.offset((page - 1) * HELP_INBOX_PAGE_SIZE)
		.execute();
	return {
		rows: rows.map((r) => ({
			id: r.id,
			subject: r.subject,
			status: r.status,
			member: { handle: r.handle, displayName: r.display_name },
			company:
				r.company_name !== null && r.company_slug !== null
					? { name: r.company_name, slug: r.company_slug }
					: null,
			product: r.product_name,
			messageCount: r.message_count,
			waitingSince: r.waiting_since,
			lastMessageAt: r.last_message_at,
			converted: r.converted_kind !== null
		})),
		total: counted.n,
		page,
		pages: Math.max(1, Math.ceil(counted.n / HELP_INBOX_PAGE_SIZE))
	};
}

export { recordHelpEvent };
