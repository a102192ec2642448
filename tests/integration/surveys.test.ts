// Surveys on both databases: when the NPS question is asked (meaningful activity, the interval,
// dismissal counted as asked, never to staff or the suspended), CSAT questions opened by a ship,
// an accepted answer and an official answer (once per member and post), answers stored with
// their ledger row, refused answers storing nothing (domain and page actions), concurrent
// answers and page loads asking once, and the staff view's figures worked out by hand.
import { isActionFailure, isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle, Db } from '$lib/server/db/index';
import { postComment } from '$lib/server/comments';
import { saveCategory } from '$lib/server/discussions/categories';
import { postReply, setAcceptedAnswer } from '$lib/server/discussions/replies';
import { startThread, threadSchema } from '$lib/server/discussions/threads';
import { postIdea } from '$lib/server/ideas';
import { changeIdeaStatus } from '$lib/server/ideas/status';
import type { Actor, UserActor } from '$lib/server/policy';
import {
	answerSurvey,
	currentSurveyCard,
	dismissSurvey,
	surveyAnswersOf
} from '$lib/server/surveys';
import { surveyFilters } from '$lib/server/surveys/filters';
import { listSurveyAnswers, surveyAnswersCsv, surveyResults } from '$lib/server/surveys/results';
import { castVote } from '$lib/server/votes';
import { createProduct, createUser } from '../helpers/factories';
import { backends, createTestDatabase } from '../helpers/test-db';
import { actions as surveyActions } from '../../src/routes/surveys/+page.server';
import { load as staffLoad } from '../../src/routes/staff/surveys/+page.server';

const app = vi.hoisted(() => ({ db: undefined as Db | undefined }));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => {
		if (!app.db) {
			throw new Error('no test database');
		}
		return app.db;
	}
}));

const DAY = 86_400_000;
const SITE = { siteName: 'Roundtable', rules: { intervalDays: 90, minAccountDays: 14 } };
const T0 = new Date('2026-03-01T12:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

type Outcome =
	| { kind: 'failure'; status: number; data: unknown }
	| { kind: 'redirect'; status: number; location: string }
	| { kind: 'error'; status: number }
	| { kind: 'returned'; value: unknown };

async function runAction(
	// Each route's actions take their own RequestEvent type: any of them is called the same way.
	action: (event: never) => unknown,
	actor: Actor,
	fields: Record<string, string>
): Promise<Outcome> {
	const url = new URL('http://localhost/surveys?/answer');
	const set: Record<string, string> = {};
	const event = {
		locals: { actor },
		params: {},
		url,
		cookies: {
			set: (name: string, value: string) => {
				set[name] = value;
			},
			get: () => undefined,
			delete: () => {}
		},
		request: new Request(url, { method: 'POST', body: new URLSearchParams(fields) })
	} as unknown as RequestEvent;
	try {
		const value = await action(event as never);
		if (isActionFailure(value)) {
			return { kind: 'failure', status: value.status, data: value.data };
		}
		return { kind: 'returned', value };
	} catch (thrown) {
		if (isRedirect(thrown)) {
			return { kind: 'redirect', status: thrown.status, location: thrown.location };
		}
		if (isHttpError(thrown)) {
			return { kind: 'error', status: thrown.status };
		}
		throw thrown;
	}
}

describe.each(backends)('surveys on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = () => handle.db;
	let staff: UserActor;
	let categoryId: number;

	beforeAll(async () => {
		// A pool of 20 so concurrent answers really run side by side on PostgreSQL.
		handle = await createTestDatabase(backend, 20);
		app.db = handle.db;
		staff = await createUser(db(), { role: 'staff' });
		const admin = await createUser(db(), { role: 'admin' });
		const saved = await saveCategory(db(), admin, {
			name: 'Questions',
			slug: 'questions',
			description: '',
			product: null,
			position: 0
		});
		if (!saved.ok) {
			throw new Error('could not create the category');
		}
		categoryId = saved.category.id;
	});
	afterAll(async () => {
		app.db = undefined;
		await handle?.close();
	});

	/** A member whose account was made `createdAt`, with `acts` participation acts in the ledger. */
	async function member(
		options: { createdAt?: Date; acts?: number; role?: UserActor['role'] } = {}
	): Promise<UserActor> {
		const person = await createUser(db(), { role: options.role ?? 'member' });
		await db()
			.updateTable('app_user')
			.set({ created_at: options.createdAt ?? at(-30) })
			.where('id', '=', person.id)
			.execute();
		for (let i = 0; i < (options.acts ?? 3); i++) {
			await db()
				.insertInto('activity')
				.values({ user_id: person.id, kind: i % 2 ? 'vote_cast' : 'comment_posted', data: '{}' })
				.execute();
		}
		return person;
	}

	const card = (actor: Actor, now: Date) => currentSurveyCard(db(), actor, { ...SITE, now });

	async function offers(userId: number) {
		return db()
			.selectFrom('survey_offer')
			.select(['id', 'kind', 'trigger', 'post_id', 'answered_at', 'dismissed_at'])
			.where('user_id', '=', userId)
			.orderBy('id')
			.execute();
	}

	async function stored(userId: number) {
		const [responses, acts] = await Promise.all([
			db()
				.selectFrom('survey_response')
				.select(['kind', 'score', 'reason', 'post_id'])
				.where('user_id', '=', userId)
				.orderBy('id')
				.execute(),
			db()
				.selectFrom('activity')
				.select(['data', 'post_id'])
				.where('user_id', '=', userId)
				.where('kind', '=', 'survey_answered')
				.orderBy('id')
				.execute()
		]);
		return { responses, acts };
	}

	async function newIdea(author: UserActor, title = 'Dark mode for the dashboard') {
		const product = await createProduct(db());
		const result = await postIdea(db(), author, {
			title,
			body: 'Our night shift reads the dashboards at 3 am and would like their eyes back.',
			product: product.id,
			tags: []
		});
		if (!result.ok) {
			throw new Error('could not post the idea');
		}
		return { id: result.id, productId: product.id };
	}

	async function ship(ideaId: number) {
		const done = await db()
			.selectFrom('idea_status')
			.select('id')
			.where('category', '=', 'done')
			.executeTakeFirstOrThrow();
		await db()
			.transaction()
			.execute((trx) => changeIdeaStatus(trx, staff, { ideaId, statusId: done.id }));
	}

	async function newQuestion(author: UserActor, question = true) {
		const result = await startThread(
			db(),
			author,
			threadSchema.parse({
				title: `How do I export a cohort? ${Math.random().toString(36).slice(2, 7)}`,
				body: 'I cannot find the button.',
				category: String(categoryId),
				question: question ? 'on' : undefined,
				pollQuestion: '',
				pollOptions: ''
			})
		);
		if (!result.ok) {
			throw new Error('thread refused');
		}
		return result.id;
	}

	describe('the NPS question', () => {
		it('is asked after meaningful activity, once per interval, and a dismissal counts as asked', async () => {
			const alice = await member();
			const first = await card(alice, T0);
			expect(first).toMatchObject({
				kind: 'nps',
				question: 'How likely are you to recommend Roundtable to a friend or colleague?',
				min: 0,
				max: 10,
				lowLabel: 'Not at all likely',
				highLabel: 'Extremely likely'
			});
			// Shown again on every page until answered or dismissed: still the same question.
			expect((await card(alice, at(1)))?.offerId).toBe(first!.offerId);
			expect(await dismissSurvey(db(), alice, { offerId: first!.offerId }, at(1))).toEqual({
				ok: true,
				kind: 'nps'
			});
			// Dismissed on day 1: not asked again until day 91 (90 days), then asked anew.
			expect(await card(alice, at(2))).toBeNull();
			expect(await card(alice, at(90.9))).toBeNull();
			const second = await card(alice, at(91));
			expect(second?.kind).toBe('nps');
			expect(second?.offerId).not.toBe(first!.offerId);
			expect(
				await answerSurvey(
					db(),
					alice,
					{ offerId: second!.offerId, score: 9, reason: ' Fast answers from the team. ' },
					at(92)
				)
			).toEqual({ ok: true, kind: 'nps' });
			expect(await card(alice, at(93))).toBeNull();
			expect(await card(alice, at(181))).toBeNull();
			expect((await card(alice, at(182)))?.kind).toBe('nps');
			expect(await stored(alice.id)).toEqual({
				responses: [
					{ kind: 'nps', score: 9, reason: 'Fast answers from the team.', post_id: null }
				],
				acts: [{ data: { kind: 'nps', score: 9 }, post_id: null }]
			});
			const rows = await offers(alice.id);
			expect(rows.map((o) => [o.answered_at !== null, o.dismissed_at !== null])).toEqual([
				[false, true],
				[true, false],
				[false, false]
			]);
		});

		it('waits for three acts and an account 14 days old', async () => {
			const twoActs = await member({ acts: 2 });
			expect(await card(twoActs, T0)).toBeNull();
			const young = await member({ createdAt: at(-13) });
			expect(await card(young, T0)).toBeNull();
			expect((await card(young, at(1)))?.kind).toBe('nps');
			expect(await offers(twoActs.id)).toEqual([]);
		});

		it('counts an NPS answer given without an offer (an import) as asked', async () => {
			const bob = await member();
			await db()
				.insertInto('survey_response')
				.values({ user_id: bob.id, kind: 'nps', score: 7, created_at: at(-10) })
				.execute();
			expect(await card(bob, T0)).toBeNull();
			expect((await card(bob, at(80)))?.kind).toBe('nps');
		});

		it('is never put to moderators, staff, admins or suspended members', async () => {
			for (const role of ['moderator', 'staff', 'admin'] as const) {
				const person = await member({ role });
				expect(await card(person, T0)).toBeNull();
				expect(await offers(person.id)).toEqual([]);
			}
			const suspended = { ...(await member()), suspendedUntil: at(5) };
			expect(await card(suspended, T0)).toBeNull();
			expect((await card(suspended, at(6)))?.kind).toBe('nps');
		});

		it('two pages loading at once ask once', async () => {
			const carol = await member();
			const cards = await Promise.all([card(carol, T0), card(carol, T0), card(carol, T0)]);
			expect(new Set(cards.map((c) => c?.offerId)).size).toBe(1);
			expect(await offers(carol.id)).toHaveLength(1);
		});

		it('two tabs answering at once store one answer', async () => {
			const dave = await member();
			const offer = (await card(dave, T0))!;
			const results = await Promise.all([
				answerSurvey(db(), dave, { offerId: offer.offerId, score: 10, reason: null }, at(1)),
				answerSurvey(db(), dave, { offerId: offer.offerId, score: 3, reason: null }, at(1)),
				dismissSurvey(db(), dave, { offerId: offer.offerId }, at(1))
			]);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			expect(results.filter((r) => !r.ok && r.reason === 'closed')).toHaveLength(2);
			const { responses, acts } = await stored(dave.id);
			expect(responses.length).toBe(acts.length);
			expect(responses.length).toBeLessThanOrEqual(1);
			expect(await card(dave, at(2))).toBeNull();
		});
	});

	describe('CSAT questions', () => {
		it('go to the voters (members only) when an idea ships, once per member and idea', async () => {
			const author = await member();
			const voter = await member();
			const staffVoter = await member({ role: 'staff' });
			const idea = await newIdea(author, 'Scheduled PDF reports');
			for (const person of [voter, staffVoter]) {
				expect((await castVote(db(), person, { postId: idea.id })).ok).toBe(true);
			}
			await ship(idea.id);
			const shipped = await card(voter, new Date());
			expect(shipped).toMatchObject({
				kind: 'csat',
				question: 'How satisfied are you with “Scheduled PDF reports”, now that it has shipped?',
				subject: { title: 'Scheduled PDF reports' },
				min: 1,
				max: 5
			});
			expect((await offers(author.id)).map((o) => o.trigger)).toEqual(['shipped']);
			expect(await offers(staffVoter.id)).toEqual([]);
			// Shipped again (moved back, then done): nobody is asked twice.
			await ship(idea.id);
			expect(await offers(voter.id)).toHaveLength(1);
			// A CSAT question comes before the NPS question, and the answer names the idea.
			expect(
				await answerSurvey(db(), voter, { offerId: shipped!.offerId, score: 4, reason: null })
			).toEqual({ ok: true, kind: 'csat' });
			const { responses, acts } = await stored(voter.id);
			expect(responses).toEqual([{ kind: 'csat', score: 4, reason: null, post_id: idea.id }]);
			expect(acts).toEqual([{ data: { kind: 'csat', score: 4 }, post_id: idea.id }]);
			expect((await card(voter, new Date()))?.kind).toBe('nps');
		});

		it('go to the asker when their question gets an accepted answer, not for their own answer', async () => {
			const asker = await member();
			const helper = await member();
			const own = await newQuestion(asker);
			const ownReply = await postReply(db(), asker, { postId: own, body: 'Found it myself.' });
			if (!ownReply.ok) {
				throw new Error('reply');
			}
			await setAcceptedAnswer(db(), asker, { postId: own, commentId: ownReply.id });
			expect(await offers(asker.id)).toEqual([]);

			const question = await newQuestion(asker);
			const reply = await postReply(db(), helper, { postId: question, body: 'Use the menu.' });
			if (!reply.ok) {
				throw new Error('reply');
			}
			await setAcceptedAnswer(db(), asker, { postId: question, commentId: reply.id });
			expect((await offers(asker.id)).map((o) => [o.trigger, o.post_id])).toEqual([
				['accepted_answer', question]
			]);
			const shown = await card(asker, new Date());
			expect(shown?.question).toMatch(/^How satisfied are you with the answer to “How do I export/);
		});

		it('go to the author when staff answer their question or idea officially, once per post', async () => {
			const asker = await member();
			const question = await newQuestion(asker);
			const talk = await newQuestion(asker, false);
			expect((await postReply(db(), staff, { postId: question, body: 'Menu, Export.' })).ok).toBe(
				true
			);
			expect((await postReply(db(), staff, { postId: question, body: 'Or press E.' })).ok).toBe(
				true
			);
			// A plain discussion is not a question: staff joining it asks nothing.
			expect((await postReply(db(), staff, { postId: talk, body: 'Thanks!' })).ok).toBe(true);
			const idea = await newIdea(asker, 'Keyboard shortcuts');
			expect(
				(await postComment(db(), staff, { postId: idea.id, body: 'Planned for May.' })).ok
			).toBe(true);
			// A member's comment is not an official answer.
			const other = await member();
			expect((await postComment(db(), other, { postId: idea.id, body: 'Yes please' })).ok).toBe(
				true
			);
			expect((await offers(asker.id)).map((o) => [o.trigger, o.post_id])).toEqual([
				['official_answer', question],
				['official_answer', idea.id]
			]);
			// The newest first.
			expect((await card(asker, new Date()))?.question).toBe(
				'How satisfied are you with our answer to your idea “Keyboard shortcuts”?'
			);
		});

		it('are not shown after 30 days, nor once the post is deleted', async () => {
			const asker = await member();
			const question = await newQuestion(asker);
			await postReply(db(), staff, { postId: question, body: 'Here you go.' });
			const [offer] = await offers(asker.id);
			await db()
				.updateTable('survey_offer')
				.set({ offered_at: at(0) })
				.where('id', '=', offer!.id)
				.execute();
			expect((await card(asker, at(29)))?.kind).toBe('csat');
			expect((await card(asker, at(30)))?.kind).toBe('nps');
			const later = await newQuestion(asker);
			await postReply(db(), staff, { postId: later, body: 'Sure.' });
			await db()
				.updateTable('post')
				.set({ deleted_at: new Date() })
				.where('id', '=', later)
				.execute();
			expect((await card(asker, new Date()))?.kind).toBe('nps');
		});
	});

	describe('the page actions', () => {
		it('refuse bad input with a message and a 4xx, storing nothing', async () => {
			const erin = await member();
			const other = await member();
			const offer = (await card(erin, T0))!;
			const answer = (actor: Actor, fields: Record<string, string>) =>
				runAction(surveyActions.answer, actor, { returnTo: '/ideas', ...fields });
			expect(await answer(erin, { offer: String(offer.offerId), score: '11' })).toMatchObject({
				kind: 'failure',
				status: 400,
				data: { message: 'Choose a score from 0 to 10.' }
			});
			expect(await answer(erin, { offer: String(offer.offerId), score: 'abc' })).toMatchObject({
				kind: 'failure',
				status: 400,
				data: { message: 'Choose a score from the scale.' }
			});
			expect(await answer(erin, { offer: String(offer.offerId) })).toMatchObject({
				kind: 'failure',
				status: 400,
				data: { message: 'Choose a score.' }
			});
			expect(
				await answer(erin, { offer: String(offer.offerId), score: '5', reason: 'x'.repeat(1001) })
			).toMatchObject({ kind: 'failure', status: 400 });
			expect(await answer(other, { offer: String(offer.offerId), score: '5' })).toMatchObject({
				kind: 'failure',
				status: 403,
				data: { message: 'This question was not put to you.' }
			});
			expect(await answer(erin, { offer: '999999999', score: '5' })).toMatchObject({
				kind: 'failure',
				status: 404
			});
			expect(await stored(erin.id)).toEqual({ responses: [], acts: [] });

			// A good answer goes back to the page it came from; a second one is refused.
			expect(
				await answer(erin, { offer: String(offer.offerId), score: '8', reason: 'Good' })
			).toEqual({ kind: 'redirect', status: 303, location: '/ideas' });
			expect(await answer(erin, { offer: String(offer.offerId), score: '9' })).toMatchObject({
				kind: 'failure',
				status: 409,
				data: { message: 'This question was already answered or dismissed.' }
			});
			expect((await stored(erin.id)).responses).toEqual([
				{ kind: 'nps', score: 8, reason: 'Good', post_id: null }
			]);
		});

		it('send the member back only to a page on this site', async () => {
			for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\t/evil.example']) {
				const frank = await member();
				const offer = (await card(frank, T0))!;
				expect(
					await runAction(surveyActions.dismiss, frank, { offer: String(offer.offerId), returnTo })
				).toEqual({ kind: 'redirect', status: 303, location: '/' });
			}
		});
	});

	describe('the staff view', () => {
		it('works out NPS, CSAT and the answers by hand, with filters and CSV', async () => {
			const company = await db()
				.insertInto('company')
				.values({ name: 'Survey Co', slug: `survey-co-${backend}` })
				.returning('id')
				.executeTakeFirstOrThrow();
			const people = await Promise.all(Array.from({ length: 5 }, () => member()));
			await db()
				.updateTable('app_user')
				.set({ company_id: company.id })
				.where(
					'id',
					'in',
					people.map((p) => p.id)
				)
				.execute();
			const idea = await newIdea(people[0]!, 'Survey idea');
			const respond = (
				i: number,
				kind: 'nps' | 'csat',
				score: number,
				day: string,
				reason: string | null = null
			) =>
				db()
					.insertInto('survey_response')
					.values({
						user_id: people[i]!.id,
						kind,
						score,
						reason,
						post_id: kind === 'csat' ? idea.id : null,
						created_at: new Date(`2030-${day}T10:00:00Z`)
					})
					.execute();
			// NPS in Jan–Feb 2030: person 0 answered 2 then 10 (latest counts), 1 → 9, 2 → 7, 3 → 4.
			// Promoters 2 (0, 1), passives 1, detractors 1: NPS = (2 − 1) / 4 = +25.
			await respond(0, 'nps', 2, '01-05');
			await respond(0, 'nps', 10, '02-10', 'Love the roadmap');
			await respond(1, 'nps', 9, '01-20');
			await respond(2, 'nps', 7, '02-01');
			await respond(3, 'nps', 4, '02-15', 'Too slow');
			// Outside the range: not counted.
			await respond(4, 'nps', 0, '03-02');
			// CSAT: 5, 4, 2 → 2 of 3 satisfied = 66.7%.
			await respond(1, 'csat', 5, '01-21');
			await respond(2, 'csat', 4, '02-02');
			await respond(3, 'csat', 2, '02-16', 'Took months');

			const url = new URL(
				`http://localhost/staff/surveys?from=2030-01-01&to=2030-02-28&company=survey-co-${backend}`
			);
			const filters = surveyFilters(url);
			const results = await surveyResults(db(), filters);
			expect(results.nps).toEqual({
				nps: 25,
				responses: 4,
				promoters: 2,
				passives: 1,
				detractors: 1
			});
			expect(results.csat).toEqual({ csat: 66.7, responses: 3, satisfied: 2 });
			expect(results.total).toBe(8);
			// January: person 0 → 2, person 1 → 9: (1 − 1) / 2 = 0; CSAT 1 of 1. February: 10, 7, 4
			// → (1 − 1) / 3 = 0; CSAT 1 of 2 = 50%.
			expect(results.months.map((m) => [m.month, m.nps.nps, m.nps.responses, m.csat.csat])).toEqual(
				[
					['2030-01', 0, 2, 100],
					['2030-02', 0, 3, 50]
				]
			);

			const detractors = await listSurveyAnswers(db(), { ...filters, group: 'detractor' });
			expect(detractors.map((a) => a.score)).toEqual([4, 2]);
			const withReasons = await listSurveyAnswers(db(), { ...filters, withReason: true });
			expect(withReasons.map((a) => a.reason)).toEqual([
				'Took months',
				'Too slow',
				'Love the roadmap'
			]);
			const product = await db()
				.selectFrom('product')
				.select('slug')
				.where('id', '=', idea.productId)
				.executeTakeFirstOrThrow();
			const csatForProduct = await listSurveyAnswers(db(), { ...filters, product: product.slug });
			expect(csatForProduct.map((a) => [a.kind, a.score, a.about?.title])).toEqual([
				['csat', 2, 'Survey idea'],
				['csat', 4, 'Survey idea'],
				['csat', 5, 'Survey idea']
			]);
			const csv = surveyAnswersCsv(withReasons, 'https://rt.example');
			expect(csv.split('\r\n')[1]).toContain(
				`,csat,2,dissatisfied,Took months,${people[3]!.displayName},${people[3]!.handle},https://rt.example/staff/customers/${people[3]!.handle},Survey Co,`
			);

			// The page: staff see it; members do not.
			const page = (await staffLoad({
				locals: { actor: staff },
				url
			} as unknown as Parameters<typeof staffLoad>[0])) as { results: { nps: { nps: number } } };
			expect(page.results.nps.nps).toBe(25);
			await expect(
				staffLoad({ locals: { actor: people[0] }, url } as unknown as Parameters<
					typeof staffLoad
				>[0])
			).rejects.toMatchObject({ status: 403 });
		});

		it("lists a member's own answers for their export", async () => {
			const gina = await member();
			const offer = (await card(gina, T0))!;
			await answerSurvey(db(), gina, { offerId: offer.offerId, score: 6, reason: 'Meh' }, at(1));
			const answers = await surveyAnswersOf(db(), gina.id);
			expect(answers).toEqual([
				{ kind: 'nps', score: 6, reason: 'Meh', createdAt: at(1), post: null }
			]);
			const count = await db()
				.selectFrom('survey_response')
				.select(sql<number>`count(*)`.as('n'))
				.executeTakeFirstOrThrow();
			expect(Number(count.n)).toBeGreaterThan(answers.length);
		});
	});
});
