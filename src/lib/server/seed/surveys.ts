// Demo survey answers: six months of NPS from the demo customers (each asked at most once per 90
// days, some saying "Not now"), and CSAT after the demo's shipped ideas, accepted answers and
// official answers, with reasons in their own words. The spread is believable and improves over
// time, so the staff view's months have shape. Nobody is left with an open question: the demo's
// customers are new accounts and the team is never asked (docs/surveys.md). Runs inside the demo
// seed's transaction, after ideas and discussions exist.
import { sql } from 'kysely';
import type { Db } from '../db';
import type { SurveyKind, SurveyTrigger } from '../db/schema';

const DAY = 86_400_000;

/** A small deterministic generator (mulberry32): the demo looks the same on every install. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const NPS_REASONS: Record<'promoter' | 'passive' | 'detractor', string[]> = {
	promoter: [
		'The team actually listens: two of our ideas shipped this year.',
		'Dashboards our board understands without a walkthrough.',
		'Support answers within the hour, and the answers are right.',
		'The Snowflake connector removed a nightly job we hated.',
		'Seeing the roadmap makes planning on our side so much easier.',
		'Fast, reliable, and the changelog tells us what changed.'
	],
	passive: [
		'Good product, but exports are still slow for a full year of data.',
		'Does what we need; the mobile app lags behind the web.',
		'Solid, though pricing for more seats is hard to justify.',
		'We like it, but some reports still need a spreadsheet afterwards.'
	],
	detractor: [
		'Our main dashboard takes 15 seconds to load.',
		'We waited months for SSO and still have no date.',
		'The Android app ignores our accessibility settings.',
		'Too many ideas sit in "under review" with no answer.',
		'Webhooks fail silently and we only notice days later.'
	]
};

const CSAT_REASONS: Record<'high' | 'mid' | 'low', string[]> = {
	high: [
		'Exactly what we asked for, and the docs were ready on day one.',
		'Clear answer, solved our problem in five minutes.',
		'Works as described. Thank you for closing the loop.',
		'Better than we hoped: it even handles our odd schema.'
	],
	mid: [
		'It works, but setup took longer than expected.',
		'Helpful, though the answer could have linked the docs.',
		'Good start; we still need per-user time zones.'
	],
	low: [
		'Shipped, but missing the part we actually needed.',
		'The answer did not fit our setup at all.',
		'Took months and still needs a workaround.'
	]
};

interface Answer {
	userId: number;
	kind: SurveyKind;
	trigger: SurveyTrigger | null;
	postId: number | null;
	productId: number | null;
	offeredAt: Date;
	/** Null: the member said "Not now". */
	score: number | null;
	reason: string | null;
	at: Date;
}

function pick<T>(rng: () => number, items: readonly T[]): T {
	return items[Math.floor(rng() * items.length)]!;
}

/**
 * An NPS score: `trend` 0 (six months ago) to 1 (now) moves answers from detractors to promoters;
 * `mood` is a company's lean (happy enterprise customers, a struggling starter plan).
 */
function npsScore(rng: () => number, trend: number, mood: number): number {
	const promoter = 0.28 + 0.17 * trend + mood;
	const detractor = Math.max(0.06, 0.32 - 0.12 * trend - mood);
	const roll = rng();
	if (roll < promoter) {
		return rng() < 0.55 ? 9 : 10;
	}
	if (roll < 1 - detractor) {
		return rng() < 0.5 ? 7 : 8;
	}
	return pick(rng, [2, 3, 4, 5, 5, 6, 6, 6]);
}

function csatScore(rng: () => number): number {
	const roll = rng();
	return roll < 0.45 ? 5 : roll < 0.78 ? 4 : roll < 0.9 ? 3 : roll < 0.96 ? 2 : 1;
}

/** Leans by company slug: who is happier than average. */
const MOOD: Record<string, number> = {
	'kestrel-bank': 0.1,
	'northwind-health': 0.05,
	'bluefin-logistics': 0,
	'alder-schools': 0.02,
	'pixelmint-games': -0.12,
	'juniper-studio': -0.05
};

function npsAnswers(
	rng: () => number,
	customers: { id: number; company: string | null }[],
	now: number
): Answer[] {
	const answers: Answer[] = [];
	for (const customer of customers) {
		// First asked 3–180 days ago, then again 90–110 days later while that is in the past.
		let daysAgo = 3 + Math.floor(rng() * 177);
		while (daysAgo >= 3) {
			const offeredAt = new Date(now - daysAgo * DAY - Math.floor(rng() * 8) * 3_600_000);
			const trend = 1 - daysAgo / 180;
			const dismissed = rng() < 0.14;
			const score = dismissed ? null : npsScore(rng, trend, MOOD[customer.company ?? ''] ?? 0);
			const group =
				score === null ? null : score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
			answers.push({
				userId: customer.id,
				kind: 'nps',
				trigger: null,
				postId: null,
				productId: null,
				offeredAt,
				score,
				reason: group && rng() < 0.6 ? pick(rng, NPS_REASONS[group]) : null,
				// Answered within minutes of being asked, on the page they were on.
				at: new Date(offeredAt.getTime() + (2 + Math.floor(rng() * 30)) * 60_000)
			});
			daysAgo -= 90 + Math.floor(rng() * 20);
		}
	}
	return answers;
}

/** The moments the demo asks CSAT about: ships (voters), accepted and official answers (authors). */
async function csatMoments(trx: Db) {
	const shipped = await trx
		.selectFrom('status_change as sc')
		.innerJoin('idea_status as s', 's.id', 'sc.to_status_id')
		.innerJoin('post as p', 'p.id', 'sc.post_id')
		.innerJoin('vote as v', 'v.post_id', 'p.id')
		.innerJoin('app_user as u', 'u.id', 'v.user_id')
		.select([
			'v.user_id',
			'p.id as post_id',
			'p.product_id',
			sql<Date>`min(sc.created_at)`.as('at')
		])
		.where('s.category', '=', 'done')
		.where('u.role', '=', 'member')
		.groupBy(['v.user_id', 'p.id', 'p.product_id'])
		.execute();
	const accepted = await trx
		.selectFrom('discussion as d')
		.innerJoin('post as p', 'p.id', 'd.post_id')
		.innerJoin('comment as c', 'c.id', 'd.accepted_comment_id')
		.innerJoin('app_user as u', 'u.id', 'p.author_id')
		.select(['p.author_id as user_id', 'p.id as post_id', 'p.product_id', 'c.created_at as at'])
		.where('d.is_question', '=', true)
		.where('u.role', '=', 'member')
		.whereRef('c.author_id', '!=', 'p.author_id')
		.execute();
	const official = await trx
		.selectFrom('comment as c')
		.innerJoin('post as p', 'p.id', 'c.post_id')
		.innerJoin('app_user as u', 'u.id', 'p.author_id')
		.leftJoin('discussion as d', 'd.post_id', 'p.id')
		.select([
			'p.author_id as user_id',
			'p.id as post_id',
			'p.product_id',
			sql<Date>`min(c.created_at)`.as('at')
		])
		.where('c.is_official', '=', true)
		.where('c.is_internal', '=', false)
		.where('u.role', '=', 'member')
		.where((eb) => eb.or([eb('p.kind', '=', 'idea'), eb('d.is_question', '=', true)]))
		.groupBy(['p.author_id', 'p.id', 'p.product_id'])
		.execute();
	const moments = new Map<
		string,
		{ userId: number; postId: number; productId: number | null; at: Date; trigger: SurveyTrigger }
	>();
	// One question per member and post, the first moment that asked it.
	const add = (rows: typeof shipped, trigger: SurveyTrigger) => {
		for (const row of rows) {
			const key = `${row.user_id}:${row.post_id}`;
			const at = new Date(row.at);
			const known = moments.get(key);
			if (!known || known.at > at) {
				moments.set(key, {
					userId: row.user_id,
					postId: row.post_id,
					productId: row.product_id,
					at,
					trigger
				});
			}
		}
	};
	add(shipped, 'shipped');
	add(accepted, 'accepted_answer');
	add(official, 'official_answer');
	return [...moments.values()];
}

export async function seedDemoSurveys(
	trx: Db,
	people: { customers: number[] }
): Promise<{ nps: number; csat: number }> {
	const rng = random(20261123);
	const now = Date.now();
	// The seed's acts that ask CSAT questions (ships, official answers) asked them as of now, on an
	// empty site: the demo's history below replaces them with questions dated when the acts were.
	await trx.deleteFrom('survey_offer').execute();
	const customers = await trx
		.selectFrom('app_user as u')
		.leftJoin('company as c', 'c.id', 'u.company_id')
		.select(['u.id', 'c.slug as company'])
		.where('u.id', 'in', people.customers.length > 0 ? people.customers : [0])
		.where('u.role', '=', 'member')
		.orderBy('u.id')
		.execute();
	const answers = npsAnswers(rng, customers, now);
	for (const moment of await csatMoments(trx)) {
		// Offered when it happened and answered when the member came back, within a day or two. A
		// question left open is older than 30 days (expired): nobody starts with a card.
		const offeredAt = new Date(Math.min(moment.at.getTime() + 3_600_000, now - 3_600_000));
		const roll = rng();
		const expired = now - offeredAt.getTime() > 31 * DAY;
		const dismissed = (roll >= 0.75 && roll < 0.85) || (roll >= 0.85 && !expired);
		const score = roll < 0.75 ? csatScore(rng) : null;
		const band = score === null ? null : score >= 4 ? 'high' : score === 3 ? 'mid' : 'low';
		const at = new Date(Math.min(offeredAt.getTime() + Math.floor(rng() * 36) * 3_600_000, now));
		if (score === null && !dismissed) {
			// Left unanswered, long expired.
			await trx
				.insertInto('survey_offer')
				.values({
					user_id: moment.userId,
					kind: 'csat',
					trigger: moment.trigger,
					post_id: moment.postId,
					offered_at: offeredAt
				})
				.execute();
			continue;
		}
		answers.push({
			userId: moment.userId,
			kind: 'csat',
			trigger: moment.trigger,
			postId: moment.postId,
			productId: moment.productId,
			offeredAt,
			score,
			reason: band && rng() < 0.55 ? pick(rng, CSAT_REASONS[band]) : null,
			at
		});
	}
	let nps = 0;
	let csat = 0;
	for (const answer of answers) {
		const response =
			answer.score === null
				? null
				: await trx
						.insertInto('survey_response')
						.values({
							user_id: answer.userId,
							kind: answer.kind,
							score: answer.score,
							reason: answer.reason,
							post_id: answer.postId,
							created_at: answer.at
						})
						.returning('id')
						.executeTakeFirstOrThrow();
		await trx
			.insertInto('survey_offer')
			.values({
				user_id: answer.userId,
				kind: answer.kind,
				trigger: answer.trigger,
				post_id: answer.postId,
				offered_at: answer.offeredAt,
				answered_at: response ? answer.at : null,
				dismissed_at: response ? null : answer.at,
				response_id: response?.id ?? null
			})
			.execute();
		if (response && answer.score !== null) {
			await trx
				.insertInto('activity')
				.values({
					user_id: answer.userId,
					kind: 'survey_answered',
					post_id: answer.postId,
					product_id: answer.productId,
					data: JSON.stringify({ kind: answer.kind, score: answer.score }),
					created_at: answer.at
				})
				.execute();
			if (answer.kind === 'nps') {
				nps += 1;
			} else {
				csat += 1;
			}
		}
	}
	return { nps, csat };
}
