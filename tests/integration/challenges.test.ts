// Challenges on both databases: staff open them (validated, nothing stored on bad input), members
// enter ideas only while one is open (through the one idea-posting code, on the site and the
// API), votes on entries close with the challenge, and announcing winners is once: their points
// and badge come from the ledger exactly once, and entrants and voters are notified.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db, DatabaseHandle } from '$lib/server/db';
import {
	announceWinners,
	challengeSchema,
	createChallenge,
	getChallenge,
	listChallenges,
	updateChallenge,
	type ChallengeInput
} from '$lib/server/challenges';
import { memberPoints } from '$lib/server/customers/points';
import { sendNotificationEmail } from '$lib/server/email/mailer';
import { postIdea } from '$lib/server/ideas';
import { listNotifications, openNotification } from '$lib/server/notifications';
import type { UserActor } from '$lib/server/policy';
import { voteOnBehalf } from '$lib/server/triage';
import { castVote, removeVote } from '$lib/server/votes';
import { createProduct, createUser } from '../helpers/factories';
import { apiCaller, tokenFor } from '../helpers/api';
import { backends, createTestDatabase, useTestDatabase } from '../helpers/test-db';
import { seedDemo } from '$lib/server/seed/demo';

// Domain code that reaches for the app's database (notifications, mail) gets the test one.
const app = vi.hoisted(() => ({
	db: undefined as Db | undefined,
	handle: undefined as DatabaseHandle | undefined
}));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => app.db!,
	getDatabase: () => app.handle!
}));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The form's `datetime-local` value for a moment `offset` ms from now (UTC, to the minute). */
const utcField = (offset: number) => new Date(Date.now() + offset).toISOString().slice(0, 16);

describe.each(backends)('challenges on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = () => handle.db;
	let staff: UserActor;
	let member: UserActor;
	let voter: UserActor;
	let product: { id: number; name: string };
	let other: { id: number; name: string };

	beforeAll(async () => {
		handle = await createTestDatabase(backend);
		app.db = handle.db;
		app.handle = handle;
		staff = await createUser(db(), { role: 'staff' });
		member = await createUser(db(), { displayName: 'Mia Member' });
		voter = await createUser(db(), { displayName: 'Vic Voter' });
		product = await createProduct(db(), { name: 'Onboarding' });
		other = await createProduct(db(), { name: 'Billing' });
	});
	afterAll(async () => {
		app.db = undefined;
		app.handle = undefined;
		await handle?.close();
	});

	function input(over: Record<string, string> = {}) {
		return challengeSchema.safeParse({
			title: 'How should onboarding work?',
			description: 'Tell us about **your** first week.',
			product: String(product.id),
			starts_at: utcField(-HOUR),
			ends_at: utcField(DAY),
			prizes: 'A year of Pro',
			...over
		});
	}

	async function open(over: Record<string, string> = {}): Promise<number> {
		const parsed = input(over);
		if (!parsed.success) {
			throw new Error(JSON.stringify(parsed.error.issues));
		}
		const result = await createChallenge(db(), staff, parsed.data);
		if (!result.ok) {
			throw new Error(JSON.stringify(result));
		}
		return result.id;
	}

	/** Closes a challenge as staff would, by moving its end into the past. */
	async function close(id: number): Promise<void> {
		await db()
			.updateTable('challenge')
			.set({ starts_at: new Date(Date.now() - 2 * DAY), ends_at: new Date(Date.now() - HOUR) })
			.where('id', '=', id)
			.execute();
	}

	async function enter(
		author: UserActor,
		challenge: number,
		title: string,
		productId = product.id
	) {
		return postIdea(db(), author, {
			title,
			body: 'A checklist that follows me around until I am set up.',
			product: productId,
			tags: [],
			challenge
		});
	}

	async function countChallenges() {
		const row = await db()
			.selectFrom('challenge')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}

	describe('opening a challenge', () => {
		it('gives one message per bad field and stores nothing', async () => {
			const before = await countChallenges();
			const backwards = input({ starts_at: utcField(DAY), ends_at: utcField(HOUR) });
			expect(backwards.success).toBe(false);
			expect(backwards.error!.issues.map((i) => [i.path[0], i.message])).toEqual([
				['ends_at', 'The end must be after the start.']
			]);
			const bad = input({ title: 'Hm', starts_at: 'next week', ends_at: '', product: '' });
			expect(bad.success).toBe(false);
			const fields = Object.fromEntries(bad.error!.issues.map((i) => [i.path[0], i.message]));
			expect(fields).toMatchObject({
				title: 'Use at least 5 characters for the question.',
				starts_at: 'Give a date and time like 2026-12-01T09:00 (UTC).',
				ends_at: 'Give the end date and time (UTC).',
				product: 'Choose a product.'
			});
			const unknown = await createChallenge(db(), staff, {
				...(input().data as ChallengeInput),
				product: 999_999
			});
			expect(unknown).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { product: 'Choose a product.' }
			});
			expect(await createChallenge(db(), member, input().data as ChallengeInput)).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await countChallenges()).toBe(before);
		});

		it('stores the question, renders its markdown once and lists it', async () => {
			const id = await open({ title: 'What slows your first week down?' });
			const detail = await getChallenge(db(), id);
			expect(detail).toMatchObject({
				title: 'What slows your first week down?',
				state: 'open',
				product: { name: 'Onboarding' },
				announced: false,
				entries: [],
				winners: []
			});
			expect(detail!.descriptionHtml).toContain('<strong>your</strong>');
			expect(detail!.prizesHtml).toContain('A year of Pro');
			const list = await listChallenges(db());
			expect(list.find((c) => c.id === id)).toMatchObject({ state: 'open', entryCount: 0 });
		});

		it('sorts open before upcoming before closed', async () => {
			const upcoming = await open({ starts_at: utcField(2 * DAY), ends_at: utcField(3 * DAY) });
			const closed = await open();
			await close(closed);
			const openNow = await open({ ends_at: utcField(2 * HOUR) });
			const ids = (await listChallenges(db())).map((c) => c.id);
			expect(ids.indexOf(openNow)).toBeLessThan(ids.indexOf(upcoming));
			expect(ids.indexOf(upcoming)).toBeLessThan(ids.indexOf(closed));
		});
	});

	describe('entering ideas', () => {
		it('takes an entry while open: an ordinary idea with its challenge', async () => {
			const id = await open();
			const result = await enter(member, id, 'A setup checklist');
			expect(result.ok).toBe(true);
			const post = await db()
				.selectFrom('post')
				.select(['challenge_id', 'vote_count'])
				.where('id', '=', result.ok ? result.id : 0)
				.executeTakeFirstOrThrow();
			expect(post).toEqual({ challenge_id: id, vote_count: 1 });
			const detail = await getChallenge(db(), id);
			expect(detail!.entries.map((e) => [e.title, e.voteCount, e.status.category])).toEqual([
				['A setup checklist', 1, 'open']
			]);
		});

		it('refuses entries before the start, after the end, on another product, or to no challenge', async () => {
			const upcoming = await open({ starts_at: utcField(DAY), ends_at: utcField(2 * DAY) });
			const closed = await open();
			await close(closed);
			const openNow = await open();
			const posts = async () =>
				Number(
					(
						await db()
							.selectFrom('post')
							.select((eb) => eb.fn.countAll<number>().as('n'))
							.executeTakeFirstOrThrow()
					).n
				);
			const before = await posts();
			const early = await enter(member, upcoming, 'Too early an idea');
			expect(early).toMatchObject({ ok: false, reason: 'invalid' });
			expect(early.ok || early.reason !== 'invalid' ? '' : early.errors.challenge).toMatch(
				/^This challenge opens on .* it takes entries from then\.$/
			);
			const late = await enter(member, closed, 'Too late an idea');
			expect(late.ok || late.reason !== 'invalid' ? '' : late.errors.challenge).toMatch(
				/^This challenge closed on .* it takes no more entries\.$/
			);
			const elsewhere = await enter(member, openNow, 'Wrong product idea', other.id);
			expect(elsewhere.ok || elsewhere.reason !== 'invalid' ? '' : elsewhere.errors.product).toBe(
				'Entries to this challenge are about Onboarding: choose that product.'
			);
			const nowhere = await enter(member, 999_999, 'No such challenge idea');
			expect(nowhere.ok || nowhere.reason !== 'invalid' ? '' : nowhere.errors.challenge).toBe(
				'There is no such challenge.'
			);
			expect(await posts()).toBe(before);
		});

		it('refuses the API’s createIdea into a closed challenge with 422, storing nothing', async () => {
			const closed = await open();
			await close(closed);
			const api = apiCaller(() => handle, { token: await tokenFor(() => handle, member) });
			const refused = await api.op('createIdea', {
				body: {
					title: 'Through the API',
					body: 'Late, but by machine.',
					product: product.id,
					challenge: closed
				}
			});
			expect(refused.status).toBe(422);
			expect(refused.body.error.fields.challenge).toMatch(/it takes no more entries/);
			const openNow = await open();
			const created = await api.op('createIdea', {
				body: {
					title: 'Through the API',
					body: 'On time.',
					product: product.id,
					challenge: openNow
				}
			});
			expect(created.status).toBe(201);
			expect((await getChallenge(db(), openNow))!.entries).toHaveLength(1);
			expect((await getChallenge(db(), closed))!.entries).toHaveLength(0);
		});

		it('keeps an entry on its challenge’s product and a challenge with entries on its product', async () => {
			const id = await open();
			await enter(member, id, 'Product bound entry');
			const parsed = input({ product: String(other.id) }).data as ChallengeInput;
			const moved = await updateChallenge(db(), staff, id, parsed);
			expect(moved).toMatchObject({ ok: false, reason: 'invalid' });
			expect((await getChallenge(db(), id))!.product.name).toBe('Onboarding');
		});
	});

	describe('votes on entries', () => {
		it('are taken while open and refused after the end, through every path', async () => {
			const id = await open();
			const entry = await enter(member, id, 'Vote while you can');
			if (!entry.ok) {
				throw new Error('entry');
			}
			expect(await castVote(db(), voter, { postId: entry.id })).toEqual({
				ok: true,
				changed: true
			});
			await close(id);
			const late = await createUser(db());
			expect(await castVote(db(), late, { postId: entry.id })).toEqual({
				ok: false,
				reason: 'challenge_closed'
			});
			expect(await removeVote(db(), voter, { postId: entry.id })).toEqual({
				ok: false,
				reason: 'challenge_closed'
			});
			const behalf = await voteOnBehalf(db(), staff, {
				postId: entry.id,
				memberId: late.id,
				importance: null
			});
			expect(behalf).toMatchObject({ ok: false, reason: 'invalid' });
			const api = apiCaller(() => handle, { token: await tokenFor(() => handle, late) });
			const refused = await api.op('voteForIdea', { params: { id: entry.id }, body: {} });
			expect(refused.status).toBe(409);
			expect(refused.body.error.message).toMatch(/challenge that is not open/);
			const detail = await getChallenge(db(), id);
			expect(detail!.entries[0]!.voteCount).toBe(2);
			const rows = await db()
				.selectFrom('vote')
				.select('user_id')
				.where('post_id', '=', entry.id)
				.execute();
			expect(rows.map((r) => r.user_id).sort()).toEqual([member.id, voter.id].sort());
		});
	});

	describe('winners', () => {
		let id: number;
		let first: number;
		let second: number;
		let runnerUp: UserActor;
		let bystander: UserActor;

		beforeAll(async () => {
			runnerUp = await createUser(db(), { displayName: 'Rae Runner' });
			bystander = await createUser(db());
			id = await open({ title: 'Name the setup assistant' });
			const a = await enter(member, id, 'Call it Compass');
			const b = await enter(runnerUp, id, 'Call it Sherpa');
			const c = await enter(bystander, id, 'Call it Setup');
			if (!a.ok || !b.ok || !c.ok) {
				throw new Error('entries');
			}
			first = a.id;
			second = b.id;
			await castVote(db(), voter, { postId: first });
		});

		async function ledger() {
			return db()
				.selectFrom('activity')
				.select(['user_id', 'post_id', 'data'])
				.where('kind', '=', 'challenge_won')
				.where('post_id', 'in', [first, second])
				.orderBy('post_id')
				.execute();
		}

		it('cannot be announced while the challenge is open', async () => {
			expect(
				await announceWinners(db(), staff, id, [{ postId: first, rank: 1, note: 'Lovely.' }])
			).toEqual({ ok: false, reason: 'not_closed' });
		});

		it('refuses bad picks with a message each and keeps nothing', async () => {
			await close(id);
			const gap = await announceWinners(db(), staff, id, [
				{ postId: first, rank: 1, note: 'Great.' },
				{ postId: second, rank: 3, note: 'Good.' }
			]);
			expect(gap).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { form: 'Give the places in order from 1, without gaps.' }
			});
			const twice = await announceWinners(db(), staff, id, [
				{ postId: first, rank: 1, note: 'Great.' },
				{ postId: second, rank: 1, note: '' }
			]);
			expect(twice).toEqual({
				ok: false,
				reason: 'invalid',
				errors: {
					[`rank_${second}`]: 'Another entry already has place 1.',
					[`note_${second}`]: 'Write a note for the winner: it is shown with the entry.'
				}
			});
			expect(await announceWinners(db(), staff, id, [])).toMatchObject({
				errors: { form: 'Pick at least one winner.' }
			});
			expect(
				await announceWinners(db(), member, id, [{ postId: first, rank: 1, note: 'Me!' }])
			).toEqual({ ok: false, reason: 'forbidden' });
			const challenge = await db()
				.selectFrom('challenge')
				.select('announced_at')
				.where('id', '=', id)
				.executeTakeFirstOrThrow();
			expect(challenge.announced_at).toBeNull();
			expect(await ledger()).toEqual([]);
		});

		it('stores ranked winners, with points and the badge from the ledger, once', async () => {
			const before = (await memberPoints(db(), member.id)).allTime.score;
			// Two announcements at once (staff double-clicking): one stores, the other is refused.
			const picks = [
				{ postId: second, rank: 2, note: 'A close second.' },
				{ postId: first, rank: 1, note: 'Simple and **warm**.' }
			];
			const results = await Promise.all([
				announceWinners(db(), staff, id, picks),
				announceWinners(db(), staff, id, picks)
			]);
			expect(results.filter((r) => r.ok)).toEqual([{ ok: true, winners: 2, notified: 4 }]);
			expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: 'already_announced' });
			const detail = await getChallenge(db(), id);
			expect(detail!.announced).toBe(true);
			expect(detail!.winners.map((w) => [w.rank, w.entry.title])).toEqual([
				[1, 'Call it Compass'],
				[2, 'Call it Sherpa']
			]);
			expect(detail!.winners[0]!.noteHtml).toContain('<strong>warm</strong>');
			const rows = await ledger();
			expect(rows.map((r) => [r.user_id, r.post_id, r.data])).toEqual([
				[member.id, first, { challengeId: id, rank: 1 }],
				[runnerUp.id, second, { challengeId: id, rank: 2 }]
			]);
			const points = await memberPoints(db(), member.id);
			expect(points.allTime.score - before).toBe(100);
			expect(points.badges.map((b) => b.name)).toContain('Challenge winner');
			expect((await memberPoints(db(), bystander.id)).badges.map((b) => b.name)).not.toContain(
				'Challenge winner'
			);
		});

		it('is final: another announcement and edits are refused, points unchanged', async () => {
			const points = (await memberPoints(db(), member.id)).allTime.score;
			expect(
				await announceWinners(db(), staff, id, [{ postId: first, rank: 1, note: 'Again.' }])
			).toEqual({ ok: false, reason: 'already_announced' });
			const edit = await updateChallenge(db(), staff, id, input().data as ChallengeInput);
			expect(edit).toEqual({ ok: false, reason: 'forbidden' });
			expect((await memberPoints(db(), member.id)).allTime.score).toBe(points);
			expect(await ledger()).toHaveLength(2);
		});

		it('tells winners, other entrants and voters, never the staff member who announced', async () => {
			const detail = (await getChallenge(db(), id))!;
			const top = detail.winners[0]!;
			const kinds = async (user: UserActor) =>
				(await listNotifications(db(), user.id)).items
					.filter((n) => n.kind === 'challenge_won' || n.kind === 'challenge_winners')
					.map((n) => n.summary);
			expect(await kinds(member)).toEqual([
				`Your idea “${top.entry.title}” won place 1 in the challenge “Name the setup assistant”`
			]);
			const told = `The winners of the challenge “Name the setup assistant” are announced: first place went to “${top.entry.title}”`;
			expect(await kinds(bystander)).toEqual([told]);
			expect(await kinds(voter)).toEqual([told]);
			expect(await kinds(staff)).toEqual([]);
			const [note] = (await listNotifications(db(), voter.id)).items.filter(
				(n) => n.kind === 'challenge_winners'
			);
			expect(await openNotification(db(), voter.id, note!.id)).toBe(`/challenges/${id}`);
		});

		it('mails the news too, linking to the challenge', async () => {
			const [won] = (await listNotifications(db(), member.id)).items.filter(
				(n) => n.kind === 'challenge_won'
			);
			expect(await sendNotificationEmail(db(), won!.id)).toBe('sent');
			const mail = await db()
				.selectFrom('mail_outbox')
				.select(['subject', 'text_body'])
				.where('recipient', '=', member.email)
				.orderBy('id', 'desc')
				.executeTakeFirstOrThrow();
			expect(mail.subject).toBe('You won place 1 in the challenge “Name the setup assistant”');
			expect(mail.text_body).toContain(`/challenges/${id}`);
		});
	});
});

describe.each(backends)('demo challenges on %s', (backend) => {
	const t = useTestDatabase(backend);

	beforeAll(async () => {
		expect((await seedDemo(t.db, { password: () => 'demo-password-for-tests' })).seeded).toBe(true);
	});

	it('seeds one open challenge taking entries and one closed with ranked winners who scored', async () => {
		const list = await listChallenges(t.db);
		expect(list.map((c) => [c.state, c.announced])).toEqual([
			['open', false],
			['closed', true]
		]);
		const closed = (await getChallenge(t.db, list[1]!.id))!;
		expect(closed.winners.map((w) => [w.rank, w.entry.title])).toEqual([
			[1, 'Offline mode for field technicians'],
			[2, 'Larger text support']
		]);
		// The shipped runner-up shows what became of it.
		expect(closed.winners[1]!.entry.status.category).toBe('done');
		expect(closed.winners[1]!.entry.shippedAt).toBeInstanceOf(Date);
		const author = await t.db
			.selectFrom('post')
			.select('author_id')
			.where('id', '=', closed.winners[0]!.entry.id)
			.executeTakeFirstOrThrow();
		const points = await memberPoints(t.db, author.author_id);
		expect(points.counts.challengesWon).toBe(1);
		expect(points.badges.map((b) => b.name)).toContain('Challenge winner');
		expect((await getChallenge(t.db, list[0]!.id))!.entries).toHaveLength(1);
	});
});
