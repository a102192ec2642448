// A member's own data as JSON (the "download your data" of /settings): everything they wrote or
// did, and what the site derived for them in public (points, badges). Nothing staff-only leaves
// here: no tier, company value, advocacy score, internal notes or anyone else's email.
import type { Db } from '../db';
import { ownHelpThreads } from '../help/export';
import { ownTestimonials } from '../testimonials';
import { memberPoints } from './points';
import { referralSummary } from './referrals';

export interface OwnDataExport {
	exportedAt: string;
	profile: Record<string, unknown>;
	ideas: Record<string, unknown>[];
	comments: Record<string, unknown>[];
	votes: Record<string, unknown>[];
	reviews: Record<string, unknown>[];
	discussions: Record<string, unknown>[];
	replies: Record<string, unknown>[];
	helpThreads: Record<string, unknown>[];
	surveyAnswers: Record<string, unknown>[];
	notifications: Record<string, unknown>[];
	emailPreferences: Record<string, unknown>[];
	referrals: Record<string, unknown>;
	points: Record<string, unknown>;
	badges: Record<string, unknown>[];
	testimonials: Record<string, unknown>[];
}

async function ownPosts(db: Db, userId: number, kind: 'idea' | 'review' | 'discussion') {
	const rows = await db
		.selectFrom('post as p')
		.leftJoin('review as r', 'r.post_id', 'p.id')
		.leftJoin('product as pr', 'pr.id', 'p.product_id')
		.select([
			'p.id',
			'p.title',
			'p.body_source',
			'p.created_at',
			'p.edited_at',
			'p.deleted_at',
			'p.visibility',
			'r.rating',
			'pr.name as product'
		])
		.where('p.author_id', '=', userId)
		.where('p.kind', '=', kind)
		.orderBy('p.created_at')
		.orderBy('p.id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		body: r.body_source,
		...(kind === 'review' ? { rating: r.rating } : {}),
		product: r.product,
		createdAt: r.created_at,
		editedAt: r.edited_at,
		deletedAt: r.deleted_at,
		visibility: r.visibility
	}));
}

/** The member's comments (on ideas and reviews) or replies (in discussions); never internal notes. */
async function ownComments(db: Db, userId: number, inDiscussions: boolean) {
	const rows = await db
		.selectFrom('comment as c')
		.innerJoin('post as p', 'p.id', 'c.post_id')
		.select([
			'c.id',
			'c.post_id',
			'p.kind as post_kind',
			'c.parent_id',
			'c.body_source',
			'c.created_at',
			'c.edited_at',
			'c.deleted_at',
			'c.visibility'
		])
		.where('c.author_id', '=', userId)
		.where('c.is_internal', '=', false)
		.where('p.kind', inDiscussions ? '=' : '<>', 'discussion')
		.orderBy('c.created_at')
		.orderBy('c.id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		postId: r.post_id,
		...(inDiscussions ? {} : { on: r.post_kind }),
		parentId: r.parent_id,
		body: r.body_source,
		createdAt: r.created_at,
		editedAt: r.edited_at,
		deletedAt: r.deleted_at,
		visibility: r.visibility
	}));
}

export async function exportOwnData(db: Db, userId: number): Promise<OwnDataExport> {
	const user = await db
		.selectFrom('app_user')
		.select([
			'handle',
			'display_name',
			'email',
			'created_at',
			'email_verified_at',
			'leaderboard_opt_out'
		])
		.where('id', '=', userId)
		.executeTakeFirstOrThrow();
	const [ideas, reviews, discussions, comments, replies] = await Promise.all([
		ownPosts(db, userId, 'idea'),
		ownPosts(db, userId, 'review'),
		ownPosts(db, userId, 'discussion'),
		ownComments(db, userId, false),
		ownComments(db, userId, true)
	]);
	// Votes: a post the member may no longer see (removed) is named by id only.
	const votes = await db
		.selectFrom('vote as v')
		.innerJoin('post as p', 'p.id', 'v.post_id')
		.select([
			'v.post_id',
			'p.kind',
			'p.title',
			'p.author_id',
			'p.deleted_at',
			'p.visibility',
			'v.importance',
			'v.created_at'
		])
		.where('v.user_id', '=', userId)
		.orderBy('v.created_at')
		.execute();
	const surveyAnswers = await db
		.selectFrom('survey_response')
		.select(['kind', 'score', 'reason', 'post_id', 'created_at'])
		.where('user_id', '=', userId)
		.orderBy('created_at')
		.execute();
	const notifications = await db
		.selectFrom('notification')
		.select(['kind', 'post_id', 'comment_id', 'created_at', 'read_at', 'emailed_at'])
		.where('user_id', '=', userId)
		.orderBy('created_at')
		.execute();
	const emailPreferences = await db
		.selectFrom('email_preference')
		.select(['event', 'enabled', 'updated_at'])
		.where('user_id', '=', userId)
		.orderBy('event')
		.execute();
	const [referrals, points, helpThreads, testimonials] = await Promise.all([
		referralSummary(db, userId),
		memberPoints(db, userId),
		ownHelpThreads(db, userId),
		ownTestimonials(db, userId)
	]);
	return {
		exportedAt: new Date().toISOString(),
		profile: {
			handle: user.handle,
			displayName: user.display_name,
			email: user.email,
			emailVerifiedAt: user.email_verified_at,
			joinedAt: user.created_at,
			leaderboardOptOut: user.leaderboard_opt_out
		},
		ideas,
		comments,
		votes: votes.map((v) => {
			const open = v.author_id === userId || (v.deleted_at === null && v.visibility === 'visible');
			return {
				postId: v.post_id,
				on: v.kind,
				title: open ? v.title : null,
				importance: v.importance,
				createdAt: v.created_at
			};
		}),
		reviews,
		discussions,
		replies,
		helpThreads,
		surveyAnswers: surveyAnswers.map((s) => ({
			kind: s.kind,
			score: s.score,
			reason: s.reason,
			postId: s.post_id,
			answeredAt: s.created_at
		})),
		notifications: notifications.map((n) => ({
			kind: n.kind,
			postId: n.post_id,
			commentId: n.comment_id,
			createdAt: n.created_at,
			readAt: n.read_at,
			emailedAt: n.emailed_at
		})),
		emailPreferences: emailPreferences.map((p) => ({
			event: p.event,
			enabled: p.enabled,
			updatedAt: p.updated_at
		})),
		referrals: {
			link: referrals.path,
			joined: referrals.joined.map((j) => ({
				handle: j.handle,
				displayName: j.displayName,
				joinedAt: j.joinedAt
			}))
		},
		points: {
			allTime: points.allTime.score,
			thisMonth: points.thisMonth.score,
			breakdown: points.allTime.breakdown.map((l) => ({
				what: l.label,
				count: l.count,
				pointsEach: l.weight,
				points: l.points
			}))
		},
		badges: points.badges.map((b) => ({ name: b.name, criterion: b.criterion })),
		// Their testimonials with the consent record; not why staff asked (their NPS or rating).
		testimonials: testimonials.map((t) => ({
			status: t.status,
			invitedAt: t.invitedAt,
			invitedBy: t.invitedBy,
			invitationMessage: t.message,
			body: t.body,
			product: t.product,
			submittedAt: t.submittedAt,
			consentGivenAt: t.consentAt,
			consentVersion: t.consentVersion,
			consentText: t.consentText,
			consentWithdrawnAt: t.consentWithdrawnAt,
			publishedAt: t.publishedAt
		}))
	};
}
