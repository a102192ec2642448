// The staff API on customers and companies, on both databases, through the router: the numbers
// worked out by hand from real acts (an idea shipped, a referral, NPS answers, reviews, votes),
// the tier from the admins' thresholds, the directory's filters and orders page by page against
// the staff page's own list, and who is refused. The api helper checks every answer against the
// OpenAPI document.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db, DatabaseHandle } from '$lib/server/db';
import { listCustomers as directoryPage } from '$lib/server/customers/directory';
import { creditReferral, ensureReferralCode } from '$lib/server/customers/referrals';
import { timelineOf } from '$lib/server/customers/timeline';
import { postIdea } from '$lib/server/ideas';
import {
	DEFAULT_SETTINGS,
	getTierThresholds,
	saveSiteSettings
} from '$lib/server/moderation/settings';
import type { UserActor } from '$lib/server/policy';
import { writeReview } from '$lib/server/reviews';
import { setRoadmapStatus } from '$lib/server/roadmap';
import { castVote } from '$lib/server/votes';
import { encodeApiCursor } from '$lib/server/api/cursor';
import { createProduct, createUser } from '../helpers/factories';
import { backends, createTestDatabase } from '../helpers/test-db';
import { apiCaller, tokenFor, type ApiCaller } from '../helpers/api';

const app = vi.hoisted(() => ({
	db: undefined as Db | undefined,
	handle: undefined as DatabaseHandle | undefined
}));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => app.db!,
	getDatabase: () => app.handle!
}));

const DAY = 24 * 60 * 60 * 1000;

describe.each(backends)('the staff customer API on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = () => handle.db;
	const h = () => handle;
	let admin: UserActor;
	let staff: UserActor;
	let cora: UserActor;
	let dan: UserActor;
	let outsider: UserActor;
	let newcomer: UserActor;
	let member: UserActor;
	let product: { id: number; slug: string; name: string };
	let shippedIdea: number;
	let openIdea: number;
	let api: ApiCaller;
	const slug = `northwind-${backend}`;

	async function idea(author: UserActor, title: string) {
		const result = await postIdea(db(), author, {
			title,
			body: `All about ${title}.`,
			product: product.id,
			tags: []
		});
		if (!result.ok) {
			throw new Error('idea');
		}
		return result.id;
	}

	async function review(author: UserActor, rating: 4 | 5) {
		const written = await writeReview(db(), author, product.id, {
			rating,
			title: `Rated ${rating}`,
			body: 'A long enough review body for the minimum length.',
			review: null
		});
		expect(written).toMatchObject({ ok: true });
	}

	async function nps(userId: number, score: number, daysAgo: number) {
		await db()
			.insertInto('survey_response')
			.values({
				user_id: userId,
				kind: 'nps',
				score,
				reason: score >= 9 ? 'It saves us hours.' : null,
				created_at: new Date(Date.now() - daysAgo * DAY)
			})
			.execute();
	}

	beforeAll(async () => {
		handle = await createTestDatabase(backend);
		app.db = handle.db;
		app.handle = handle;
		admin = await createUser(db(), { role: 'admin' });
		staff = await createUser(db(), { role: 'staff' });
		product = await createProduct(db(), { name: 'Analytics' });
		// Gold from 1,000 a month here: Northwind's 1,500 is gold, where the defaults say iron.
		await saveSiteSettings(db(), admin, {
			...DEFAULT_SETTINGS,
			tierPlatinum: 4_000,
			tierGold: 1_000,
			tierIron: 200
		});
		const company = await db()
			.insertInto('company')
			.values({ name: 'Northwind', slug, mrr: 1_500, plan: 'Growth', email_domain: null })
			.returning('id')
			.executeTakeFirstOrThrow();
		cora = await createUser(db(), { handle: `Cora_${backend}`, displayName: 'Cora Customer' });
		dan = await createUser(db(), { handle: `dan_${backend}`, displayName: 'Dan Dealer' });
		outsider = await createUser(db(), { displayName: 'Olga Outsider' });
		member = await createUser(db(), { displayName: 'Mia Member' });
		await db()
			.updateTable('app_user')
			.set({ company_id: company.id })
			.where('id', 'in', [cora.id, dan.id])
			.execute();

		// Cora: one idea that ships, one person who joins through her link, a review, NPS 7.
		shippedIdea = await idea(cora, 'Scheduled PDF exports');
		// Dan votes for it while voting is open (a shipped idea takes no votes).
		expect(await castVote(db(), dan, { postId: shippedIdea })).toMatchObject({ ok: true });
		const shipped = await db()
			.selectFrom('idea_status')
			.select('id')
			.where('slug', '=', 'shipped')
			.executeTakeFirstOrThrow();
		expect(
			await setRoadmapStatus(db(), staff, { ideaId: shippedIdea, statusId: shipped.id })
		).toMatchObject({ ok: true });
		newcomer = await createUser(db(), { displayName: 'Nina Newcomer' });
		expect(await creditReferral(db(), newcomer.id, await ensureReferralCode(db(), cora.id))).toBe(
			cora.id
		);
		await review(cora, 5);
		await nps(cora.id, 3, 120);
		await nps(cora.id, 7, 5);
		// Dan: votes for an outsider's open idea, reviews, answers NPS 10.
		openIdea = await idea(outsider, 'Fiscal year starting in April');
		expect(await castVote(db(), dan, { postId: openIdea })).toMatchObject({ ok: true });
		await review(dan, 4);
		await nps(dan.id, 10, 1);

		api = apiCaller(h, { token: await tokenFor(h, staff, ['read', 'staff']) });
	});
	afterAll(async () => {
		app.db = undefined;
		app.handle = undefined;
		await handle?.close();
	});

	describe('one customer', () => {
		it('has the figures of the staff page: 1 shipped idea ×10 + 1 referral ×15 = advocacy 25', async () => {
			// Any letter case finds her; the answer spells the handle as she does.
			const answer = await api.op('getCustomer', { params: { handle: `cora_${backend}` } });
			expect(answer.status).toBe(200);
			const c = answer.body.data;
			expect(c).toMatchObject({
				handle: `Cora_${backend}`,
				display_name: 'Cora Customer',
				email: `cora_${backend}@example.com`,
				role: 'member',
				url: `/staff/customers/Cora_${backend}`,
				profile_url: `/people/Cora_${backend}`,
				referred_by: null,
				company: {
					id: expect.any(Number),
					name: 'Northwind',
					slug,
					url: `/staff/companies/${slug}`,
					plan: 'Growth',
					value: 1500,
					tier: 'gold'
				}
			});
			// 1 idea (and her own vote on it, cast on posting), 1 review, all today.
			expect(c.participation).toEqual({
				ideas: 1,
				votes: 1,
				comments: 0,
				reviews: 1,
				discussions: 0,
				replies: 0,
				helpful_received: 0,
				accepted_answers: 0,
				ideas_shipped: 1,
				active_days_30: 1,
				active_days_90: 1
			});
			// Her latest NPS is 7, a passive: no promoter bonus (the earlier 3 no longer counts).
			expect(c.advocacy.score).toBe(25);
			expect(
				c.advocacy.breakdown.map((l: { key: string; count: number; points: number }) => [
					l.key,
					l.count,
					l.points
				])
			).toEqual([
				['ideasShipped', 1, 10],
				['helpfulVotes', 0, 0],
				['acceptedAnswers', 0, 0],
				['referrals', 1, 15],
				['challengesWon', 0, 0],
				['promoter', 0, 0]
			]);
			// Points: 1 × 50 + 1 × 25 = 75, all this month; one badge.
			expect(c.points).toEqual({ all_time: 75, this_month: 75 });
			expect(c.badges).toEqual([
				{ key: 'shipped_it', name: 'Shipped it', criterion: 'One of your ideas shipped.' }
			]);
			expect(c.latest_nps).toMatchObject({ score: 7, reason: null });
			expect(Date.parse(c.latest_nps.answered_at)).toBeLessThan(Date.now() - 4 * DAY);
			expect(Date.now() - Date.parse(c.last_active_at)).toBeLessThan(DAY);

			const referred = await api.op('getCustomer', { params: { handle: newcomer.handle } });
			expect(referred.body.data).toMatchObject({
				referred_by: { handle: `Cora_${backend}`, display_name: 'Cora Customer' },
				company: null,
				last_active_at: null,
				latest_nps: null,
				advocacy: { score: 0 }
			});
			// Dan's latest answer is 10: the promoter bonus alone.
			const promoter = await api.op('getCustomer', { params: { handle: dan.handle } });
			expect(promoter.body.data.advocacy.score).toBe(10);
			expect(promoter.body.data.latest_nps).toMatchObject({
				score: 10,
				reason: 'It saves us hours.'
			});
		});

		it('answers 404 for a handle nobody has', async () => {
			const missing = await api.op('getCustomer', { params: { handle: 'nobody_here' } });
			expect(missing.status).toBe(404);
			expect(missing.body.error).toEqual({
				code: 'not_found',
				message: 'There is no such customer.'
			});
			const activity = await api.op('listCustomerActivity', {
				params: { handle: 'nobody_here' }
			});
			expect(activity.status).toBe(404);
		});

		it('pages through the timeline newest first, as the staff page tells it', async () => {
			const page = await timelineOf(db(), cora.id, { viewer: 'staff' });
			const seen: { id: number; kind: string; text: string; target: unknown }[] = [];
			let cursor: string | undefined;
			let pages = 0;
			do {
				const answer = await api.op('listCustomerActivity', {
					params: { handle: cora.handle },
					query: { limit: 2, cursor }
				});
				expect(answer.status).toBe(200);
				expect(answer.body.data.length).toBeLessThanOrEqual(2);
				seen.push(...answer.body.data);
				cursor = answer.body.next_cursor ?? undefined;
				pages += 1;
			} while (cursor && pages < 20);
			// idea_posted, vote_cast, idea_shipped, referral_joined, review_posted: five entries.
			expect(seen.map((e) => e.kind).sort()).toEqual(
				['idea_posted', 'idea_shipped', 'referral_joined', 'review_posted', 'vote_cast'].sort()
			);
			expect(pages).toBe(3);
			expect(seen.map((e) => e.id)).toEqual(page.entries.map((e) => e.id));
			expect(seen.map((e) => e.text)).toEqual(page.entries.map((e) => e.text));
			const referral = seen.find((e) => e.kind === 'referral_joined')!;
			expect(referral.target).toEqual({
				label: `Nina Newcomer (@${newcomer.handle})`,
				url: `/staff/customers/${newcomer.handle}`,
				note: null
			});
			const shipped = seen.find((e) => e.kind === 'idea_shipped')!;
			expect(shipped.target).toMatchObject({ label: 'Scheduled PDF exports', note: null });
		});

		it('refuses a cursor that was altered or belongs to another customer', async () => {
			const first = await api.op('listCustomerActivity', {
				params: { handle: cora.handle },
				query: { limit: 1 }
			});
			const elsewhere = await api.op('listCustomerActivity', {
				params: { handle: dan.handle },
				query: { limit: 1, cursor: first.body.next_cursor }
			});
			expect(elsewhere.status).toBe(400);
			expect(elsewhere.body.error.fields).toHaveProperty('cursor');
			const forged = encodeApiCursor({
				list: `activity:${cora.id}`,
				after: ['2026-02-30T10:00:00.000000Z', 5]
			});
			const bad = await api.op('listCustomerActivity', {
				params: { handle: cora.handle },
				query: { cursor: forged }
			});
			expect(bad.status).toBe(400);
		});
	});

	describe('the directory', () => {
		async function everyPage(query: Record<string, string | number | undefined>) {
			const handles: string[] = [];
			let cursor: string | undefined;
			for (let i = 0; i < 50; i++) {
				const answer = await api.op('listCustomers', { query: { ...query, cursor } });
				expect(answer.status).toBe(200);
				handles.push(...answer.body.data.map((c: { handle: string }) => c.handle));
				cursor = answer.body.next_cursor ?? undefined;
				if (!cursor) {
					break;
				}
			}
			return handles;
		}

		it('lists customers by advocacy (Cora 25, Dan 10, the rest 0), never staff', async () => {
			const first = await api.op('listCustomers', { query: { limit: 2 } });
			expect(first.body.data).toHaveLength(2);
			expect(first.body.data[0]).toMatchObject({
				handle: `Cora_${backend}`,
				advocacy_score: 25,
				email: `cora_${backend}@example.com`,
				url: `/staff/customers/Cora_${backend}`,
				company: { name: 'Northwind', tier: 'gold', value: 1500 }
			});
			expect(first.body.data[1]).toMatchObject({ handle: dan.handle, advocacy_score: 10 });
			expect(first.body.next_cursor).toEqual(expect.any(String));
			const all = await everyPage({ limit: 2 });
			// Ties at 0 fall back to the newest account first.
			expect(all).toEqual([
				cora.handle,
				dan.handle,
				newcomer.handle,
				member.handle,
				outsider.handle
			]);
			expect(all).not.toContain(staff.handle);
			expect(all).not.toContain(admin.handle);
		});

		it('pages every order exactly as the staff page lists it', async () => {
			// Two accounts made in the same microsecond: a cursor rounded to the millisecond (as a
			// JS Date is) would skip the second.
			await db()
				.updateTable('app_user')
				.set({ created_at: sql<Date>`'2026-01-05T09:30:00.123456Z'::timestamptz` })
				.where('id', 'in', [member.id, outsider.id])
				.execute();
			const thresholds = await getTierThresholds(db());
			for (const sort of ['advocacy', 'last_active', 'joined'] as const) {
				const page = await directoryPage(db(), thresholds, { sort });
				for (const limit of [1, 2, 3]) {
					expect(await everyPage({ sort, limit }), `${sort} by ${limit}`).toEqual(
						page.rows.map((r) => r.handle)
					);
				}
			}
			// Never-active customers (Nina, Mia) come last under last_active: the cursor crosses them.
			const byActivity = await everyPage({ sort: 'last_active', limit: 1 });
			expect(byActivity.slice(-2)).toEqual([newcomer.handle, member.handle]);
		});

		it('filters by search, company and tier (gold by the admins’ thresholds)', async () => {
			expect(await everyPage({ q: 'CUSTOMER' })).toEqual([cora.handle]);
			expect(await everyPage({ q: `dan_${backend}@example` })).toEqual([dan.handle]);
			expect(await everyPage({ company: slug })).toEqual([cora.handle, dan.handle]);
			expect(await everyPage({ tier: 'gold' })).toEqual([cora.handle, dan.handle]);
			expect(await everyPage({ tier: 'iron' })).toEqual([]);
			expect(await everyPage({ tier: 'gold', q: 'dan' })).toEqual([dan.handle]);
			// A search for a LIKE wildcard means the character itself.
			expect(await everyPage({ q: '%' })).toEqual([]);
		});

		it('says which filter or cursor is wrong', async () => {
			const unknown = await api.op('listCustomers', { query: { company: 'no-such-company' } });
			expect(unknown.status).toBe(422);
			expect(unknown.body.error.fields).toEqual({
				company: 'There is no company "no-such-company".'
			});
			const tier = await api.op('listCustomers', { query: { tier: 'bronze' } });
			expect(tier.status).toBe(400);
			expect(tier.body.error.fields.tier).toBe('tier is one of platinum, gold, iron, lead.');
			const sort = await api.op('listCustomers', { query: { sort: 'points' } });
			expect(sort.status).toBe(400);
			expect(sort.body.error.fields).toHaveProperty('sort');
			// A cursor of the advocacy order does not continue the joined order.
			const first = await api.op('listCustomers', { query: { limit: 1 } });
			const crossed = await api.op('listCustomers', {
				query: { sort: 'joined', cursor: first.body.next_cursor }
			});
			expect(crossed.status).toBe(400);
			expect(crossed.body.error.fields).toHaveProperty('cursor');
			const forged = encodeApiCursor({ list: 'customers:advocacy', after: ['25', cora.id] });
			expect((await api.op('listCustomers', { query: { cursor: forged } })).status).toBe(400);
		});
	});

	describe('one company', () => {
		it('has value, tier, members, NPS, ratings and demand as on its staff page', async () => {
			const answer = await api.op('getCompany', { params: { slug } });
			expect(answer.status).toBe(200);
			const c = answer.body.data;
			expect(c).toMatchObject({
				name: 'Northwind',
				slug,
				url: `/staff/companies/${slug}`,
				plan: 'Growth',
				value: 1500,
				tier: 'gold',
				email_domain: null,
				products: []
			});
			expect(c.members).toEqual([
				{
					handle: cora.handle,
					display_name: 'Cora Customer',
					email: `cora_${backend}@example.com`,
					role: 'member',
					email_verified: false,
					url: `/staff/customers/${cora.handle}`
				},
				{
					handle: dan.handle,
					display_name: 'Dan Dealer',
					email: `dan_${backend}@example.com`,
					role: 'member',
					email_verified: false,
					url: `/staff/customers/${dan.handle}`
				}
			]);
			// Latest answers: Cora 7 (passive), Dan 10 (promoter): 50% − 0% = 50.
			expect(c.nps).toEqual({
				score: 50,
				responses: 2,
				promoters: 1,
				passives: 1,
				detractors: 0
			});
			// Cora 5 and Dan 4 on Analytics: 2 reviews, average 4.5.
			expect(c.ratings).toEqual([
				{
					product: { id: product.id, name: 'Analytics', slug: product.slug },
					reviews: 2,
					average: 4.5
				}
			]);
			// The open idea Dan voted for first, then Cora's shipped idea (her vote and Dan's).
			expect(
				c.demand.map((d: { id: number; status: { category: string } }) => [d.id, d.status.category])
			).toEqual([
				[openIdea, 'open'],
				[shippedIdea, 'done']
			]);
			expect(c.demand[0]).toMatchObject({
				title: 'Fiscal year starting in April',
				vote_count: 2,
				voters: [{ handle: dan.handle, display_name: 'Dan Dealer' }],
				posted_by_company: false,
				shipped_at: null
			});
			expect(c.demand[1]).toMatchObject({
				title: 'Scheduled PDF exports',
				status: { name: 'Shipped', category: 'done' },
				vote_count: 2,
				voters: [
					{ handle: cora.handle, display_name: 'Cora Customer' },
					{ handle: dan.handle, display_name: 'Dan Dealer' }
				],
				posted_by_company: true
			});
			expect(c.demand[1].shipped_at).toEqual(expect.any(String));
		});

		it('answers 404 for a slug no company has', async () => {
			const missing = await api.op('getCompany', { params: { slug: 'no-such-company' } });
			expect(missing.status).toBe(404);
			expect(missing.body.error.code).toBe('not_found');
		});
	});

	describe('who may ask', () => {
		it('refuses members, read-only tokens, browser sessions and suspended or demoted staff', async () => {
			const calls = [
				['listCustomers', {}],
				['getCustomer', { params: { handle: cora.handle } }],
				['listCustomerActivity', { params: { handle: cora.handle } }],
				['getCompany', { params: { slug } }]
			] as const;
			const memberRead = apiCaller(h, { token: await tokenFor(h, member, ['read']) });
			const staffRead = apiCaller(h, { token: await tokenFor(h, staff, ['read']) });
			const session = apiCaller(h, { session: staff });
			const suspendedStaff = await createUser(db(), { role: 'staff' });
			const suspended = apiCaller(h, {
				token: await tokenFor(h, suspendedStaff, ['read', 'staff'])
			});
			await db()
				.updateTable('app_user')
				.set({ suspended_until: new Date(Date.now() + DAY), suspension_reason: 'Audit' })
				.where('id', '=', suspendedStaff.id)
				.execute();
			const demotedStaff = await createUser(db(), { role: 'staff' });
			const demoted = apiCaller(h, { token: await tokenFor(h, demotedStaff, ['read', 'staff']) });
			await db()
				.updateTable('app_user')
				.set({ role: 'moderator' })
				.where('id', '=', demotedStaff.id)
				.execute();
			const adminApi = apiCaller(h, { token: await tokenFor(h, admin, ['read', 'staff']) });
			for (const [operation, options] of calls) {
				for (const [who, caller, status, code] of [
					['member with a read token', memberRead, 403, 'insufficient_scope'],
					['staff with a read token', staffRead, 403, 'insufficient_scope'],
					['staff in a browser', session, 401, 'unauthorized'],
					['suspended staff', suspended, 403, 'forbidden'],
					['staff demoted to moderator', demoted, 403, 'forbidden'],
					['nobody', apiCaller(h), 401, 'unauthorized']
				] as const) {
					const answer = await caller.op(operation, options);
					expect(answer.status, `${operation} by ${who}`).toBe(status);
					expect(answer.body.error.code, `${operation} by ${who}`).toBe(code);
				}
				expect((await adminApi.op(operation, options)).status, `${operation} by admin`).toBe(200);
			}
		});
	});
});
