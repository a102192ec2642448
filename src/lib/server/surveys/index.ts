// Survey questions put to members: the NPS question (at most once per interval, after meaningful
// activity) and CSAT questions about one idea or question (after it ships, or gets an accepted or
// official answer). Offers are rows in `survey_offer`; an answer is a `survey_response` and a
// `survey_answered` act, written with the offer's closing in one transaction. docs/surveys.md.
import { discussionPath } from '$lib/domain/discussions';
import { ideaPath } from '$lib/domain/ideas';
import { sql } from 'kysely';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import type { SurveyKind, SurveyTrigger } from '../db/schema';
import { recordActivity } from '../activity';
import { canAnswerSurvey, canBeSurveyed, type Actor, type UserActor } from '../policy';
import { getSiteSettings } from '../moderation/settings';
import {
	MEANINGFUL_ACTS,
	PARTICIPATION_KINDS,
	csatOfferCutoff,
	npsDecision,
	scoreError,
	type NpsFacts,
	type NpsRules
} from './eligibility';

export interface SurveyCard {
	offerId: number;
	kind: SurveyKind;
	/** The question as asked, naming the site or the idea or question. */
	question: string;
	/** CSAT: the idea or question it is about. */
	subject: { title: string; path: string } | null;
	min: number;
	max: number;
	lowLabel: string;
	highLabel: string;
}

/** A question's scale, its ends named in the reader's language. */
function scaleOf(kind: SurveyKind): Pick<SurveyCard, 'min' | 'max' | 'lowLabel' | 'highLabel'> {
	return kind === 'nps'
		? {
				min: 0,
				max: 10,
				lowLabel: m.roadmap_survey_nps_low(),
				highLabel: m.roadmap_survey_nps_high()
			}
		: {
				min: 1,
				max: 5,
				lowLabel: m.roadmap_survey_csat_low(),
				highLabel: m.roadmap_survey_csat_high()
			};
}

export function npsQuestion(siteName: string): string {
	return m.roadmap_survey_nps_question({ siteName });
}

/** The CSAT question for what happened to the post. */
export function csatQuestion(
	trigger: SurveyTrigger,
	post: { kind: string; title: string }
): string {
	const title = post.title;
	if (trigger === 'shipped') {
		return m.roadmap_survey_csat_shipped({ title });
	}
	if (post.kind === 'idea') {
		return m.roadmap_survey_csat_idea({ title });
	}
	return m.roadmap_survey_csat_answer({ title });
}

function postPath(post: { id: number; kind: string; title: string }): string {
	return post.kind === 'discussion' ? discussionPath(post) : ideaPath(post);
}

// Offering -------------------------------------------------------------------------------------

/**
 * Asks the listed people the CSAT question about a post, once per person and post ever (a second
 * trigger, or the idea shipping twice, asks nobody again). Only members are asked. Call it in the
 * transaction of the act that triggers it.
 */
export async function offerCsat(
	trx: Db,
	input: { userIds: readonly number[]; postId: number; trigger: SurveyTrigger; now?: Date }
): Promise<number> {
	if (input.userIds.length === 0) {
		return 0;
	}
	const offeredAt = input.now ?? new Date();
	const rows = await trx
		.insertInto('survey_offer')
		.columns(['user_id', 'kind', 'trigger', 'post_id', 'offered_at'])
		.expression((eb) =>
			eb
				.selectFrom('app_user')
				.select([
					'app_user.id',
					sql<SurveyKind>`'csat'`.as('kind'),
					sql<SurveyTrigger>`${input.trigger}`.as('trigger'),
					sql<number>`${input.postId}::bigint`.as('post_id'),
					sql<Date>`${offeredAt}::timestamptz`.as('offered_at')
				])
				.where('app_user.id', 'in', input.userIds)
				.where('app_user.role', '=', 'member')
		)
		// One per member and post (the partial unique index): asked once, whatever asks again.
		.onConflict((oc) => oc.doNothing())
		.returning('id')
		.execute();
	return rows.length;
}

/** The NPS facts for one member, as of `now`. */
async function npsFacts(db: Db, userId: number): Promise<NpsFacts | undefined> {
	const row = await db
		.selectFrom('app_user as u')
		.select([
			'u.created_at',
			sql<number>`(select count(*) from (select 1 from activity a
				where a.user_id = u.id and a.kind in (${sql.join(PARTICIPATION_KINDS)})
				limit ${MEANINGFUL_ACTS}) acts)`.as('acts'),
			sql<Date | null>`greatest(
				(select max(greatest(o.offered_at, o.answered_at, o.dismissed_at)) from survey_offer o
					where o.user_id = u.id and o.kind = 'nps'),
				(select max(r.created_at) from survey_response r
					where r.user_id = u.id and r.kind = 'nps'))`.as('last_asked_at')
		])
		.where('u.id', '=', userId)
		.executeTakeFirst();
	if (!row) {
		return undefined;
	}
	return {
		accountCreatedAt: row.created_at,
		participationActs: Number(row.acts),
		lastAskedAt: row.last_asked_at === null ? null : new Date(row.last_asked_at)
	};
}

interface OpenOffer {
	id: number;
	kind: SurveyKind;
	trigger: SurveyTrigger | null;
	post: { id: number; kind: string; title: string } | null;
}

/** The member's open question to show: a live CSAT question first (newest), else the NPS one. */
async function openOffer(db: Db, userId: number, now: Date): Promise<OpenOffer | undefined> {
	const row = await db
		.selectFrom('survey_offer as o')
		.leftJoin('post as p', 'p.id', 'o.post_id')
		.select([
			'o.id',
			'o.kind',
			'o.trigger',
			'p.id as post_id',
			'p.kind as post_kind',
			'p.title as post_title'
		])
		.where('o.user_id', '=', userId)
		.where('o.answered_at', 'is', null)
		.where('o.dismissed_at', 'is', null)
		.where((eb) =>
			eb.or([
				eb('o.kind', '=', 'nps'),
				eb.and([
					eb('o.offered_at', '>', csatOfferCutoff(now)),
					eb('p.deleted_at', 'is', null),
					eb('p.visibility', '=', 'visible')
				])
			])
		)
		.orderBy(sql`o.kind = 'csat'`, 'desc')
		.orderBy('o.offered_at', 'desc')
		.orderBy('o.id', 'desc')
		.limit(1)
		.executeTakeFirst();
	if (!row) {
		return undefined;
	}
	return {
		id: row.id,
		kind: row.kind,
		trigger: row.trigger,
		post:
			row.post_id !== null && row.post_kind !== null && row.post_title !== null
				? { id: row.post_id, kind: row.post_kind, title: row.post_title }
				: null
	};
}

/**
 * Opens an NPS question for the member when the rules allow it. The member's row is locked while
 * deciding, so two pages loading at once ask once; the partial unique index on open NPS offers
 * backs that up.
 */
async function maybeOfferNps(db: Db, userId: number, rules: NpsRules, now: Date): Promise<void> {
	const facts = await npsFacts(db, userId);
	if (!facts || !npsDecision(facts, rules, now).ask) {
		return;
	}
	await db.transaction().execute(async (trx) => {
		await trx
			.selectFrom('app_user')
			.select('id')
			.where('id', '=', userId)
			.forNoKeyUpdate()
			.execute();
		const again = await npsFacts(trx, userId);
		if (!again || !npsDecision(again, rules, now).ask) {
			return;
		}
		await trx
			.insertInto('survey_offer')
			.values({ user_id: userId, kind: 'nps', offered_at: now })
			.onConflict((oc) => oc.doNothing())
			.execute();
	});
}

function toCard(offer: OpenOffer, siteName: string): SurveyCard {
	if (offer.kind === 'csat' && offer.post && offer.trigger) {
		return {
			offerId: offer.id,
			kind: 'csat',
			question: csatQuestion(offer.trigger, offer.post),
			subject: { title: offer.post.title, path: postPath(offer.post) },
			...scaleOf('csat')
		};
	}
	return {
		offerId: offer.id,
		kind: 'nps',
		question: npsQuestion(siteName),
		subject: null,
		...scaleOf('nps')
	};
}

/**
 * The survey card for the member on this page view, or null. May open an NPS question (that is
 * when it counts as asked). Staff, moderators, admins, visitors and suspended members get none.
 */
export async function currentSurveyCard(
	db: Db,
	actor: Actor,
	options: { siteName: string; now?: Date; rules?: NpsRules }
): Promise<SurveyCard | null> {
	const now = options.now ?? new Date();
	if (!canBeSurveyed(actor, now)) {
		return null;
	}
	let offer = await openOffer(db, actor.id, now);
	if (!offer) {
		const rules = options.rules ?? (await npsRules(db));
		await maybeOfferNps(db, actor.id, rules, now);
		offer = await openOffer(db, actor.id, now);
	}
	return offer ? toCard(offer, options.siteName) : null;
}

/** The NPS rules from the site settings. */
export async function npsRules(db: Db): Promise<NpsRules> {
	const settings = await getSiteSettings(db);
	return { intervalDays: settings.npsIntervalDays, minAccountDays: settings.npsMinAccountDays };
}

/** One open question of the member's by id (the /surveys page shows it again after an error). */
export async function surveyCardById(
	db: Db,
	actor: UserActor,
	offerId: number,
	siteName: string
): Promise<SurveyCard | null> {
	const row = await db
		.selectFrom('survey_offer as o')
		.leftJoin('post as p', 'p.id', 'o.post_id')
		.select(['o.id', 'o.kind', 'o.trigger', 'p.id as post_id', 'p.kind as post_kind', 'p.title'])
		.where('o.id', '=', offerId)
		.where('o.user_id', '=', actor.id)
		.where('o.answered_at', 'is', null)
		.where('o.dismissed_at', 'is', null)
		.executeTakeFirst();
	if (!row) {
		return null;
	}
	return toCard(
		{
			id: row.id,
			kind: row.kind,
			trigger: row.trigger,
			post:
				row.post_id !== null && row.post_kind !== null && row.title !== null
					? { id: row.post_id, kind: row.post_kind, title: row.title }
					: null
		},
		siteName
	);
}

// Answering ------------------------------------------------------------------------------------

export type SurveyActResult =
	| { ok: true; kind: SurveyKind }
	| { ok: false; reason: 'not_found' | 'forbidden' | 'closed' }
	| { ok: false; reason: 'invalid'; errors: Record<string, string> };

interface LockedOffer {
	id: number;
	userId: number;
	kind: SurveyKind;
	postId: number | null;
	answered: boolean;
	dismissed: boolean;
}

/** The offer's row, locked: of two tabs answering at once, the second sees the first's answer. */
async function lockOffer(trx: Db, offerId: number): Promise<LockedOffer | undefined> {
	const row = await trx
		.selectFrom('survey_offer')
		.select(['id', 'user_id', 'kind', 'post_id', 'answered_at', 'dismissed_at'])
		.where('id', '=', offerId)
		.forUpdate()
		.executeTakeFirst();
	return row
		? {
				id: row.id,
				userId: row.user_id,
				kind: row.kind,
				postId: row.post_id,
				answered: row.answered_at !== null,
				dismissed: row.dismissed_at !== null
			}
		: undefined;
}

function refusal(actor: Actor, offer: LockedOffer | undefined, now: Date): SurveyActResult | null {
	if (!offer) {
		return { ok: false, reason: 'not_found' };
	}
	if (actor.kind !== 'user' || actor.id !== offer.userId) {
		return { ok: false, reason: 'forbidden' };
	}
	if (offer.answered || offer.dismissed) {
		return { ok: false, reason: 'closed' };
	}
	if (!canAnswerSurvey(actor, offer, now)) {
		return { ok: false, reason: 'forbidden' };
	}
	return null;
}

/**
 * The member answers their question: the answer, the offer's closing and the `survey_answered`
 * act are one transaction. Score outside the question's scale, or a reason over 1000 characters:
 * nothing is stored.
 */
export async function answerSurvey(
	db: Db,
	actor: Actor,
	input: { offerId: number; score: number; reason: string | null },
	now = new Date()
): Promise<SurveyActResult> {
	return db.transaction().execute(async (trx): Promise<SurveyActResult> => {
		const offer = await lockOffer(trx, input.offerId);
		const refused = refusal(actor, offer, now);
		if (refused || !offer) {
			return refused ?? { ok: false, reason: 'not_found' };
		}
		const errors: Record<string, string> = {};
		const badScore = scoreError(offer.kind, input.score);
		if (badScore) {
			errors.score = badScore;
		}
		const reason = input.reason?.trim() || null;
		if (reason && reason.length > 1000) {
			errors.reason = m.roadmap_survey_reason_too_long({ max: 1000 });
		}
		if (Object.keys(errors).length > 0) {
			return { ok: false, reason: 'invalid', errors };
		}
		const response = await trx
			.insertInto('survey_response')
			.values({
				user_id: offer.userId,
				kind: offer.kind,
				score: input.score,
				reason,
				post_id: offer.postId,
				created_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.updateTable('survey_offer')
			.set({ answered_at: now, response_id: response.id })
			.where('id', '=', offer.id)
			.execute();
		const post =
			offer.postId === null
				? undefined
				: await trx
						.selectFrom('post')
						.select('product_id')
						.where('id', '=', offer.postId)
						.executeTakeFirst();
		await recordActivity(trx, {
			userId: offer.userId,
			kind: 'survey_answered',
			postId: offer.postId,
			productId: post?.product_id ?? null,
			data: { kind: offer.kind, score: input.score }
		});
		return { ok: true, kind: offer.kind };
	});
}

/** "Not now": the question is closed unanswered; for NPS it counts as asked for the interval. */
export async function dismissSurvey(
	db: Db,
	actor: Actor,
	input: { offerId: number },
	now = new Date()
): Promise<SurveyActResult> {
	return db.transaction().execute(async (trx): Promise<SurveyActResult> => {
		const offer = await lockOffer(trx, input.offerId);
		const refused = refusal(actor, offer, now);
		if (refused || !offer) {
			return refused ?? { ok: false, reason: 'not_found' };
		}
		await trx
			.updateTable('survey_offer')
			.set({ dismissed_at: now })
			.where('id', '=', offer.id)
			.execute();
		return { ok: true, kind: offer.kind };
	});
}

// A member's own answers -------------------------------------------------------------------------

export interface OwnSurveyAnswer {
	kind: SurveyKind;
	score: number;
	reason: string | null;
	createdAt: Date;
	/** CSAT: the idea or question it was about (null once deleted). */
	post: { id: number; title: string; path: string } | null;
}

/** Every survey answer the member gave, oldest first: for their own data export. */
export async function surveyAnswersOf(db: Db, userId: number): Promise<OwnSurveyAnswer[]> {
	const rows = await db
		.selectFrom('survey_response as r')
		.leftJoin('post as p', (join) =>
			join.onRef('p.id', '=', 'r.post_id').on('p.deleted_at', 'is', null)
		)
		.select([
			'r.kind',
			'r.score',
			'r.reason',
			'r.created_at',
			'p.id as post_id',
			'p.kind as post_kind',
			'p.title'
		])
		.where('r.user_id', '=', userId)
		.orderBy('r.created_at')
		.orderBy('r.id')
		.execute();
	return rows.map((row) => ({
		kind: row.kind,
		score: row.score,
		reason: row.reason,
		createdAt: row.created_at,
		post:
			row.post_id !== null && row.post_kind !== null && row.title !== null
				? {
						id: row.post_id,
						title: row.title,
						path: postPath({ id: row.post_id, kind: row.post_kind, title: row.title })
					}
				: null
	}));
}
