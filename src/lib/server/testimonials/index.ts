// Testimonials: who staff may ask (promoters and happy reviewers), inviting them, the member
// writing a quote and consenting to its publication, staff publishing it, the member withdrawing
// consent, and the published list for the public page and the JSON feed. Every write is load →
// authorize → validate → execute, in one transaction.
import { sql } from 'kysely';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import {
	consentStanding,
	daysBefore,
	invitationReason,
	mergeCandidates,
	publishBlock,
	TESTIMONIAL_BODY_MAX,
	TESTIMONIAL_BODY_MIN,
	TESTIMONIAL_CONSENT_VERSION,
	TESTIMONIAL_MESSAGE_MAX,
	TESTIMONIAL_PROMOTER_MIN,
	TESTIMONIAL_RATING_MIN,
	TESTIMONIAL_REASON_WINDOW_DAYS,
	TESTIMONIAL_REINVITE_DAYS,
	testimonialInvitationPath,
	type PublishBlock,
	type ReviewReason,
	type TestimonialCandidate,
	type TestimonialStatus
} from '$lib/domain/testimonials';
import { formatNumber } from '$lib/i18n/format';
import { config } from '../config';
import type { Db } from '../db';
import { recordAudit } from '../audit';
import { htmlToText } from '../email/render';
import { renderMarkdown } from '../markdown';
import { createNotifications } from '../notifications';
import {
	canBeAskedForTestimonial,
	canManageTestimonials,
	canPublishTestimonial,
	canUnpublishTestimonial,
	canViewTestimonialInvitation,
	canWithdrawTestimonialConsent,
	canWriteTestimonial,
	type Actor
} from '../policy';
import { latestNpsScores } from '../surveys/nps';

// Who may be asked -------------------------------------------------------------------------------

/**
 * People staff may ask for a testimonial, with the reasons: a latest NPS answer of 9–10 or a
 * 4–5 star review (live and visible) within the last year; customers only, not suspended, and
 * not invited in the last 180 days nor with a testimonial written.
 */
export async function testimonialCandidates(
	db: Db,
	options: { now?: Date; userIds?: readonly number[]; limit?: number } = {}
): Promise<TestimonialCandidate[]> {
	const now = options.now ?? new Date();
	const from = daysBefore(now, TESTIMONIAL_REASON_WINDOW_DAYS);
	const nps = (await latestNpsScores(db, { from, userIds: options.userIds })).filter(
		(a) => a.score >= TESTIMONIAL_PROMOTER_MIN
	);
	let reviewQuery = db
		.selectFrom('post as p')
		.innerJoin('review as r', 'r.post_id', 'p.id')
		.leftJoin('product as pr', 'pr.id', 'p.product_id')
		.select([
			'p.id',
			'p.author_id',
			'p.title',
			'r.rating',
			'p.created_at',
			'p.edited_at',
			'pr.name as product_name',
			'pr.slug as product_slug'
		])
		.where('p.kind', '=', 'review')
		.where('p.deleted_at', 'is', null)
		.where('p.visibility', '=', 'visible')
		.where('r.rating', '>=', TESTIMONIAL_RATING_MIN)
		.where(sql<Date>`coalesce(p.edited_at, p.created_at)`, '>=', from);
	if (options.userIds) {
		if (options.userIds.length === 0) {
			return [];
		}
		reviewQuery = reviewQuery.where('p.author_id', 'in', options.userIds);
	}
	const reviewRows = await reviewQuery.execute();
	const reviews: ReviewReason[] = reviewRows.map((r) => ({
		postId: r.id,
		authorId: r.author_id,
		title: r.title,
		rating: r.rating,
		product:
			r.product_name !== null && r.product_slug !== null
				? { name: r.product_name, slug: r.product_slug }
				: null,
		at: r.edited_at ?? r.created_at
	}));
	const ids = [...new Set([...nps.map((a) => a.userId), ...reviews.map((r) => r.authorId)])];
	if (ids.length === 0) {
		return [];
	}
	const [people, excluded] = await Promise.all([
		db
			.selectFrom('app_user as u')
			.leftJoin('company as c', 'c.id', 'u.company_id')
			.select(['u.id', 'u.handle', 'u.display_name', 'u.role', 'u.suspended_until', 'c.name'])
			.where('u.id', 'in', ids)
			.execute(),
		db
			.selectFrom('testimonial')
			.select('user_id')
			.distinct()
			.where('user_id', 'in', ids)
			.where((eb) =>
				eb.or([
					eb('status', '<>', 'invited'),
					eb('invited_at', '>=', daysBefore(now, TESTIMONIAL_REINVITE_DAYS))
				])
			)
			.execute()
	]);
	const candidates = mergeCandidates({
		people: people.map((p) => ({
			id: p.id,
			handle: p.handle,
			displayName: p.display_name,
			company: p.name,
			askable: canBeAskedForTestimonial({ role: p.role, suspendedUntil: p.suspended_until }, now)
		})),
		latestNps: nps,
		reviews,
		excludedUserIds: new Set(excluded.map((e) => e.user_id))
	});
	return options.limit === undefined ? candidates : candidates.slice(0, options.limit);
}

// Inviting ---------------------------------------------------------------------------------------

export const inviteSchema = z.object({
	member: z
		.string({ error: () => m.testimonials_error_choose_member() })
		.regex(/^\d{1,15}$/, { error: () => m.testimonials_error_choose_member() })
		.transform(Number),
	message: z
		.string()
		.optional()
		.transform((v) => (v ?? '').trim())
		.pipe(
			z.string().max(TESTIMONIAL_MESSAGE_MAX, {
				error: () =>
					m.testimonials_error_message_too_long({ max: formatNumber(TESTIMONIAL_MESSAGE_MAX) })
			})
		)
});
export const INVITE_FIELDS = ['member', 'message'] as const;
export type InviteInput = z.output<typeof inviteSchema>;

export type InviteResult =
	{ ok: true; id: number } | { ok: false; reason: 'forbidden' | 'not_eligible' };

/**
 * Staff invite one person who may be asked (checked again here, under a lock on the person, so
 * two staff clicking at once make one invitation). The member gets a notification, and an email
 * if their preferences allow (the mailer decides when it runs).
 */
export async function inviteToTestimonial(
	db: Db,
	actor: Actor,
	input: InviteInput,
	now = new Date()
): Promise<InviteResult> {
	if (!canManageTestimonials(actor, now)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<InviteResult> => {
		await trx
			.selectFrom('app_user')
			.select('id')
			.where('id', '=', input.member)
			.forUpdate()
			.executeTakeFirst();
		const [candidate] = await testimonialCandidates(trx, { now, userIds: [input.member] });
		const reason = candidate ? invitationReason(candidate) : null;
		if (!candidate || !reason) {
			return { ok: false, reason: 'not_eligible' };
		}
		const message = input.message === '' ? null : input.message;
		const row = await trx
			.insertInto('testimonial')
			.values({
				user_id: candidate.userId,
				invited_by_id: actor.id,
				invited_at: now,
				updated_at: now,
				invitation_message: message,
				reason_kind: reason.kind,
				reason_score: reason.score,
				reason_post_id: reason.postId
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await createNotifications(trx, [
			{
				userId: candidate.userId,
				kind: 'testimonial_invitation',
				postId: null,
				commentId: null,
				actorId: actor.id,
				data: { testimonialId: row.id, path: testimonialInvitationPath(row.id), message }
			}
		]);
		await recordAudit(trx, actor, {
			action: 'testimonial.invite',
			targetType: 'testimonial',
			targetId: row.id,
			details: { userId: candidate.userId, reason: reason.kind, score: reason.score }
		});
		return { ok: true, id: row.id };
	});
}

// The member's side ------------------------------------------------------------------------------

/**
 * The consent wording, exactly as shown beside the checkbox and recorded with the consent, in the
 * request's language (the member's).
 */
export function consentWording(shown: {
	siteName: string;
	name: string;
	company: string | null;
}): string {
	return shown.company
		? m.testimonials_consent_wording_company({
				site: shown.siteName,
				name: shown.name,
				company: shown.company
			})
		: m.testimonials_consent_wording({ site: shown.siteName, name: shown.name });
}

export interface InvitationView {
	id: number;
	status: TestimonialStatus;
	invitedAt: Date;
	invitedBy: string | null;
	message: string | null;
	body: string;
	productId: number | null;
	productName: string | null;
	consent: { at: Date; version: string; text: string } | null;
	consentStanding: boolean;
	withdrawnAt: Date | null;
	publishedAt: Date | null;
	/** The wording the member would agree to now, with their current name and company. */
	consentWording: string;
	consentVersion: string;
}

type Loaded = Awaited<ReturnType<typeof loadTestimonial>>;

async function loadTestimonial(db: Db, id: number, lock = false) {
	let query = db
		.selectFrom('testimonial as t')
		.innerJoin('app_user as u', 'u.id', 't.user_id')
		.leftJoin('company as c', 'c.id', 'u.company_id')
		.leftJoin('app_user as inviter', 'inviter.id', 't.invited_by_id')
		.leftJoin('product as pr', 'pr.id', 't.product_id')
		.selectAll('t')
		.select([
			'u.display_name as member_name',
			'c.name as member_company',
			'inviter.display_name as inviter_name',
			'pr.name as product_name'
		])
		.where('t.id', '=', id);
	if (lock) {
		query = query.forUpdate('t');
	}
	return query.executeTakeFirst();
}

function facts(row: NonNullable<Loaded>) {
	return {
		userId: row.user_id,
		status: row.status,
		consentStanding: consentStanding({
			consentAt: row.consent_at,
			consentVersion: row.consent_version,
			withdrawnAt: row.consent_withdrawn_at
		})
	};
}

/** The invitation as its member sees it; null for anyone else (the route answers 404). */
export async function getInvitation(
	db: Db,
	actor: Actor,
	id: number
): Promise<InvitationView | null> {
	const row = await loadTestimonial(db, id);
	if (!row || !canViewTestimonialInvitation(actor, { userId: row.user_id })) {
		return null;
	}
	return {
		id: row.id,
		status: row.status,
		invitedAt: row.invited_at,
		invitedBy: row.inviter_name,
		message: row.invitation_message,
		body: row.body_source ?? '',
		productId: row.product_id,
		productName: row.product_name,
		consent:
			row.consent_at && row.consent_version && row.consent_text
				? { at: row.consent_at, version: row.consent_version, text: row.consent_text }
				: null,
		consentStanding: facts(row).consentStanding,
		withdrawnAt: row.consent_withdrawn_at,
		publishedAt: row.published_at,
		consentWording: consentWording({
			siteName: config().SITE_NAME,
			name: row.member_name,
			company: row.member_company
		}),
		consentVersion: TESTIMONIAL_CONSENT_VERSION
	};
}

const bodyLength = () =>
	m.testimonials_error_body_length({
		min: formatNumber(TESTIMONIAL_BODY_MIN),
		max: formatNumber(TESTIMONIAL_BODY_MAX)
	});

export const testimonialSchema = z.object({
	body: z
		.string({ error: bodyLength })
		.trim()
		.min(TESTIMONIAL_BODY_MIN, { error: bodyLength })
		.max(TESTIMONIAL_BODY_MAX, { error: bodyLength }),
	product: z
		.union([z.literal(''), z.string().regex(/^\d{1,15}$/)], {
			error: () => m.testimonials_error_product()
		})
		.optional()
		.transform((v) => (v ? Number(v) : null)),
	consent: z
		.union([z.literal('yes'), z.literal('')], {
			error: () => m.testimonials_error_form_unreadable()
		})
		.optional()
		.transform((v) => v === 'yes'),
	consent_version: z.string().max(40).optional()
});
export const TESTIMONIAL_FIELDS = ['body', 'product', 'consent', 'consent_version'] as const;
export type TestimonialInput = z.output<typeof testimonialSchema>;

export type WriteTestimonialResult =
	| { ok: true; status: TestimonialStatus }
	| {
			ok: false;
			reason: 'not_found' | 'forbidden' | 'no_product' | 'consent_outdated';
	  };

/**
 * The member writes (or edits) their testimonial. Ticking the consent box records consent to the
 * wording shown, with their current name and company; leaving it unticked withdraws a consent
 * given before. Any change to a published testimonial takes it back to staff for review.
 */
export async function writeTestimonial(
	db: Db,
	actor: Actor,
	id: number,
	input: TestimonialInput,
	now = new Date()
): Promise<WriteTestimonialResult> {
	return db.transaction().execute(async (trx): Promise<WriteTestimonialResult> => {
		const row = await loadTestimonial(trx, id, true);
		if (!row || !canViewTestimonialInvitation(actor, { userId: row.user_id })) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canWriteTestimonial(actor, { userId: row.user_id }, now)) {
			return { ok: false, reason: 'forbidden' };
		}
		if (input.consent && input.consent_version !== TESTIMONIAL_CONSENT_VERSION) {
			return { ok: false, reason: 'consent_outdated' };
		}
		if (input.product !== null) {
			const product = await trx
				.selectFrom('product')
				.select('id')
				.where('id', '=', input.product)
				.where('archived_at', 'is', null)
				.executeTakeFirst();
			if (!product) {
				return { ok: false, reason: 'no_product' };
			}
		}
		const standing = facts(row).consentStanding;
		const unchanged =
			row.body_source === input.body && row.product_id === input.product && input.consent;
		if (row.status === 'published' && unchanged && standing) {
			return { ok: true, status: 'published' };
		}
		const shown = input.consent
			? {
					consent_at: now,
					consent_version: TESTIMONIAL_CONSENT_VERSION,
					consent_text: consentWording({
						siteName: config().SITE_NAME,
						name: row.member_name,
						company: row.member_company
					}),
					shown_name: row.member_name,
					shown_company: row.member_company,
					consent_withdrawn_at: null
				}
			: row.consent_at !== null && row.consent_withdrawn_at === null
				? { consent_withdrawn_at: now }
				: {};
		// Once given, a consent left unticked is a withdrawn one: the record of it stays.
		const withdrawn = !input.consent && row.consent_at !== null;
		const status: TestimonialStatus = withdrawn ? 'withdrawn' : 'submitted';
		await trx
			.updateTable('testimonial')
			.set({
				status,
				body_source: input.body,
				body_html: renderMarkdown(input.body),
				product_id: input.product,
				submitted_at: row.submitted_at ?? now,
				updated_at: now,
				published_at: null,
				...shown
			})
			.where('id', '=', row.id)
			.execute();
		return { ok: true, status };
	});
}

export type WithdrawResult = { ok: true } | { ok: false; reason: 'not_found' | 'no_consent' };

/** The member withdraws consent: the testimonial leaves every public place in this transaction. */
export async function withdrawTestimonialConsent(
	db: Db,
	actor: Actor,
	id: number,
	now = new Date()
): Promise<WithdrawResult> {
	return db.transaction().execute(async (trx): Promise<WithdrawResult> => {
		const row = await loadTestimonial(trx, id, true);
		if (!row || !canViewTestimonialInvitation(actor, { userId: row.user_id })) {
			return { ok: false, reason: 'not_found' };
		}
		const given = row.consent_at !== null && row.consent_withdrawn_at === null;
		if (!given || !canWithdrawTestimonialConsent(actor, { ...facts(row), consentStanding: true })) {
			return { ok: false, reason: 'no_consent' };
		}
		await trx
			.updateTable('testimonial')
			.set({ status: 'withdrawn', consent_withdrawn_at: now, published_at: null, updated_at: now })
			.where('id', '=', row.id)
			.execute();
		return { ok: true };
	});
}

// Staff: publishing ------------------------------------------------------------------------------

export type PublishResult =
	{ ok: true } | { ok: false; reason: 'forbidden' | 'not_found' | PublishBlock };

/** Staff publish a submitted testimonial; refused (nothing stored) without a standing consent. */
export async function publishTestimonial(
	db: Db,
	actor: Actor,
	id: number,
	now = new Date()
): Promise<PublishResult> {
	if (!canManageTestimonials(actor, now)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<PublishResult> => {
		const row = await loadTestimonial(trx, id, true);
		if (!row) {
			return { ok: false, reason: 'not_found' };
		}
		const block = publishBlock({
			status: row.status,
			consentAt: row.consent_at,
			consentVersion: row.consent_version,
			withdrawnAt: row.consent_withdrawn_at
		});
		if (block) {
			return { ok: false, reason: block };
		}
		if (!canPublishTestimonial(actor, facts(row), now)) {
			return { ok: false, reason: 'forbidden' };
		}
		await trx
			.updateTable('testimonial')
			.set({ status: 'published', published_at: now, published_by_id: actor.id, updated_at: now })
			.where('id', '=', row.id)
			.execute();
		await recordAudit(trx, actor, {
			action: 'testimonial.publish',
			targetType: 'testimonial',
			targetId: row.id
		});
		return { ok: true };
	});
}

export type UnpublishResult =
	{ ok: true } | { ok: false; reason: 'forbidden' | 'not_found' | 'not_published' };

export async function unpublishTestimonial(
	db: Db,
	actor: Actor,
	id: number,
	now = new Date()
): Promise<UnpublishResult> {
	if (!canManageTestimonials(actor, now)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx): Promise<UnpublishResult> => {
		const row = await loadTestimonial(trx, id, true);
		if (!row) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canUnpublishTestimonial(actor, facts(row), now)) {
			return { ok: false, reason: 'not_published' };
		}
		await trx
			.updateTable('testimonial')
			.set({ status: 'submitted', published_at: null, updated_at: now })
			.where('id', '=', row.id)
			.execute();
		await recordAudit(trx, actor, {
			action: 'testimonial.unpublish',
			targetType: 'testimonial',
			targetId: row.id
		});
		return { ok: true };
	});
}

// Lists ------------------------------------------------------------------------------------------

export interface StaffTestimonialRow {
	id: number;
	status: TestimonialStatus;
	member: { handle: string; displayName: string; company: string | null };
	invitedAt: Date;
	invitedBy: string | null;
	reason: { kind: 'nps' | 'review'; score: number; postId: number | null };
	bodyHtml: string | null;
	product: string | null;
	submittedAt: Date | null;
	consentAt: Date | null;
	consentStanding: boolean;
	withdrawnAt: Date | null;
	publishedAt: Date | null;
	canPublish: boolean;
	canUnpublish: boolean;
}

/**
 * Every invitation and testimonial for the staff page, newest change first; a status narrows it
 * ("published" keeps those withdrawn after publication, shown as withdrawn).
 */
export async function listTestimonialsForStaff(
	db: Db,
	actor: Actor,
	options: { status?: TestimonialStatus; limit?: number } = {}
): Promise<StaffTestimonialRow[]> {
	if (!canManageTestimonials(actor)) {
		return [];
	}
	let query = db
		.selectFrom('testimonial as t')
		.innerJoin('app_user as u', 'u.id', 't.user_id')
		.leftJoin('company as c', 'c.id', 'u.company_id')
		.leftJoin('app_user as inviter', 'inviter.id', 't.invited_by_id')
		.leftJoin('product as pr', 'pr.id', 't.product_id')
		.selectAll('t')
		.select([
			'u.handle',
			'u.display_name',
			'c.name as company',
			'inviter.display_name as inviter_name',
			'pr.name as product_name'
		])
		.orderBy('t.updated_at', 'desc')
		.orderBy('t.id', 'desc')
		.limit(options.limit ?? 200);
	if (options.status === 'published') {
		// Also the ones published once and withdrawn since: staff see why one disappeared.
		query = query.where((eb) =>
			eb.or([
				eb('t.status', '=', 'published'),
				eb.and([eb('t.status', '=', 'withdrawn'), eb('t.published_by_id', 'is not', null)])
			])
		);
	} else if (options.status) {
		query = query.where('t.status', '=', options.status);
	}
	const rows = await query.execute();
	return rows.map((row) => {
		const f = {
			status: row.status,
			consentStanding: consentStanding({
				consentAt: row.consent_at,
				consentVersion: row.consent_version,
				withdrawnAt: row.consent_withdrawn_at
			})
		};
		return {
			id: row.id,
			status: row.status,
			member: { handle: row.handle, displayName: row.display_name, company: row.company },
			invitedAt: row.invited_at,
			invitedBy: row.inviter_name,
			reason: { kind: row.reason_kind, score: row.reason_score, postId: row.reason_post_id },
			bodyHtml: row.body_html,
			product: row.product_name,
			submittedAt: row.submitted_at,
			consentAt: row.consent_at,
			consentStanding: f.consentStanding,
			withdrawnAt: row.consent_withdrawn_at,
			publishedAt: row.published_at,
			// The button shows whenever the testimonial is submitted: pressing it without consent
			// gets the reason, rather than a button that silently is not there.
			canPublish: row.status === 'submitted',
			canUnpublish: canUnpublishTestimonial(actor, f)
		};
	});
}

export interface PublishedTestimonial {
	id: number;
	quote: string;
	quoteHtml: string;
	name: string;
	company: string | null;
	product: { name: string; slug: string } | null;
	publishedAt: Date;
}

/**
 * Published testimonials with a standing consent, newest first: only what the member agreed to
 * show (the name and company recorded with the consent, the quote, the product).
 */
export async function listPublishedTestimonials(
	db: Db,
	options: { productSlug?: string; limit?: number } = {}
): Promise<PublishedTestimonial[]> {
	let query = db
		.selectFrom('testimonial as t')
		.leftJoin('product as pr', 'pr.id', 't.product_id')
		.select([
			't.id',
			't.body_html',
			't.shown_name',
			't.shown_company',
			't.published_at',
			'pr.name as product_name',
			'pr.slug as product_slug'
		])
		.where('t.status', '=', 'published')
		.where('t.consent_at', 'is not', null)
		.where('t.consent_withdrawn_at', 'is', null)
		.orderBy('t.published_at', 'desc')
		.orderBy('t.id', 'desc')
		.limit(options.limit ?? 100);
	if (options.productSlug !== undefined) {
		query = query.where('pr.slug', '=', options.productSlug);
	}
	const rows = await query.execute();
	return rows.flatMap((row) =>
		row.body_html !== null && row.shown_name !== null && row.published_at !== null
			? [
					{
						id: row.id,
						quote: htmlToText(row.body_html),
						quoteHtml: row.body_html,
						name: row.shown_name,
						company: row.shown_company,
						product:
							row.product_name !== null && row.product_slug !== null
								? { name: row.product_name, slug: row.product_slug }
								: null,
						publishedAt: row.published_at
					}
				]
			: []
	);
}

export interface OwnTestimonial {
	id: number;
	status: TestimonialStatus;
	invitedAt: Date;
	invitedBy: string | null;
	message: string | null;
	body: string | null;
	product: string | null;
	submittedAt: Date | null;
	consentAt: Date | null;
	consentVersion: string | null;
	consentText: string | null;
	consentWithdrawnAt: Date | null;
	consentStanding: boolean;
	publishedAt: Date | null;
}

/** A member's invitations and testimonials, newest first (their settings and their export). */
export async function ownTestimonials(db: Db, userId: number): Promise<OwnTestimonial[]> {
	const rows = await db
		.selectFrom('testimonial as t')
		.leftJoin('app_user as inviter', 'inviter.id', 't.invited_by_id')
		.leftJoin('product as pr', 'pr.id', 't.product_id')
		.selectAll('t')
		.select(['inviter.display_name as inviter_name', 'pr.name as product_name'])
		.where('t.user_id', '=', userId)
		.orderBy('t.invited_at', 'desc')
		.orderBy('t.id', 'desc')
		.execute();
	return rows.map((row) => ({
		id: row.id,
		status: row.status,
		invitedAt: row.invited_at,
		invitedBy: row.inviter_name,
		message: row.invitation_message,
		body: row.body_source,
		product: row.product_name,
		submittedAt: row.submitted_at,
		consentAt: row.consent_at,
		consentVersion: row.consent_version,
		consentText: row.consent_text,
		consentWithdrawnAt: row.consent_withdrawn_at,
		consentStanding: consentStanding({
			consentAt: row.consent_at,
			consentVersion: row.consent_version,
			withdrawnAt: row.consent_withdrawn_at
		}),
		publishedAt: row.published_at
	}));
}

/** Products a testimonial may name: those not archived, by name. */
export async function testimonialProducts(db: Db): Promise<{ id: number; name: string }[]> {
	return db
		.selectFrom('product')
		.select(['id', 'name'])
		.where('archived_at', 'is', null)
		.orderBy('name')
		.execute();
}

export function parseTestimonialId(param: string): number | null {
	return /^\d{1,15}$/.test(param) ? Number(param) : null;
}
