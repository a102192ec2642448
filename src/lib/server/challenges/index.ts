// Challenges: staff open a question for a while, members answer it with ideas (entries), and
// once it has closed staff announce ranked winners, which earns them points and a badge through
// the ledger and tells entrants and voters. Entries are ordinary ideas with `challenge_id`.
import { sql } from 'kysely';
import { z } from 'zod';
import {
	CHALLENGE_DESCRIPTION_MAX,
	CHALLENGE_PRIZES_MAX,
	CHALLENGE_TITLE_MAX,
	CHALLENGE_TITLE_MIN,
	MAX_WINNERS,
	WINNER_NOTE_MAX,
	challengePath,
	challengeState,
	parseUtcDateTime,
	sortChallenges,
	type ChallengeState
} from '$lib/domain/challenges';
import { ideaPath, type StatusCategory } from '$lib/domain/ideas';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { recordAudit } from '../audit';
import { renderMarkdown } from '../markdown';
import { createNotifications, type NewNotification } from '../notifications';
import {
	canAnnounceWinners,
	canEditChallenge,
	canManageChallenges,
	type Actor,
	type ChallengeFacts
} from '../policy';

const utcDateTime = (missing: () => string) =>
	z
		.string({ error: missing })
		.trim()
		.min(1, { error: missing })
		.transform((value, ctx) => {
			const date = parseUtcDateTime(value);
			if (!date) {
				ctx.addIssue({ code: 'custom', message: m.challenges_error_datetime() });
				return z.NEVER;
			}
			return date;
		});

export const challengeSchema = z
	.object({
		title: z
			.string({ error: () => m.challenges_error_title_missing() })
			.trim()
			.min(1, { error: () => m.challenges_error_title_missing() })
			.min(CHALLENGE_TITLE_MIN, {
				error: () => m.challenges_error_title_short({ min: CHALLENGE_TITLE_MIN })
			})
			.max(CHALLENGE_TITLE_MAX, {
				error: () => m.challenges_error_title_long({ max: CHALLENGE_TITLE_MAX })
			}),
		description: z
			.string()
			.trim()
			.max(CHALLENGE_DESCRIPTION_MAX, {
				error: () => m.challenges_error_description_long({ max: CHALLENGE_DESCRIPTION_MAX })
			})
			.default(''),
		product: z.coerce
			.number({ error: () => m.challenges_error_product() })
			.int({ error: () => m.challenges_error_product() })
			.positive({ error: () => m.challenges_error_product() }),
		starts_at: utcDateTime(() => m.challenges_error_starts_missing()),
		ends_at: utcDateTime(() => m.challenges_error_ends_missing()),
		prizes: z
			.string()
			.trim()
			.max(CHALLENGE_PRIZES_MAX, {
				error: () => m.challenges_error_prizes_long({ max: CHALLENGE_PRIZES_MAX })
			})
			.default('')
	})
	.superRefine((input, ctx) => {
		if (input.ends_at.getTime() <= input.starts_at.getTime()) {
			ctx.addIssue({
				code: 'custom',
				path: ['ends_at'],
				message: m.challenges_error_ends_before_start()
			});
		}
	});
export const CHALLENGE_FIELDS = [
	'title',
	'description',
	'product',
	'starts_at',
	'ends_at',
	'prizes'
] as const;
export type ChallengeInput = z.output<typeof challengeSchema>;
type FieldErrors = Partial<Record<string, string>>;

export type SaveChallengeResult =
	| { ok: true; id: number }
	| { ok: false; reason: 'forbidden' | 'not_found' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors };

/** The product must exist; a new challenge may not be about an archived one. */
async function checkProduct(
	db: Db,
	productId: number,
	currentProductId?: number
): Promise<string | null> {
	const product = await db
		.selectFrom('product')
		.select(['id', 'archived_at'])
		.where('id', '=', productId)
		.executeTakeFirst();
	if (!product) {
		return m.challenges_error_product();
	}
	if (product.archived_at && product.id !== currentProductId) {
		return m.challenges_error_product_archived();
	}
	return null;
}

function contentOf(input: ChallengeInput) {
	return {
		title: input.title,
		description_source: input.description,
		description_html: renderMarkdown(input.description),
		prizes_source: input.prizes,
		prizes_html: renderMarkdown(input.prizes),
		product_id: input.product,
		starts_at: input.starts_at,
		ends_at: input.ends_at
	};
}

/** Staff open a challenge. */
export async function createChallenge(
	db: Db,
	actor: Actor,
	input: ChallengeInput
): Promise<SaveChallengeResult> {
	if (!canManageChallenges(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const productError = await checkProduct(db, input.product);
	if (productError) {
		return { ok: false, reason: 'invalid', errors: { product: productError } };
	}
	const id = await db.transaction().execute(async (trx) => {
		const row = await trx
			.insertInto('challenge')
			.values({ ...contentOf(input), created_by_id: actor.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		await recordAudit(trx, actor, {
			action: 'challenge.created',
			targetType: 'challenge',
			targetId: row.id,
			details: { title: input.title }
		});
		return row.id;
	});
	return { ok: true, id };
}

export async function loadChallengeFacts(
	db: Db,
	id: number
): Promise<(ChallengeFacts & { id: number; productId: number; title: string }) | undefined> {
	const row = await db
		.selectFrom('challenge')
		.select(['id', 'title', 'product_id', 'starts_at', 'ends_at', 'announced_at'])
		.where('id', '=', id)
		.executeTakeFirst();
	return row
		? {
				id: row.id,
				title: row.title,
				productId: row.product_id,
				startsAt: row.starts_at,
				endsAt: row.ends_at,
				announced: row.announced_at !== null
			}
		: undefined;
}

/**
 * Staff edit a challenge until its winners are announced. Once it has entries, its product stays
 * (entries are ideas about that product). Moving the end into the past closes it early.
 */
export async function updateChallenge(
	db: Db,
	actor: Actor,
	id: number,
	input: ChallengeInput
): Promise<SaveChallengeResult> {
	return db.transaction().execute(async (trx): Promise<SaveChallengeResult> => {
		// Locked: entries check the window under a share lock, and announcing takes this row too.
		const locked = await trx
			.selectFrom('challenge')
			.select('id')
			.where('id', '=', id)
			.forUpdate()
			.executeTakeFirst();
		const challenge = locked && (await loadChallengeFacts(trx, id));
		if (!challenge) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canEditChallenge(actor, challenge)) {
			return { ok: false, reason: 'forbidden' };
		}
		const productError = await checkProduct(trx, input.product, challenge.productId);
		if (productError) {
			return { ok: false, reason: 'invalid', errors: { product: productError } };
		}
		if (input.product !== challenge.productId && (await countEntries(trx, id)) > 0) {
			return {
				ok: false,
				reason: 'invalid',
				errors: { product: m.challenges_error_product_fixed() }
			};
		}
		await trx
			.updateTable('challenge')
			.set({ ...contentOf(input), updated_at: new Date() })
			.where('id', '=', id)
			.execute();
		await recordAudit(trx, actor, {
			action: 'challenge.updated',
			targetType: 'challenge',
			targetId: id,
			details: { startsAt: input.starts_at.toISOString(), endsAt: input.ends_at.toISOString() }
		});
		return { ok: true, id };
	});
}

async function countEntries(db: Db, challengeId: number): Promise<number> {
	const row = await db
		.selectFrom('post')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('challenge_id', '=', challengeId)
		.executeTakeFirstOrThrow();
	return row.n;
}

export interface ChallengeSummary {
	id: number;
	path: string;
	title: string;
	product: { name: string; slug: string };
	startsAt: Date;
	endsAt: Date;
	state: ChallengeState;
	announced: boolean;
	entryCount: number;
	winnerCount: number;
}

/** Every challenge, open ones first (ending soonest), then upcoming, then closed (latest first). */
export async function listChallenges(db: Db, now = new Date()): Promise<ChallengeSummary[]> {
	const rows = await db
		.selectFrom('challenge')
		.innerJoin('product', 'product.id', 'challenge.product_id')
		.select([
			'challenge.id',
			'challenge.title',
			'challenge.starts_at',
			'challenge.ends_at',
			'challenge.announced_at',
			'product.name as product_name',
			'product.slug as product_slug',
			sql<number>`(select count(*)::int from post p where p.challenge_id = challenge.id and p.deleted_at is null and p.visibility = 'visible')`.as(
				'entry_count'
			),
			sql<number>`(select count(*)::int from challenge_winner w where w.challenge_id = challenge.id)`.as(
				'winner_count'
			)
		])
		.execute();
	const summaries = rows.map((row): ChallengeSummary => ({
		id: row.id,
		path: challengePath(row),
		title: row.title,
		product: { name: row.product_name, slug: row.product_slug },
		startsAt: row.starts_at,
		endsAt: row.ends_at,
		state: challengeState({ startsAt: row.starts_at, endsAt: row.ends_at }, now),
		announced: row.announced_at !== null,
		entryCount: row.entry_count,
		winnerCount: row.winner_count
	}));
	return sortChallenges(summaries, now);
}

export interface ChallengeEntry {
	id: number;
	path: string;
	title: string;
	author: { handle: string; displayName: string };
	voteCount: number;
	commentCount: number;
	createdAt: Date;
	/** What became of it on the roadmap. */
	status: { name: string; slug: string; category: StatusCategory };
	targetQuarter: string | null;
	/** When it first shipped (its status entered the done category), if it has. */
	shippedAt: Date | null;
	merged: boolean;
}

export interface ChallengeWinner {
	rank: number;
	noteHtml: string;
	entry: ChallengeEntry;
}

export interface ChallengeDetail extends ChallengeSummary {
	descriptionSource: string;
	descriptionHtml: string;
	prizesSource: string;
	prizesHtml: string;
	productId: number;
	announcedAt: Date | null;
	/** Entries by votes, most first (listed ideas only: not deleted, hidden or pending). */
	entries: ChallengeEntry[];
	winners: ChallengeWinner[];
}

/** A challenge with its entries (and what became of each) and its winners. */
export async function getChallenge(
	db: Db,
	id: number,
	now = new Date()
): Promise<ChallengeDetail | undefined> {
	const row = await db
		.selectFrom('challenge')
		.innerJoin('product', 'product.id', 'challenge.product_id')
		.selectAll('challenge')
		.select(['product.name as product_name', 'product.slug as product_slug'])
		.where('challenge.id', '=', id)
		.executeTakeFirst();
	if (!row) {
		return undefined;
	}
	const [entryRows, winnerRows] = await Promise.all([
		db
			.selectFrom('post')
			.innerJoin('idea_status as s', 's.id', 'post.status_id')
			.innerJoin('app_user as author', 'author.id', 'post.author_id')
			.select([
				'post.id',
				'post.title',
				'post.vote_count',
				'post.comment_count',
				'post.created_at',
				'post.target_quarter',
				'post.merged_into_id',
				's.name as status_name',
				's.slug as status_slug',
				's.category as status_category',
				'author.handle',
				'author.display_name',
				// The first ship in the ledger; else the latest move into a done status.
				sql<Date | null>`coalesce(
					(select min(a.created_at) from activity a where a.post_id = post.id and a.kind = 'idea_shipped'),
					(select max(sc.created_at) from status_change sc join idea_status ds on ds.id = sc.to_status_id
						where sc.post_id = post.id and ds.category = 'done'))`.as('shipped_at')
			])
			.where('post.challenge_id', '=', id)
			.where('post.kind', '=', 'idea')
			.where('post.deleted_at', 'is', null)
			.where('post.visibility', '=', 'visible')
			.orderBy('post.vote_count', 'desc')
			.orderBy('post.id')
			.execute(),
		db
			.selectFrom('challenge_winner')
			.select(['post_id', 'rank', 'note_html'])
			.where('challenge_id', '=', id)
			.orderBy('rank')
			.execute()
	]);
	const entries = entryRows.map((r): ChallengeEntry => ({
		id: r.id,
		path: ideaPath(r),
		title: r.title,
		author: { handle: r.handle, displayName: r.display_name },
		voteCount: r.vote_count,
		commentCount: r.comment_count,
		createdAt: r.created_at,
		status: { name: r.status_name, slug: r.status_slug, category: r.status_category },
		targetQuarter: r.target_quarter,
		shippedAt:
			r.status_category === 'done' && r.shipped_at !== null ? new Date(r.shipped_at) : null,
		merged: r.merged_into_id !== null
	}));
	const byId = new Map(entries.map((e) => [e.id, e]));
	const winners = winnerRows.flatMap((w) => {
		const entry = byId.get(w.post_id);
		// A winning entry deleted or hidden since is left out of the public list.
		return entry ? [{ rank: w.rank, noteHtml: w.note_html, entry }] : [];
	});
	const window = { startsAt: row.starts_at, endsAt: row.ends_at };
	return {
		id: row.id,
		path: challengePath(row),
		title: row.title,
		product: { name: row.product_name, slug: row.product_slug },
		productId: row.product_id,
		startsAt: row.starts_at,
		endsAt: row.ends_at,
		state: challengeState(window, now),
		announced: row.announced_at !== null,
		announcedAt: row.announced_at,
		entryCount: entries.length,
		winnerCount: winnerRows.length,
		descriptionSource: row.description_source,
		descriptionHtml: row.description_html,
		prizesSource: row.prizes_source,
		prizesHtml: row.prizes_html,
		entries,
		winners
	};
}

export interface ChallengeForEntry {
	id: number;
	title: string;
	path: string;
	productId: number;
	state: ChallengeState;
	startsAt: Date;
	endsAt: Date;
}

/** The challenge the idea form was opened for (`/ideas/new?challenge=<id>`). */
export async function challengeForEntry(
	db: Db,
	id: number,
	now = new Date()
): Promise<ChallengeForEntry | undefined> {
	const row = await db
		.selectFrom('challenge')
		.select(['id', 'title', 'product_id', 'starts_at', 'ends_at'])
		.where('id', '=', id)
		.executeTakeFirst();
	return row
		? {
				id: row.id,
				title: row.title,
				path: challengePath(row),
				productId: row.product_id,
				state: challengeState({ startsAt: row.starts_at, endsAt: row.ends_at }, now),
				startsAt: row.starts_at,
				endsAt: row.ends_at
			}
		: undefined;
}

export interface WinnerPick {
	postId: number;
	rank: number;
	note: string;
}

export type AnnounceResult =
	| { ok: true; winners: number; notified: number }
	| { ok: false; reason: 'not_found' | 'forbidden' | 'not_closed' | 'already_announced' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors };

/** Field names of the winners form: a rank and a note per entry. */
export const rankField = (postId: number) => `rank_${postId}`;
export const noteField = (postId: number) => `note_${postId}`;

/**
 * Reads the winners form: `rank_<entry>` ('' for not a winner, else 1…MAX_WINNERS) and
 * `note_<entry>` for each entry of the challenge. Other fields are ignored.
 */
export function readWinnerPicks(
	form: FormData,
	entryIds: readonly number[]
): { ok: true; picks: WinnerPick[] } | { ok: false; errors: FieldErrors } {
	const picks: WinnerPick[] = [];
	const errors: FieldErrors = {};
	for (const postId of entryIds) {
		const rankValue = String(form.get(rankField(postId)) ?? '').trim();
		const note = String(form.get(noteField(postId)) ?? '').trim();
		if (rankValue === '') {
			continue;
		}
		const rank = /^\d{1,2}$/.test(rankValue) ? Number(rankValue) : NaN;
		if (!(rank >= 1 && rank <= MAX_WINNERS)) {
			errors[rankField(postId)] = m.challenges_error_rank({ max: MAX_WINNERS });
			continue;
		}
		picks.push({ postId, rank, note });
	}
	return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, picks };
}

/** Ranks 1…n with no gaps or repeats, a note for each, winners among the entries. */
function checkPicks(picks: readonly WinnerPick[], entryIds: ReadonlySet<number>): FieldErrors {
	const errors: FieldErrors = {};
	if (picks.length === 0) {
		errors.form = m.challenges_error_no_winner();
		return errors;
	}
	const seen = new Map<number, number>();
	for (const pick of picks) {
		if (!entryIds.has(pick.postId)) {
			errors.form = m.challenges_error_not_entry();
			continue;
		}
		if (!Number.isInteger(pick.rank) || pick.rank < 1 || pick.rank > MAX_WINNERS) {
			errors[rankField(pick.postId)] = m.challenges_error_rank({ max: MAX_WINNERS });
		} else if (seen.has(pick.rank)) {
			errors[rankField(pick.postId)] = m.challenges_error_rank_taken({ rank: pick.rank });
		} else {
			seen.set(pick.rank, pick.postId);
		}
		const note = pick.note.trim();
		if (note.length === 0) {
			errors[noteField(pick.postId)] = m.challenges_error_note_missing();
		} else if (note.length > WINNER_NOTE_MAX) {
			errors[noteField(pick.postId)] = m.challenges_error_note_long({ max: WINNER_NOTE_MAX });
		}
	}
	if (Object.keys(errors).length === 0) {
		const ranks = [...seen.keys()].sort((a, b) => a - b);
		if (ranks.some((rank, index) => rank !== index + 1)) {
			errors.form = m.challenges_error_rank_gap();
		}
	}
	return errors;
}

/**
 * Staff announce the winners of a closed challenge, once: in one transaction the challenge is
 * marked announced (a conditional update, so two concurrent announcements store one), the
 * winners are stored, each winner's author gets a `challenge_won` outcome in the ledger (points
 * and the badge come from it), and entrants and voters are notified.
 */
export async function announceWinners(
	db: Db,
	actor: Actor,
	challengeId: number,
	picks: readonly WinnerPick[],
	now = new Date()
): Promise<AnnounceResult> {
	const challenge = await loadChallengeFacts(db, challengeId);
	if (!challenge) {
		return { ok: false, reason: 'not_found' };
	}
	if (!canManageChallenges(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	if (challenge.announced) {
		return { ok: false, reason: 'already_announced' };
	}
	if (!canAnnounceWinners(actor, challenge, now)) {
		return { ok: false, reason: 'not_closed' };
	}
	return db
		.transaction()
		.execute(async (trx): Promise<AnnounceResult> => {
			const marked = await trx
				.updateTable('challenge')
				.set({ announced_at: now, announced_by_id: actor.id, updated_at: now })
				.where('id', '=', challengeId)
				.where('announced_at', 'is', null)
				.where('ends_at', '<=', now)
				.returning(['title'])
				.executeTakeFirst();
			if (!marked) {
				const again = await loadChallengeFacts(trx, challengeId);
				return { ok: false, reason: again?.announced ? 'already_announced' : 'not_closed' };
			}
			const entries = await trx
				.selectFrom('post')
				.select(['id', 'title', 'author_id', 'product_id'])
				.where('challenge_id', '=', challengeId)
				.where('kind', '=', 'idea')
				.where('deleted_at', 'is', null)
				.where('visibility', '=', 'visible')
				.execute();
			const errors = checkPicks(picks, new Set(entries.map((e) => e.id)));
			if (Object.keys(errors).length > 0) {
				// Nothing is kept: the announcement mark is undone with the rest.
				throw new InvalidPicks(errors);
			}
			const entryById = new Map(entries.map((e) => [e.id, e]));
			const ranked = [...picks].sort((a, b) => a.rank - b.rank);
			await trx
				.insertInto('challenge_winner')
				.values(
					ranked.map((pick) => ({
						challenge_id: challengeId,
						post_id: pick.postId,
						rank: pick.rank,
						note_source: pick.note.trim(),
						note_html: renderMarkdown(pick.note.trim())
					}))
				)
				.execute();
			for (const pick of ranked) {
				const entry = entryById.get(pick.postId)!;
				await recordActivity(trx, {
					userId: entry.author_id,
					kind: 'challenge_won',
					postId: entry.id,
					productId: entry.product_id,
					data: { challengeId, rank: pick.rank }
				});
			}
			const notified = await notifyWinners(trx, {
				challenge: { id: challengeId, title: marked.title },
				actorId: actor.id,
				winners: ranked.map((pick) => {
					const entry = entryById.get(pick.postId)!;
					return {
						rank: pick.rank,
						postId: entry.id,
						title: entry.title,
						authorId: entry.author_id
					};
				})
			});
			await recordAudit(trx, actor, {
				action: 'challenge.winners_announced',
				targetType: 'challenge',
				targetId: challengeId,
				details: { winners: ranked.map((p) => ({ postId: p.postId, rank: p.rank })) }
			});
			return { ok: true, winners: ranked.length, notified };
		})
		.catch((cause: unknown) => {
			if (cause instanceof InvalidPicks) {
				return { ok: false, reason: 'invalid', errors: cause.errors } as const;
			}
			throw cause;
		});
}

/** Rolls the announcement back when the picks do not hold (see announceWinners). */
class InvalidPicks extends Error {
	constructor(readonly errors: FieldErrors) {
		super('invalid winner picks');
	}
}

interface WinnersAnnounced {
	challenge: { id: number; title: string };
	actorId: number;
	winners: { rank: number; postId: number; title: string; authorId: number }[];
}

/**
 * Each winner hears that their entry won ('challenge_won', about their entry); everyone else who
 * entered or voted for an entry hears who won ('challenge_winners', about the first-placed entry).
 * The announcing staff member is told nothing. Returns how many were notified.
 */
async function notifyWinners(trx: Db, event: WinnersAnnounced): Promise<number> {
	const challenge = {
		id: event.challenge.id,
		title: event.challenge.title,
		path: challengePath(event.challenge)
	};
	const winners = event.winners.map((w) => ({ rank: w.rank, title: w.title }));
	const rows: NewNotification[] = [];
	const told = new Set<number>([event.actorId]);
	for (const winner of event.winners) {
		if (told.has(winner.authorId)) {
			continue;
		}
		told.add(winner.authorId);
		rows.push({
			userId: winner.authorId,
			kind: 'challenge_won',
			postId: winner.postId,
			commentId: null,
			actorId: event.actorId,
			data: { challenge, rank: winner.rank, winners }
		});
	}
	const people = await trx
		.selectFrom('post')
		.select('post.author_id as user_id')
		.where('post.challenge_id', '=', event.challenge.id)
		.where('post.deleted_at', 'is', null)
		.union(
			trx
				.selectFrom('vote')
				.innerJoin('post', 'post.id', 'vote.post_id')
				.select('vote.user_id')
				.where('post.challenge_id', '=', event.challenge.id)
				.where('post.deleted_at', 'is', null)
		)
		.execute();
	const first = event.winners[0]!;
	for (const { user_id: userId } of people) {
		if (told.has(userId)) {
			continue;
		}
		told.add(userId);
		rows.push({
			userId,
			kind: 'challenge_winners',
			postId: first.postId,
			commentId: null,
			actorId: event.actorId,
			data: { challenge, winners }
		});
	}
	await createNotifications(trx, rows);
	return rows.length;
}
