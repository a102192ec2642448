// Advocacy on both databases: the advocacy score and points of a customer worked out by hand
// from real acts (ideas shipped, helpful votes given and taken back, an accepted answer and a
// replaced one, a referral, NPS answers), referral credit on sign-up, the leaderboard by month
// and all time with ties and opt-outs, and a member's own export and pages never carrying
// staff-only data.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { config, readConfig, setConfig, type Config } from '$lib/server/config';
import type { DatabaseHandle, Db } from '$lib/server/db/index';
import { signUp, signUpSchema } from '$lib/server/auth/accounts';
import { advocacyFor, topAdvocates } from '$lib/server/customers/advocacy';
import { listCustomers, customerByHandle } from '$lib/server/customers/directory';
import { exportOwnData } from '$lib/server/customers/export';
import { activityPerWeek, participationOf } from '$lib/server/customers/participation';
import {
	leaderboard,
	memberPoints,
	monthStart,
	setLeaderboardOptOut
} from '$lib/server/customers/points';
import {
	creditReferral,
	ensureReferralCode,
	referralSummary
} from '$lib/server/customers/referrals';
import { timelineOf } from '$lib/server/customers/timeline';
import {
	postReply,
	saveCategory,
	setAcceptedAnswer,
	startThread,
	threadSchema
} from '$lib/server/discussions';
import { postIdea } from '$lib/server/ideas';
import type { UserActor } from '$lib/server/policy';
import { createRateLimits, type RateLimits } from '$lib/server/rate-limit';
import { setHelpful, writeReview } from '$lib/server/reviews';
import { setRoadmapStatus } from '$lib/server/roadmap';
import { castVote } from '$lib/server/votes';
import { DEFAULT_TIER_THRESHOLDS } from '$lib/domain/tiers';
import { createProduct, createUser } from '../helpers/factories';
import { backends, createTestDatabase } from '../helpers/test-db';
import { load as profileLoad } from '../../src/routes/people/[handle]/+page.server';
import { load as settingsLoad } from '../../src/routes/settings/+page.server';

const app = vi.hoisted(() => ({
	db: undefined as Db | undefined,
	handle: undefined as DatabaseHandle | undefined
}));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => {
		if (!app.db) {
			throw new Error('no test database');
		}
		return app.db;
	},
	getDatabase: () => {
		if (!app.handle) {
			throw new Error('no test database');
		}
		return app.handle;
	}
}));

const DAY = 24 * 60 * 60 * 1000;
let sequence = 0;

describe.each(backends)('advocacy on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = () => handle.db;
	let limits: RateLimits;
	let previousConfig: Config;
	let staff: UserActor;
	let categoryId: number;
	let product: { id: number; slug: string; name: string };
	const statusIds: Record<string, number> = {};
	let ipCounter = 0;
	const freshIp = () => `203.0.113.${++ipCounter}`;

	beforeAll(async () => {
		handle = await createTestDatabase(backend);
		app.db = handle.db;
		app.handle = handle;
		previousConfig = config();
		setConfig(readConfig({ ...process.env, SMTP_URL: undefined, ADMIN_EMAIL: undefined }));
		limits = createRateLimits(handle.pool, { SIGNIN_FAILURES_PER_IP: 1000, SIGNUPS_PER_IP: 1000 });
		// The first account of a site becomes its admin: make it here, so sign-ups below are members.
		const admin = await createUser(db(), { role: 'admin' });
		staff = await createUser(db(), { role: 'staff' });
		product = await createProduct(db(), { name: 'Analytics' });
		for (const row of await db().selectFrom('idea_status').select(['id', 'slug']).execute()) {
			statusIds[row.slug] = row.id;
		}
		const saved = await saveCategory(db(), admin, {
			name: 'Questions',
			slug: 'questions',
			description: '',
			product: null,
			position: 0
		});
		if (!saved.ok) {
			throw new Error('no category');
		}
		categoryId = saved.category.id;
	});
	afterAll(async () => {
		setConfig(previousConfig);
		app.db = undefined;
		app.handle = undefined;
		await handle?.close();
	});

	async function idea(author: UserActor, title: string) {
		const result = await postIdea(db(), author, {
			title,
			body: `The description of ${title}.`,
			product: product.id,
			tags: []
		});
		if (!result.ok) {
			throw new Error(`idea refused: ${JSON.stringify(result)}`);
		}
		return result.id;
	}

	async function ship(ideaId: number) {
		expect(
			await setRoadmapStatus(db(), staff, { ideaId, statusId: statusIds.shipped! })
		).toMatchObject({ ok: true });
	}

	async function question(asker: UserActor) {
		const parsed = threadSchema.parse({
			title: `How do I export number ${++sequence}?`,
			body: 'Looking for a way.',
			category: String(categoryId),
			question: 'on',
			pollQuestion: '',
			pollOptions: ''
		});
		const result = await startThread(db(), asker, parsed);
		if (!result.ok) {
			throw new Error('thread refused');
		}
		return result.id;
	}

	async function reply(author: UserActor, postId: number, body: string) {
		const result = await postReply(db(), author, { postId, body });
		if (!result.ok) {
			throw new Error('reply refused');
		}
		return result.id;
	}

	function signUpInput(handleName: string) {
		return signUpSchema.parse({
			email: `${handleName.toLowerCase()}@example.com`,
			handle: handleName,
			displayName: handleName.replace(/_/g, ' '),
			password: 'lanterns over the harbour'
		});
	}

	async function nps(userId: number, score: number, daysAgo: number) {
		await db()
			.insertInto('survey_response')
			.values({
				user_id: userId,
				kind: 'nps',
				score,
				created_at: new Date(Date.now() - daysAgo * DAY)
			})
			.execute();
	}

	describe('a customer with 2 shipped ideas, 3 helpful votes minus 1, 1 accepted answer, 1 referral and NPS 9', () => {
		let cora: UserActor;
		let newcomer: number;

		beforeAll(async () => {
			cora = await createUser(db(), { handle: `cora_${backend}`, displayName: 'Cora Customer' });
			const company = await db()
				.insertInto('company')
				.values({ name: 'Umbrella', slug: `umbrella-${backend}`, mrr: 2500, plan: 'Growth' })
				.returning('id')
				.executeTakeFirstOrThrow();
			await db()
				.updateTable('app_user')
				.set({ company_id: company.id })
				.where('id', '=', cora.id)
				.execute();
			// Three ideas, two of which ship.
			await ship(await idea(cora, 'Scheduled PDF exports'));
			await ship(await idea(cora, 'Dashboard dark mode'));
			await idea(cora, 'Custom fiscal year');
			// A review found helpful by three people, one of whom takes it back: net 2.
			const review = await writeReview(db(), cora, product.id, {
				rating: 4,
				title: 'Solid analytics',
				body: 'Does what we need for weekly reporting across teams.',
				review: null
			});
			if (!review.ok) {
				throw new Error('review refused');
			}
			const fans = await Promise.all([1, 2, 3].map(() => createUser(db())));
			for (const fan of fans) {
				expect(await setHelpful(db(), fan, { reviewId: review.id, helpful: true })).toMatchObject({
					ok: true
				});
			}
			await setHelpful(db(), fans[0]!, { reviewId: review.id, helpful: false });
			// Accepted in one question; in another, accepted then replaced by someone else's reply.
			const asker = await createUser(db());
			const q1 = await question(asker);
			await setAcceptedAnswer(db(), asker, {
				postId: q1,
				commentId: await reply(cora, q1, 'Use the export menu.')
			});
			const q2 = await question(asker);
			await setAcceptedAnswer(db(), asker, {
				postId: q2,
				commentId: await reply(cora, q2, 'Maybe the API?')
			});
			const better = await reply(await createUser(db()), q2, 'The scheduler does it.');
			await setAcceptedAnswer(db(), asker, { postId: q2, commentId: better });
			// One person joins through her link.
			const code = await ensureReferralCode(db(), cora.id);
			const joined = await signUp(
				db(),
				limits,
				signUpInput(`joiner_${backend}`),
				{ ip: freshIp() },
				{
					referralCode: code
				}
			);
			if (!joined.ok) {
				throw new Error('sign-up refused');
			}
			newcomer = joined.user.id;
			// A detractor once, a promoter now: the latest answer counts.
			await nps(cora.id, 3, 60);
			await nps(cora.id, 9, 2);
		});

		it('scores 2×10 + 2×1 + 1×5 + 1×15 + 10 = 52, with each line of the breakdown', async () => {
			const result = await advocacyFor(db(), cora.id);
			expect(result.score).toBe(52);
			expect(result.breakdown.map((l) => [l.key, l.count, l.points])).toEqual([
				['ideasShipped', 2, 20],
				['helpfulVotes', 2, 2],
				['acceptedAnswers', 1, 5],
				['referrals', 1, 15],
				['challengesWon', 0, 0],
				['promoter', 1, 10]
			]);
		});

		it('lists the same score in the customer list and among the top advocates', async () => {
			const list = await listCustomers(db(), DEFAULT_TIER_THRESHOLDS, {
				q: `cora_${backend}`,
				sort: 'advocacy'
			});
			expect(list.total).toBe(1);
			expect(list.rows[0]).toMatchObject({
				handle: `cora_${backend}`,
				advocacy: 52,
				company: { name: 'Umbrella', value: 2500, tier: 'gold' }
			});
			const gold = await listCustomers(db(), DEFAULT_TIER_THRESHOLDS, { tier: 'gold' });
			expect(gold.rows.map((r) => r.handle)).toEqual([`cora_${backend}`]);
			expect((await listCustomers(db(), DEFAULT_TIER_THRESHOLDS, { tier: 'platinum' })).total).toBe(
				0
			);
			const top = await topAdvocates(db(), { limit: 5 });
			expect(top[0]).toMatchObject({
				userId: cora.id,
				handle: `cora_${backend}`,
				displayName: 'Cora Customer',
				company: { name: 'Umbrella' },
				score: 52
			});
			expect(top.map((r) => r.userId)).not.toContain(staff.id);
			// Windows: every outcome happened today; the promoter answer two days ago.
			const score = async (window: { from?: Date; to?: Date }) =>
				(await topAdvocates(db(), { ...window, limit: 50 })).find((r) => r.userId === cora.id)
					?.score;
			expect(await score({ from: new Date(Date.now() - 3 * DAY) })).toBe(52);
			expect(await score({ from: new Date(Date.now() - DAY) })).toBe(42);
			expect(
				await score({ from: new Date(Date.now() - 3 * DAY), to: new Date(Date.now() - DAY) })
			).toBe(10);
			expect(
				await score({ from: new Date(Date.now() - 90 * DAY), to: new Date(Date.now() - 30 * DAY) })
			).toBeUndefined();
		});

		it('earns 2×50 + 2×5 + 1×20 + 1×25 = 155 points and the "Shipped it" badge', async () => {
			const points = await memberPoints(db(), cora.id);
			expect(points.allTime.score).toBe(155);
			expect(points.thisMonth.score).toBe(155);
			expect(points.badges.map((b) => b.name)).toEqual(['Shipped it']);
		});

		it('counts participation from the ledger', async () => {
			const p = await participationOf(db(), cora.id);
			expect(p).toMatchObject({
				ideas: 3,
				votes: 3, // an idea's author votes for it on posting
				reviews: 1,
				replies: 2,
				discussions: 0,
				helpfulReceived: 2,
				acceptedAnswers: 1,
				ideasShipped: 2
			});
			expect(p.activeDays30).toBe(1);
			expect(p.lastActiveAt).toBeInstanceOf(Date);
			const weeks = await activityPerWeek(db(), cora.id, { weeks: 26 });
			expect(weeks).toHaveLength(26);
			// 3 ideas, 3 own votes, 1 review, 2 replies: 9 acts this week.
			expect(weeks.at(-1)!.acts).toBe(9);
			expect(weeks.slice(0, -1).every((w) => w.acts === 0)).toBe(true);
		});

		it('tells the timeline in words, newest first, with the referral last in', async () => {
			const page = await timelineOf(db(), cora.id, { viewer: 'staff' });
			expect(page.entries[0]).toMatchObject({ kind: 'referral_joined' });
			expect(page.entries[0]!.target?.href).toBe(`/staff/customers/joiner_${backend}`);
			const shipped = page.entries.find((e) => e.kind === 'idea_shipped')!;
			expect(shipped.text).toBe('Their idea shipped:');
			expect(shipped.target?.href).toMatch(/^\/ideas\/\d+/);
			expect(page.hasNext).toBe(false);
		});

		it('records the referrer on the new account and shows who joined', async () => {
			const row = await db()
				.selectFrom('app_user')
				.select('referred_by_id')
				.where('id', '=', newcomer)
				.executeTakeFirstOrThrow();
			expect(row.referred_by_id).toBe(cora.id);
			const summary = await referralSummary(db(), cora.id);
			expect(summary.path).toMatch(/^\/join\/[A-Za-z0-9_-]{16}$/);
			expect(summary.joined.map((j) => j.handle)).toEqual([`joiner_${backend}`]);
			const record = await customerByHandle(db(), `JOINER_${backend}`, DEFAULT_TIER_THRESHOLDS);
			expect(record?.referredBy?.handle).toBe(`cora_${backend}`);
		});
	});

	describe('referral credit on sign-up', () => {
		it('credits once per new account, ignores unknown codes, and never credits oneself', async () => {
			const referrer = await createUser(db());
			const code = await ensureReferralCode(db(), referrer.id);
			expect(await ensureReferralCode(db(), referrer.id)).toBe(code);
			const credits = async () =>
				(
					await db()
						.selectFrom('activity')
						.select('data')
						.where('user_id', '=', referrer.id)
						.where('kind', '=', 'referral_joined')
						.execute()
				).map((r) => r.data.referredUserId);

			const bad = await signUp(
				db(),
				limits,
				signUpInput(`nocode_${backend}`),
				{ ip: freshIp() },
				{
					referralCode: 'not-a-real-code!'
				}
			);
			expect(bad.ok).toBe(true);
			const unknown = await signUp(
				db(),
				limits,
				signUpInput(`unknown_${backend}`),
				{ ip: freshIp() },
				{ referralCode: 'AAAAAAAAAAAAAAAA' }
			);
			expect(unknown.ok && unknown.user.referred_by_id).toBeNull();
			expect(await credits()).toEqual([]);

			const good = await signUp(
				db(),
				limits,
				signUpInput(`friend_${backend}`),
				{ ip: freshIp() },
				{
					referralCode: code
				}
			);
			if (!good.ok) {
				throw new Error('refused');
			}
			expect(good.user.referred_by_id).toBe(referrer.id);
			expect(await credits()).toEqual([good.user.id]);
			// A taken handle fails the sign-up: no credit for an account never made.
			const taken = await signUp(
				db(),
				limits,
				signUpInput(`friend_${backend}`),
				{ ip: freshIp() },
				{
					referralCode: code
				}
			);
			expect(taken.ok).toBe(false);
			expect(await credits()).toEqual([good.user.id]);

			// The new member's own code, used by them (or for them again), credits nobody.
			const ownCode = await ensureReferralCode(db(), good.user.id);
			expect(await creditReferral(db(), good.user.id, ownCode)).toBeNull();
			expect(await creditReferral(db(), good.user.id, code)).toBeNull();
			expect(await credits()).toEqual([good.user.id]);
		});
	});

	describe('leaderboard', () => {
		it('ranks this month and all time separately, ties share a rank, opted-out members and staff never appear', async () => {
			// A database of its own, so nobody else's points change the ranks.
			const own = await createTestDatabase(backend);
			try {
				const d = own.db;
				const now = new Date();
				const lastMonth = new Date(monthStart(now).getTime() - 5 * DAY);
				const person = (name: string) => createUser(d, { handle: `${name}_${backend}` });
				const ana = await person('ana');
				const ben = await person('ben');
				const cyd = await person('cyd');
				const dee = await person('dee');
				const boss = await createUser(d, { role: 'staff', handle: `boss_${backend}` });
				const outcome = (
					userId: number,
					kind: 'helpful_received' | 'referral_joined',
					at: Date,
					data = {}
				) =>
					d
						.insertInto('activity')
						.values({ user_id: userId, kind, data: JSON.stringify(data), created_at: at })
						.execute();
				// Ana: 2 helpful this month (10). Ben: 2 helpful this month (10), 1 referral last month (25).
				// Cyd: 1 referral this month (25). Dee: opted out, 10 helpful. Boss (staff): 1 referral.
				await outcome(ana.id, 'helpful_received', now);
				await outcome(ana.id, 'helpful_received', now);
				await outcome(ben.id, 'helpful_received', now);
				await outcome(ben.id, 'helpful_received', now);
				await outcome(ben.id, 'referral_joined', lastMonth, { referredUserId: 1001 });
				await outcome(cyd.id, 'referral_joined', now, { referredUserId: 1002 });
				for (let i = 0; i < 10; i++) {
					await outcome(dee.id, 'helpful_received', now);
				}
				await outcome(boss.id, 'referral_joined', now, { referredUserId: 1003 });
				await setLeaderboardOptOut(d, dee.id, true);

				const month = await leaderboard(d, { period: 'month', now });
				expect(month.map((r) => [r.rank, r.handle, r.points])).toEqual([
					[1, `cyd_${backend}`, 25],
					[2, `ana_${backend}`, 10],
					[2, `ben_${backend}`, 10]
				]);
				const all = await leaderboard(d, { period: 'all', now });
				expect(all.map((r) => [r.rank, r.handle, r.points])).toEqual([
					[1, `ben_${backend}`, 35],
					[2, `cyd_${backend}`, 25],
					[3, `ana_${backend}`, 10]
				]);
				// Opting back in puts Dee at the top of both.
				await setLeaderboardOptOut(d, dee.id, false);
				expect((await leaderboard(d, { period: 'month', now }))[0]).toMatchObject({
					rank: 1,
					handle: `dee_${backend}`,
					points: 50
				});
			} finally {
				await own.close();
			}
		});
	});

	describe("a member's own data", () => {
		it('exports what they did, and nothing staff-only reaches them through the export or their pages', async () => {
			const secretCompany = await db()
				.insertInto('company')
				.values({
					name: 'Zzsecret Corp',
					slug: `zz-${backend}`,
					mrr: 987654,
					plan: 'Zzplan Secret'
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			const mia = await createUser(db(), { handle: `mia_${backend}`, displayName: 'Mia Member' });
			await db()
				.updateTable('app_user')
				.set({ company_id: secretCompany.id })
				.where('id', '=', mia.id)
				.execute();
			const other = await createUser(db(), { handle: `otto_${backend}` });
			const ideaId = await idea(mia, 'Export to spreadsheets');
			await ship(ideaId);
			const otherIdea = await idea(other, 'Slack alerts for thresholds');
			await castVote(db(), mia, { postId: otherIdea });
			// A staff-only note on Mia's idea, and staff's email mentioned nowhere public.
			await db()
				.insertInto('comment')
				.values({
					post_id: ideaId,
					author_id: staff.id,
					body_source: 'Zzinternal: big account, prioritise',
					body_html: '<p>Zzinternal: big account, prioritise</p>',
					is_internal: true
				})
				.execute();
			const q = await question(other);
			await reply(mia, q, 'Mia answers here');
			await nps(mia.id, 10, 1);

			const data = await exportOwnData(db(), mia.id);
			expect(data.profile).toMatchObject({ handle: `mia_${backend}`, email: mia.email });
			expect(data.ideas.map((i) => i.title)).toEqual(['Export to spreadsheets']);
			expect(data.votes.map((v) => v.title)).toEqual(
				expect.arrayContaining(['Export to spreadsheets', 'Slack alerts for thresholds'])
			);
			expect(data.replies.map((r) => r.body)).toEqual(['Mia answers here']);
			expect(data.surveyAnswers).toEqual([expect.objectContaining({ kind: 'nps', score: 10 })]);
			expect(data.points).toMatchObject({ allTime: 50 });
			expect(data.badges.map((b) => b.name)).toEqual(['Shipped it']);
			expect(data.notifications.length).toBeGreaterThanOrEqual(0);

			const profile = await profileLoad({
				params: { handle: `mia_${backend}` },
				url: new URL(`http://localhost/people/mia_${backend}`),
				locals: { actor: mia }
			} as never);
			const settings = await settingsLoad({
				url: new URL('http://localhost/settings'),
				locals: { actor: mia, sessionId: 'none' }
			} as never);
			const board = await leaderboard(db(), { period: 'all' });
			expect(profile).toMatchObject({ points: { allTime: 50 } });
			expect(
				(profile as { activity: { entries: unknown[] } }).activity.entries.length
			).toBeGreaterThan(0);

			for (const [where, value] of Object.entries({ data, profile, settings, board })) {
				const text = JSON.stringify(value);
				for (const secret of [
					'Zzsecret',
					'987654',
					'Zzplan',
					'Zzinternal',
					'advocacy',
					'platinum',
					'tier',
					staff.email,
					other.email
				]) {
					expect(text, `${secret} in ${where}`).not.toContain(secret);
				}
			}
			// Another member's profile carries no timeline at all.
			const seenByOther = await profileLoad({
				params: { handle: `mia_${backend}` },
				url: new URL(`http://localhost/people/mia_${backend}`),
				locals: { actor: other }
			} as never);
			expect((seenByOther as { activity: unknown }).activity).toBeNull();
		});
	});
});
