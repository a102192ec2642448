// One member's timeline: their entries in the activity ledger, newest first, each told in words
// with a link to the item. Staff see everything, marked when hidden or deleted; a member reading
// their own timeline never sees the content of someone else's removed post.
import { m } from '$lib/paraglide/messages';
import { sql, type SqlBool } from 'kysely';
import { postPath } from '$lib/domain/posts';
import type { Db } from '../db';
import { timestampKey } from '../db/keyset';

export type TimelineViewer = 'staff' | 'self';

export interface TimelineTarget {
	label: string;
	href: string | null;
	/** 'deleted', 'hidden', 'awaiting approval', 'internal note': said next to the link. */
	note: string | null;
}

export interface TimelineEntry {
	id: number;
	kind: string;
	at: Date;
	text: string;
	target: TimelineTarget | null;
}

export const TIMELINE_PAGE_SIZE = 30;

const WORDS: Record<string, () => string> = {
	idea_posted: m.staff_tl_idea_posted,
	vote_cast: m.staff_tl_vote_cast,
	vote_removed: m.staff_tl_vote_removed,
	comment_posted: m.staff_tl_comment_posted,
	review_posted: m.staff_tl_review_posted,
	review_updated: m.staff_tl_review_updated,
	helpful_received: m.staff_tl_helpful_received,
	helpful_withdrawn: m.staff_tl_helpful_withdrawn,
	thread_posted: m.staff_tl_thread_posted,
	reply_posted: m.staff_tl_reply_posted,
	answer_accepted: m.staff_tl_answer_accepted,
	poll_voted: m.staff_tl_poll_voted,
	like_given: m.staff_tl_like_given,
	like_removed: m.staff_tl_like_removed,
	status_changed: m.staff_tl_status_changed,
	idea_shipped: m.staff_tl_idea_shipped,
	idea_merged: m.staff_tl_idea_merged,
	changelog_published: m.staff_tl_changelog_published,
	flag_raised: m.staff_tl_flag_raised,
	survey_answered: m.staff_tl_survey_answered,
	referral_joined: m.staff_tl_referral_joined,
	challenge_won: m.staff_tl_challenge_won
};

/** "a review that was removed" / "a review": a post nobody may open, named only by its kind. */
function unnamedPost(kind: string, removed: boolean): string {
	const removedLabels: Record<string, () => string> = {
		idea: m.staff_tl_removed_idea,
		review: m.staff_tl_removed_review,
		discussion: m.staff_tl_removed_discussion
	};
	const labels: Record<string, () => string> = {
		idea: m.staff_tl_a_idea,
		review: m.staff_tl_a_review,
		discussion: m.staff_tl_a_discussion
	};
	const label = (removed ? removedLabels : labels)[kind];
	return label ? label() : removed ? `a ${kind} that was removed` : `a ${kind}`;
}

interface Row {
	id: number;
	kind: string;
	created_at: Date;
	data: Record<string, unknown>;
	post_id: number | null;
	post_kind: string | null;
	post_title: string | null;
	post_author_id: number | null;
	post_deleted_at: Date | null;
	post_visibility: string | null;
	comment_id: number | null;
	comment_deleted_at: Date | null;
	comment_visibility: string | null;
	comment_internal: boolean | null;
	referred_handle: string | null;
	referred_name: string | null;
}

function stateNote(deletedAt: Date | null, visibility: string | null): string | null {
	if (deletedAt) {
		return m.staff_tl_deleted();
	}
	if (visibility === 'hidden') {
		return m.staff_tl_hidden();
	}
	if (visibility === 'pending') {
		return m.staff_tl_pending();
	}
	return null;
}

function postTarget(row: Row, viewer: TimelineViewer, ownerId: number): TimelineTarget | null {
	if (row.post_id === null || row.post_kind === null) {
		return null;
	}
	const postNote = stateNote(row.post_deleted_at, row.post_visibility);
	const commentNote =
		row.comment_id !== null ? stateNote(row.comment_deleted_at, row.comment_visibility) : null;
	const internal = row.comment_internal === true;
	// A member sees their own removed posts as their author does; someone else's stays unnamed.
	if (viewer === 'self' && postNote && row.post_author_id !== ownerId) {
		return { label: unnamedPost(row.post_kind, true), href: null, note: null };
	}
	if (viewer === 'self' && internal) {
		return { label: unnamedPost(row.post_kind, false), href: null, note: null };
	}
	const path = postPath(row.post_kind, { id: row.post_id, title: row.post_title ?? '' });
	const notes = [
		postNote,
		commentNote ? m.staff_tl_reply_note({ note: commentNote }) : null,
		internal ? m.staff_tl_internal_note() : null
	].filter(Boolean);
	return {
		label: row.post_title ?? `#${row.post_id}`,
		href: row.comment_id !== null ? `${path}#comment-${row.comment_id}` : path,
		note: notes.length ? notes.join(', ') : null
	};
}

function describe(row: Row, viewer: TimelineViewer, ownerId: number): TimelineEntry {
	let text = WORDS[row.kind]?.() ?? row.kind.replaceAll('_', ' ');
	let target = postTarget(row, viewer, ownerId);
	if (row.kind === 'vote_cast' && row.data.recordedById != null) {
		text = m.staff_tl_recorded_vote();
	}
	if (row.kind === 'survey_answered') {
		const kind = row.data.kind === 'csat' ? 'CSAT' : 'NPS';
		text = m.staff_tl_survey_score({ kind, score: String(row.data.score) });
		target = null;
	}
	if (row.kind === 'referral_joined') {
		target = row.referred_handle
			? {
					label: `${row.referred_name} (@${row.referred_handle})`,
					href:
						viewer === 'staff'
							? `/staff/customers/${encodeURIComponent(row.referred_handle)}`
							: `/people/${encodeURIComponent(row.referred_handle)}`,
					note: null
				}
			: { label: m.staff_tl_account_deleted(), href: null, note: null };
	}
	return { id: row.id, kind: row.kind, at: row.created_at, text, target };
}

/** The member's ledger rows with what the entries tell about, newest first. */
function timelineQuery(db: Db, userId: number) {
	return (
		db
			.selectFrom('activity as a')
			.leftJoin('post as p', 'p.id', 'a.post_id')
			.leftJoin('comment as c', 'c.id', 'a.comment_id')
			// Joined on the key itself (not `r.id::text = …`), so each row is one primary-key lookup:
			// a cast on the column side scanned every account per ledger row (seconds for a busy member).
			.leftJoin('app_user as r', (join) =>
				join.on(
					'r.id',
					'=',
					sql<number>`case when a.kind = 'referral_joined' then (a.data ->> 'referredUserId')::bigint end`
				)
			)
			.select([
				'a.id',
				'a.kind',
				'a.created_at',
				timestampKey(sql<Date>`a.created_at`).as('at_key'),
				'a.data',
				'a.post_id',
				'p.kind as post_kind',
				'p.title as post_title',
				'p.author_id as post_author_id',
				'p.deleted_at as post_deleted_at',
				'p.visibility as post_visibility',
				'a.comment_id',
				'c.deleted_at as comment_deleted_at',
				'c.visibility as comment_visibility',
				'c.is_internal as comment_internal',
				'r.handle as referred_handle',
				'r.display_name as referred_name'
			])
			.where('a.user_id', '=', userId)
			.orderBy('a.created_at', 'desc')
			.orderBy('a.id', 'desc')
	);
}

/** One page (1-based) of the member's timeline, newest first. */
export async function timelineOf(
	db: Db,
	userId: number,
	options: { viewer: TimelineViewer; page?: number }
): Promise<{ entries: TimelineEntry[]; page: number; hasNext: boolean }> {
	const page = Math.max(1, Math.floor(options.page ?? 1));
	const rows = await timelineQuery(db, userId)
		.limit(TIMELINE_PAGE_SIZE + 1)
		.offset((page - 1) * TIMELINE_PAGE_SIZE)
		.execute();
	return {
		entries: rows
			.slice(0, TIMELINE_PAGE_SIZE)
			.map((row) => describe(row as Row, options.viewer, userId)),
		page,
		hasNext: rows.length > TIMELINE_PAGE_SIZE
	};
}

/** Where a slice of a timeline continues: the last entry's time (a `timestampKey`) and id. */
export interface TimelineKey {
	at: string;
	id: number;
}

/**
 * Up to `limit` entries of the timeline after `after`, newest first (keyset: the API's pages,
 * which acts recorded between two requests never shift).
 */
export async function timelineAfter(
	db: Db,
	userId: number,
	options: { viewer: TimelineViewer; after: TimelineKey | null; limit: number }
): Promise<(TimelineEntry & { position: TimelineKey })[]> {
	const { after } = options;
	const rows = await timelineQuery(db, userId)
		.$if(after !== null, (q) =>
			q.where(sql<SqlBool>`(a.created_at, a.id) < (${after!.at}::timestamptz, ${after!.id}::int)`)
		)
		.limit(options.limit)
		.execute();
	return rows.map((row) => ({
		...describe(row as Row, options.viewer, userId),
		position: { at: row.at_key!, id: row.id }
	}));
}
