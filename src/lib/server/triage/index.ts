// Staff triage: the inbox and bulk status changes, owners, staff-only notes, merging duplicates and
// votes recorded on a customer's behalf. Every write is one transaction with its audit entry.
import { createNotifications } from '../notifications';
import { sql } from 'kysely';
import { z } from 'zod';
import {
	COMMENT_MAX,
	IMPORTANCES,
	ideaPath,
	type Importance,
	type StatusCategory
} from '$lib/domain/ideas';
import type { Tier, TierThresholds } from '$lib/domain/tiers';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { recordAudit } from '../audit';
import { autoFollow } from '../follows';
import { formatNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import { loadIdeaFacts } from '../ideas/facts';
import { changeIdeaStatus, STATUS_MESSAGE_MAX } from '../ideas/status';
import { extractMentions, renderMarkdown } from '../markdown';
import { notifyCommentPosted } from '../notifications';
import {
	canAssignIdea,
	canChangeIdeaStatus,
	canMergeIdeas,
	canOwnIdeas,
	canTriage,
	canViewComment,
	canVoteOnBehalf,
	isVotingOpen,
	canWriteInternalNote,
	type Actor,
	type UserActor
} from '../policy';
import { addVote } from '../votes';
import { getTierThresholds } from '../moderation/settings';
import { tierCase } from './tier-sql';

// The inbox ------------------------------------------------------------------------------------

export const TRIAGE_VIEWS = ['untriaged', 'all', 'mine'] as const;
export type TriageView = (typeof TRIAGE_VIEWS)[number];
export const TRIAGE_PAGE_SIZE = 50;

export interface TriageFilters {
	view: TriageView;
	product?: string | null;
	tag?: string | null;
	status?: string | null;
	company?: string | null;
	tier?: Tier | null;
	page?: number;
	/** The admin's tier thresholds (read from the site settings when not given). */
	thresholds?: TierThresholds;
}

export interface TriageItem {
	id: number;
	title: string;
	path: string;
	createdAt: Date;
	product: string;
	status: { id: number; name: string; category: StatusCategory };
	author: { displayName: string; company: string | null };
	owner: string | null;
	voteCount: number;
	commentCount: number;
	triaged: boolean;
}

/**
 * The inbox: ideas staff have not triaged yet (in an Open-category status, never triaged), oldest
 * first so nobody waits longest; or every idea; or the viewer's own. Deleted, merged and
 * held/hidden ideas are not in it. Company and tier match an idea any of whose voters (the author
 * votes on posting) belongs to that company or to a company of that tier.
 */
export async function triageQueue(
	db: Db,
	actor: UserActor,
	filters: TriageFilters
): Promise<{ items: TriageItem[]; total: number }> {
	let query = db
		.selectFrom('post')
		.innerJoin('product', 'product.id', 'post.product_id')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.innerJoin('app_user as author', 'author.id', 'post.author_id')
		.leftJoin('company as author_company', 'author_company.id', 'author.company_id')
		.leftJoin('app_user as owner', 'owner.id', 'post.owner_id')
		.where('post.kind', '=', 'idea')
		.where('post.deleted_at', 'is', null)
		.where('post.merged_into_id', 'is', null)
		.where('post.visibility', '=', 'visible');
	if (filters.view === 'untriaged') {
		query = query.where('idea_status.category', '=', 'open').where('post.triaged_at', 'is', null);
	} else if (filters.view === 'mine') {
		query = query.where('post.owner_id', '=', actor.id);
	}
	if (filters.product) {
		query = query.where('product.slug', '=', filters.product);
	}
	if (filters.status) {
		query = query.where('idea_status.slug', '=', filters.status);
	}
	const tag = filters.tag;
	if (tag) {
		query = query.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('post_tag')
					.innerJoin('tag', 'tag.id', 'post_tag.tag_id')
					.select('post_tag.post_id')
					.whereRef('post_tag.post_id', '=', 'post.id')
					.where('tag.slug', '=', tag)
			)
		);
	}
	const company = filters.company;
	if (company) {
		query = query.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('vote')
					.innerJoin('app_user as voter', 'voter.id', 'vote.user_id')
					.innerJoin('company as c', 'c.id', 'voter.company_id')
					.select('vote.post_id')
					.whereRef('vote.post_id', '=', 'post.id')
					.where('c.slug', '=', company)
			)
		);
	}
	const tier = filters.tier;
	if (tier) {
		const thresholds = filters.thresholds ?? (await getTierThresholds(db));
		query = query.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('vote')
					.innerJoin('app_user as voter', 'voter.id', 'vote.user_id')
					.innerJoin('company as c', 'c.id', 'voter.company_id')
					.select('vote.post_id')
					.whereRef('vote.post_id', '=', 'post.id')
					.where(tierCase(sql<number>`c.mrr`, thresholds), '=', tier)
			)
		);
	}
	const page = Math.max(1, filters.page ?? 1);
	const [rows, count] = await Promise.all([
		query
			.select([
				'post.id',
				'post.title',
				'post.created_at',
				'post.vote_count',
				'post.comment_count',
				'post.triaged_at',
				'product.name as product_name',
				'idea_status.id as status_id',
				'idea_status.name as status_name',
				'idea_status.category as status_category',
				'author.display_name as author_name',
				'author_company.name as company_name',
				'owner.display_name as owner_name'
			])
			.orderBy('post.created_at')
			.orderBy('post.id')
			.limit(TRIAGE_PAGE_SIZE)
			.offset((page - 1) * TRIAGE_PAGE_SIZE)
			.execute(),
		query.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
	]);
	return {
		total: count.n,
		items: rows.map((r) => ({
			id: r.id,
			title: r.title,
			path: ideaPath(r),
			createdAt: r.created_at,
			product: r.product_name,
			status: { id: r.status_id, name: r.status_name, category: r.status_category },
			author: { displayName: r.author_name, company: r.company_name },
			owner: r.owner_name,
			voteCount: r.vote_count,
			commentCount: r.comment_count,
			triaged: r.triaged_at !== null
		}))
	};
}

/**
 * Companies for the inbox filter, by name, each with its tier under `thresholds` (the admin's,
 * from `tierThresholds(await getSiteSettings(db))`). With `slice`, in id order after `afterId`,
 * `limit` of them (the API's pages).
 */
export async function listCompanies(
	db: Db,
	options: {
		thresholds?: TierThresholds;
		slice?: { afterId: number | null; limit: number };
	} = {}
) {
	const { slice } = options;
	const thresholds = options.thresholds ?? (await getTierThresholds(db));
	return db
		.selectFrom('company')
		.select([
			'company.id',
			'company.name',
			'company.slug',
			'company.mrr',
			tierCase(sql<number>`company.mrr`, thresholds).as('tier')
		])
		.$if(slice === undefined, (q) => q.orderBy('company.name'))
		.$if(slice?.afterId != null, (q) => q.where('company.id', '>', slice!.afterId!))
		.$if(slice !== undefined, (q) => q.orderBy('company.id').limit(slice!.limit))
		.execute();
}

export const ideaIdsSchema = z
	.array(z.coerce.number().int().positive())
	.min(1, { error: () => m.staff_triage_select_one() })
	.max(TRIAGE_PAGE_SIZE, {
		error: () => m.staff_triage_select_at_most({ max: formatNumber(TRIAGE_PAGE_SIZE) })
	});

export const statusMessageSchema = z
	.string()
	.trim()
	.max(STATUS_MESSAGE_MAX, {
		error: () => m.staff_triage_message_too_long({ max: formatNumber(STATUS_MESSAGE_MAX) })
	})
	.optional()
	.transform((v) => (v ? v : null));

export const bulkStatusSchema = z.object({
	ids: ideaIdsSchema,
	status: z.coerce
		.number({ error: () => m.staff_triage_status_required() })
		.int()
		.positive({ error: () => m.staff_triage_status_required() }),
	message: statusMessageSchema
});
export type BulkStatusInput = z.output<typeof bulkStatusSchema>;

export type BulkResult =
	| { ok: true; changed: number; skipped: number }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'invalid'; errors: { status?: string; ids?: string } };

/**
 * Staff move one or more ideas to a status, with an optional public message their followers and
 * voters receive. All or nothing: one transaction. Ideas that were deleted or merged meanwhile,
 * or already have the status, are skipped and counted.
 */
export async function changeStatuses(
	db: Db,
	actor: Actor,
	input: BulkStatusInput
): Promise<BulkResult> {
	if (!canTriage(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const status = await db
		.selectFrom('idea_status')
		.select('id')
		.where('id', '=', input.status)
		.executeTakeFirst();
	if (!status) {
		return { ok: false, reason: 'invalid', errors: { status: m.staff_triage_status_unknown() } };
	}
	return db.transaction().execute(async (trx): Promise<BulkResult> => {
		let changed = 0;
		let skipped = 0;
		for (const id of [...new Set(input.ids)].sort((a, b) => a - b)) {
			const idea = await loadIdeaFacts(trx, id);
			if (!idea || !canChangeIdeaStatus(actor, idea)) {
				skipped += 1;
				continue;
			}
			const result = await changeIdeaStatus(trx, actor, {
				ideaId: id,
				statusId: status.id,
				message: input.message
			});
			if (result.changed) {
				changed += 1;
			} else {
				skipped += 1;
			}
		}
		return { ok: true, changed, skipped };
	});
}

/** Staff looked at these ideas and leave them where they are: they leave the inbox. */
export async function markTriaged(
	db: Db,
	actor: Actor,
	ids: number[]
): Promise<{ ok: true; changed: number } | { ok: false; reason: 'forbidden' }> {
	if (!canTriage(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx) => {
		const rows = await trx
			.updateTable('post')
			.set({ triaged_at: new Date() })
			.where('id', 'in', ids)
			.where('kind', '=', 'idea')
			.where('triaged_at', 'is', null)
			.returning('id')
			.execute();
		for (const row of rows) {
			await recordAudit(trx, actor, {
				action: 'idea.triaged',
				targetType: 'post',
				targetId: row.id
			});
		}
		return { ok: true as const, changed: rows.length };
	});
}

// Owners ---------------------------------------------------------------------------------------

/** Staff and admins: the people an idea can be assigned to. */
export async function listStaff(db: Db) {
	return db
		.selectFrom('app_user')
		.select(['id', 'handle', 'display_name as displayName'])
		.where('role', 'in', ['staff', 'admin'])
		.orderBy('display_name')
		.execute();
}

export type AssignResult =
	| { ok: true; changed: number; owner: string | null }
	| { ok: false; reason: 'forbidden' | 'not_found' }
	| { ok: false; reason: 'invalid'; errors: { owner?: string } };

/** Assigns ideas to a staff member, or to nobody (`ownerId` null). */
export async function assignOwner(
	db: Db,
	actor: Actor,
	input: { ids: number[]; ownerId: number | null }
): Promise<AssignResult> {
	if (!canTriage(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	let owner: { id: number; display_name: string; role: UserActor['role'] } | undefined;
	if (input.ownerId !== null) {
		owner = await db
			.selectFrom('app_user')
			.select(['id', 'display_name', 'role'])
			.where('id', '=', input.ownerId)
			.executeTakeFirst();
		if (!owner || !canOwnIdeas(owner)) {
			return {
				ok: false,
				reason: 'invalid',
				errors: { owner: m.staff_triage_owner_not_staff() }
			};
		}
	}
	return db.transaction().execute(async (trx): Promise<AssignResult> => {
		let changed = 0;
		for (const id of [...new Set(input.ids)]) {
			const idea = await loadIdeaFacts(trx, id);
			if (!idea || !canAssignIdea(actor, idea)) {
				if (input.ids.length === 1) {
					return { ok: false, reason: 'not_found' };
				}
				continue;
			}
			const updated = await trx
				.updateTable('post')
				.set({ owner_id: owner?.id ?? null })
				.where('id', '=', id)
				.where(sql<boolean>`owner_id is distinct from ${owner?.id ?? null}`)
				.returning('id')
				.executeTakeFirst();
			if (updated) {
				changed += 1;
				await recordAudit(trx, actor, {
					action: owner ? 'idea.assigned' : 'idea.unassigned',
					targetType: 'post',
					targetId: id,
					details: { owner: owner?.display_name ?? null, ownerId: owner?.id ?? null }
				});
			}
		}
		return { ok: true, changed, owner: owner?.display_name ?? null };
	});
}

// Internal notes -------------------------------------------------------------------------------

export const internalNoteSchema = z.object({
	body: z
		.string({ error: () => m.staff_note_empty() })
		.trim()
		.min(1, { error: () => m.staff_note_empty() })
		.max(COMMENT_MAX, { error: () => m.staff_note_too_long({ max: formatNumber(COMMENT_MAX) }) })
});

export type NoteResult =
	{ ok: true; id: number; path: string } | { ok: false; reason: 'forbidden' | 'not_found' };

/**
 * A staff-only note on an idea. It is a comment row with `is_internal`, so it never counts in
 * `comment_count`, never shows in the public thread, and its mentions notify only staff. It is not
 * a participation act (no ledger row); it is audit-logged.
 */
export async function postInternalNote(
	db: Db,
	actor: Actor,
	input: { postId: number; body: string }
): Promise<NoteResult> {
	return db.transaction().execute(async (trx): Promise<NoteResult> => {
		const idea = await loadIdeaFacts(trx, input.postId);
		if (!idea) {
			return { ok: false, reason: 'not_found' };
		}
		if (actor.kind !== 'user' || !canWriteInternalNote(actor, idea)) {
			return { ok: false, reason: 'forbidden' };
		}
		const note = await trx
			.insertInto('comment')
			.values({
				post_id: idea.id,
				author_id: actor.id,
				body_source: input.body,
				body_html: renderMarkdown(input.body),
				is_internal: true
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await notifyCommentPosted(trx, {
			postId: idea.id,
			commentId: note.id,
			actorId: actor.id,
			parentAuthorId: null,
			mentions: extractMentions(input.body),
			internal: true
		});
		await recordAudit(trx, actor, {
			action: 'idea.internal_note',
			targetType: 'post',
			targetId: idea.id,
			details: { commentId: note.id }
		});
		return { ok: true, id: note.id, path: `${ideaPath(idea)}#comment-${note.id}` };
	});
}

export interface InternalNote {
	id: number;
	author: string;
	bodyHtml: string;
	createdAt: Date;
}

/** The staff-only notes on an idea, oldest first; nothing for anyone who may not read them. */
export async function listInternalNotes(
	db: Db,
	actor: Actor,
	postId: number
): Promise<InternalNote[]> {
	if (!canViewComment(actor, { authorId: 0, internal: true, visibility: 'visible' })) {
		return [];
	}
	const rows = await db
		.selectFrom('comment')
		.innerJoin('app_user', 'app_user.id', 'comment.author_id')
		.select([
			'comment.id',
			'comment.author_id',
			'comment.body_html',
			'comment.created_at',
			'comment.visibility',
			'app_user.display_name'
		])
		.where('comment.post_id', '=', postId)
		.where('comment.is_internal', '=', true)
		.where('comment.deleted_at', 'is', null)
		.orderBy('comment.created_at')
		.orderBy('comment.id')
		.execute();
	return rows
		.filter((r) =>
			canViewComment(actor, { authorId: r.author_id, internal: true, visibility: r.visibility })
		)
		.map((r) => ({
			id: r.id,
			author: r.display_name,
			bodyHtml: r.body_html,
			createdAt: r.created_at
		}));
}

// Merging duplicates ---------------------------------------------------------------------------

export type MergeResult =
	| { ok: true; path: string; movedVotes: number; movedFollowers: number }
	| { ok: false; reason: 'forbidden' | 'not_found' }
	| { ok: false; reason: 'invalid'; error: string };

const IMPORTANCE_RANK = sql`array_position(array['nice','important','critical']::text[], vote.importance)`;

/**
 * Merges the duplicate `sourceId` into `targetId`: its votes move (a person who voted for both
 * is counted once, keeping the stronger importance), its followers follow the survivor (an
 * explicit unfollow of the survivor is kept), its comments stay on it, readable, and it points to
 * the survivor. The survivor's count is recounted from its rows. The source's voters are told.
 * Both rows are locked (lowest id first, so two merges cannot deadlock), so a vote in flight on
 * either waits, and then sees the merge.
 */
export async function mergeIdeas(
	db: Db,
	actor: Actor,
	input: { sourceId: number; targetId: number }
): Promise<MergeResult> {
	if (actor.kind !== 'user' || !canTriage(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	if (input.sourceId === input.targetId) {
		return { ok: false, reason: 'invalid', error: m.staff_merge_self() };
	}
	return db.transaction().execute(async (trx): Promise<MergeResult> => {
		const locked = await trx
			.selectFrom('post')
			.select('id')
			.where('id', 'in', [input.sourceId, input.targetId])
			.where('kind', '=', 'idea')
			.orderBy('id')
			.forNoKeyUpdate()
			.execute();
		const facts = await trx
			.selectFrom('post')
			.select(['id', 'title', 'product_id', 'deleted_at', 'merged_into_id'])
			.where('id', 'in', [input.sourceId, input.targetId])
			.where('kind', '=', 'idea')
			.execute();
		const source = facts.find((f) => f.id === input.sourceId);
		const target = facts.find((f) => f.id === input.targetId);
		if (locked.length !== 2 || !source || !target) {
			return source
				? {
						ok: false,
						reason: 'invalid',
						error: m.staff_merge_no_target()
					}
				: { ok: false, reason: 'not_found' };
		}
		const sourceFacts = {
			id: source.id,
			deleted: source.deleted_at !== null,
			mergedIntoId: source.merged_into_id
		};
		const targetFacts = {
			id: target.id,
			deleted: target.deleted_at !== null,
			mergedIntoId: target.merged_into_id
		};
		if (!canMergeIdeas(actor, sourceFacts, targetFacts)) {
			const error =
				sourceFacts.mergedIntoId !== null
					? m.staff_merge_already_merged()
					: sourceFacts.deleted
						? m.staff_merge_source_deleted()
						: targetFacts.deleted
							? m.staff_merge_target_deleted()
							: m.staff_merge_target_merged();
			return { ok: false, reason: 'invalid', error };
		}

		const sourceVoters = await trx
			.selectFrom('vote')
			.select('user_id')
			.where('post_id', '=', source.id)
			.execute();
		// Each person once on the survivor; the stronger importance wins.
		await sql`
			insert into vote (post_id, user_id, importance, recorded_by_id, created_at)
			select ${target.id}, user_id, importance, recorded_by_id, created_at
			from vote where post_id = ${source.id}
			on conflict (post_id, user_id) do update set importance = case
				when coalesce(array_position(array['nice','important','critical']::text[], excluded.importance), 0)
					> coalesce(${IMPORTANCE_RANK}, 0)
				then excluded.importance else vote.importance end`.execute(trx);
		await trx.deleteFrom('vote').where('post_id', '=', source.id).execute();
		const followers = await sql<{ user_id: number }>`
			insert into subscription (user_id, post_id, following)
			select user_id, ${target.id}, true from subscription
			where post_id = ${source.id} and following
			on conflict (user_id, post_id) do nothing
			returning user_id`.execute(trx);
		// Counts from the rows, in the same transaction: exact whatever raced before the lock.
		for (const id of [source.id, target.id]) {
			await trx
				.updateTable('post')
				.set({
					vote_count: sql`(select count(*) from vote where vote.post_id = post.id)`,
					hot_score: sql`log(greatest((select count(*) from vote where vote.post_id = post.id), 1)) + (extract(epoch from created_at) - 1700000000) / 45000`
				})
				.where('id', '=', id)
				.execute();
		}
		await trx
			.updateTable('post')
			.set({ merged_into_id: target.id, triaged_at: sql`coalesce(triaged_at, now())` })
			.where('id', '=', source.id)
			.execute();
		await trx
			.updateTable('post')
			.set({ last_activity_at: new Date() })
			.where('id', '=', target.id)
			.execute();

		const into = { id: target.id, title: target.title, path: ideaPath(target) };
		const recipients = sourceVoters.map((v) => v.user_id).filter((id) => id !== actor.id);
		await createNotifications(
			trx,
			recipients.map((userId) => ({
				userId,
				kind: 'idea_merged' as const,
				postId: source.id,
				commentId: null,
				actorId: actor.id,
				data: { into }
			}))
		);
		await recordActivity(trx, {
			userId: actor.id,
			kind: 'idea_merged',
			postId: source.id,
			productId: source.product_id,
			data: { into: target.id }
		});
		await recordAudit(trx, actor, {
			action: 'idea.merged',
			targetType: 'post',
			targetId: source.id,
			details: {
				into: target.id,
				title: source.title,
				intoTitle: target.title,
				movedVotes: sourceVoters.length,
				movedFollowers: followers.rows.length
			}
		});
		return {
			ok: true,
			path: ideaPath(target),
			movedVotes: sourceVoters.length,
			movedFollowers: followers.rows.length
		};
	});
}

/** Ideas merged into this one, for its page. */
export async function listMergedInto(db: Db, postId: number) {
	const rows = await db
		.selectFrom('post')
		.select(['id', 'title'])
		.where('merged_into_id', '=', postId)
		.where('deleted_at', 'is', null)
		.orderBy('id')
		.execute();
	return rows.map((r) => ({ id: r.id, title: r.title, path: ideaPath(r) }));
}

// Votes on a customer's behalf -----------------------------------------------------------------

export const behalfVoteSchema = z.object({
	member: z.coerce
		.number({ error: () => m.staff_behalf_member_required() })
		.int()
		.positive({ error: () => m.staff_behalf_member_required() }),
	importance: z
		.union([z.literal('').transform(() => null), z.enum(IMPORTANCES)], {
			error: () => m.staff_behalf_importance()
		})
		.optional()
		.transform((v) => v ?? null)
});

export type BehalfResult =
	| { ok: true; changed: boolean; member: string }
	| { ok: false; reason: 'forbidden' | 'not_found' }
	| { ok: false; reason: 'invalid'; error: string };

/**
 * Staff record a member's vote (from a sales call, say). It is the member's vote like any other
 * (their follow, their ledger row), with `recorded_by_id` saying who recorded it. A member who
 * already voted keeps their vote as it is.
 */
export async function voteOnBehalf(
	db: Db,
	actor: Actor,
	input: { postId: number; memberId: number; importance: Importance | null }
): Promise<BehalfResult> {
	if (actor.kind !== 'user' || !canTriage(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<BehalfResult> => {
		await trx
			.selectFrom('post')
			.select('id')
			.where('id', '=', input.postId)
			.forNoKeyUpdate()
			.executeTakeFirst();
		const idea = await loadIdeaFacts(trx, input.postId);
		if (!idea || idea.deleted) {
			return { ok: false, reason: 'not_found' };
		}
		const member = await trx
			.selectFrom('app_user')
			.select(['id', 'handle', 'display_name', 'email', 'role', 'suspended_until'])
			.where('id', '=', input.memberId)
			.executeTakeFirst();
		if (!member) {
			return { ok: false, reason: 'invalid', error: m.staff_behalf_no_member() };
		}
		const memberActor: UserActor = {
			kind: 'user',
			id: member.id,
			handle: member.handle,
			displayName: member.display_name,
			email: member.email,
			role: member.role,
			suspendedUntil: member.suspended_until
		};
		if (!canVoteOnBehalf(actor, idea, memberActor)) {
			return {
				ok: false,
				reason: 'invalid',
				error: !isVotingOpen(idea)
					? idea.challenge !== null && isVotingOpen({ ...idea, challenge: null })
						? m.staff_behalf_challenge_closed()
						: m.staff_behalf_closed()
					: m.staff_behalf_suspended({ name: member.display_name })
			};
		}
		const changed = await addVote(trx, {
			postId: idea.id,
			userId: member.id,
			importance: input.importance,
			recordedById: actor.id
		});
		if (changed) {
			await autoFollow(trx, member.id, idea.id);
			await recordActivity(trx, {
				userId: member.id,
				kind: 'vote_cast',
				postId: idea.id,
				productId: idea.productId,
				data: { importance: input.importance, recordedById: actor.id }
			});
			await recordAudit(trx, actor, {
				action: 'vote.recorded_on_behalf',
				targetType: 'post',
				targetId: idea.id,
				details: { memberId: member.id, member: member.handle, importance: input.importance }
			});
		}
		return { ok: true, changed, member: member.display_name };
	});
}

/** People whose handle, email or name starts with / contains the query, for the behalf picker. */
export async function findMembers(db: Db, query: string) {
	const q = query.trim().toLowerCase().slice(0, 100);
	if (q.length < 2) {
		return [];
	}
	const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
	return db
		.selectFrom('app_user')
		.leftJoin('company', 'company.id', 'app_user.company_id')
		.select([
			'app_user.id',
			'app_user.handle',
			'app_user.display_name as displayName',
			'app_user.email',
			'company.name as company'
		])
		.where((eb) =>
			eb.or([
				eb(sql`lower(app_user.handle)`, 'like', like),
				eb('app_user.email', 'like', like),
				eb(sql`lower(app_user.display_name)`, 'like', like)
			])
		)
		.orderBy('app_user.handle')
		.limit(10)
		.execute();
}

/** Votes staff recorded for customers on this idea, with who recorded them (staff only). */
export async function listRecordedVotes(db: Db, postId: number) {
	return db
		.selectFrom('vote')
		.innerJoin('app_user as member', 'member.id', 'vote.user_id')
		.innerJoin('app_user as recorder', 'recorder.id', 'vote.recorded_by_id')
		.select([
			'member.display_name as member',
			'member.handle as memberHandle',
			'recorder.display_name as recordedBy',
			'vote.importance',
			'vote.created_at as createdAt'
		])
		.where('vote.post_id', '=', postId)
		.orderBy('vote.created_at', 'desc')
		.execute();
}
