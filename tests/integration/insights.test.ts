// The insights dashboard on both databases, with fixtures worked out by hand: contributors new
// vs returning (the product team and outcome kinds left out), the roll-ups equal to a direct
// count over the ledger through inserts, backdated acts, deletes and deleted accounts, NPS and
// CSAT per period, the median first response, loop closure, ratings per product, at-risk
// customers, the CSV of a section, and the page closed to members and moderators.
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import type { Db } from '$lib/server/db/index';
import type { DateRange } from '$lib/domain/insights';
import { insightsCsv, loadInsights } from '$lib/server/insights';
import {
	atRiskCustomers,
	contributorsByWeek,
	firstResponseByPeriod,
	loopClosureByPeriod,
	ratingsByPeriod,
	surveysByPeriod
} from '$lib/server/insights/queries';
import { DEFAULT_TIER_THRESHOLDS } from '$lib/domain/tiers';
import type { Actor, UserActor } from '$lib/server/policy';
import { createProduct, createUser } from '../helpers/factories';
import { backends, useTestDatabase } from '../helpers/test-db';
import { load as pageLoad } from '../../src/routes/staff/insights/+page.server';
import { GET as csvGet } from '../../src/routes/staff/insights/[section].csv/+server';

const app = vi.hoisted(() => ({ db: undefined as Db | undefined }));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => {
		if (!app.db) {
			throw new Error('no test database');
		}
		return app.db;
	}
}));

const custom = (from: string, to: string): DateRange => ({ from, to, preset: 'custom' });
const at = (iso: string) => new Date(iso);

async function act(db: Db, user: UserActor, kind: string, when: string): Promise<number> {
	const row = await db
		.insertInto('activity')
		.values({ user_id: user.id, kind, data: '{}', created_at: at(when) })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

async function idea(db: Db, author: UserActor, productId: number, when: string): Promise<number> {
	const status = await db
		.selectFrom('idea_status')
		.select('id')
		.where('is_default', '=', true)
		.executeTakeFirstOrThrow();
	const row = await db
		.insertInto('post')
		.values({
			kind: 'idea',
			product_id: productId,
			author_id: author.id,
			title: 'An idea',
			status_id: status.id,
			created_at: at(when),
			last_activity_at: at(when)
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

async function review(
	db: Db,
	author: UserActor,
	productId: number,
	rating: number,
	when: string,
	visibility: 'visible' | 'hidden' = 'visible'
): Promise<void> {
	const row = await db
		.insertInto('post')
		.values({
			kind: 'review',
			product_id: productId,
			author_id: author.id,
			title: 'A review',
			created_at: at(when),
			last_activity_at: at(when),
			visibility
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await db.insertInto('review').values({ post_id: row.id, rating }).execute();
}

async function answer(
	db: Db,
	user: UserActor,
	kind: 'nps' | 'csat',
	score: number,
	when: string
): Promise<void> {
	await db
		.insertInto('survey_response')
		.values({ user_id: user.id, kind, score, created_at: at(when) })
		.execute();
}

/** The roll-ups as a direct count over the ledger would give them. */
async function directCounts(db: Db) {
	const { rows } = await sql<{ week: string; contributors: number; new_contributors: number }>`
		with acts as (
			select distinct insights_week(created_at) as week, user_id from activity
			where user_id is not null and insights_is_participation(kind)
		), firsts as (select user_id, min(week) as first from acts group by user_id)
		select a.week, count(*)::int as contributors,
			(count(*) filter (where f.first = a.week))::int as new_contributors
		from acts a join firsts f on f.user_id = a.user_id
		group by a.week order by a.week
	`.execute(db);
	return rows;
}

async function rolledUp(db: Db) {
	return db
		.selectFrom('contributor_week')
		.select(['week', 'contributors', 'new_contributors'])
		.where('contributors', '>', 0)
		.orderBy('week')
		.execute();
}

async function callLoad(actor: Actor, search = '') {
	const url = new URL(`http://localhost/staff/insights${search}`);
	try {
		return { ok: true as const, data: await pageLoad({ locals: { actor }, url } as never) };
	} catch (thrown) {
		if (isHttpError(thrown)) {
			return { ok: false as const, status: thrown.status };
		}
		if (isRedirect(thrown)) {
			return { ok: false as const, status: thrown.status };
		}
		throw thrown;
	}
}

describe.each(backends)('insights on %s', (backend) => {
	const test = useTestDatabase(backend);
	const db = () => test.db;

	it('counts weekly contributors, new then returning, without the team or outcome kinds', async () => {
		const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => createUser(db())));
		const staff = await createUser(db(), { role: 'staff' });
		// Week 1 (Mon 1 June 2026): a (twice), b and c take part; staff too.
		await act(db(), a!, 'idea_posted', '2026-06-01T09:00:00Z');
		await act(db(), a!, 'vote_cast', '2026-06-03T09:00:00Z');
		await act(db(), b!, 'comment_posted', '2026-06-04T09:00:00Z');
		await act(db(), c!, 'review_posted', '2026-06-07T23:59:00Z');
		await act(db(), staff, 'comment_posted', '2026-06-02T09:00:00Z');
		// Week 2: a and b come back; d only receives a helpful vote (an outcome, not an act).
		await act(db(), a!, 'reply_posted', '2026-06-08T00:00:00Z');
		await act(db(), b!, 'like_given', '2026-06-10T09:00:00Z');
		await act(db(), d!, 'helpful_received', '2026-06-10T09:00:00Z');
		await act(db(), staff, 'status_changed', '2026-06-09T09:00:00Z');

		const weeks = await contributorsByWeek(db(), custom('2026-06-01', '2026-06-14'));
		expect(weeks.map((w) => [w.period.key, w.newContributors, w.returningContributors])).toEqual([
			['2026-06-01', 3, 0],
			['2026-06-08', 0, 2]
		]);
	});

	it('keeps the roll-ups equal to a direct count through backdated acts, deletes and deleted accounts', async () => {
		const [e, f] = await Promise.all([1, 2].map(() => createUser(db())));
		await act(db(), e!, 'idea_posted', '2026-06-16T09:00:00Z');
		const second = await act(db(), e!, 'vote_cast', '2026-06-23T09:00:00Z');
		await act(db(), f!, 'vote_cast', '2026-06-23T10:00:00Z');
		expect(await rolledUp(db())).toEqual(await directCounts(db()));

		// An act dated before e's first week moves e's "new" week back.
		const early = await act(db(), e!, 'thread_posted', '2026-06-09T09:00:00Z');
		expect(await rolledUp(db())).toEqual(await directCounts(db()));
		const june15 = (await rolledUp(db())).find((w) => w.week === '2026-06-15');
		expect(june15).toEqual({ week: '2026-06-15', contributors: 1, new_contributors: 0 });

		// Deleting acts (a purge) takes them out again, and the first week moves forward.
		await db().deleteFrom('activity').where('id', 'in', [early, second]).execute();
		expect(await rolledUp(db())).toEqual(await directCounts(db()));
		// Re-dating an act and deleting an account (user_id set to null) do too.
		await db()
			.updateTable('activity')
			.set({ created_at: at('2026-06-30T09:00:00Z') })
			.where('user_id', '=', e!.id)
			.execute();
		await db().deleteFrom('app_user').where('id', '=', f!.id).execute();
		expect(await rolledUp(db())).toEqual(await directCounts(db()));
		// The rebuild (used by bulk loads) gives the same tables.
		const before = await rolledUp(db());
		await sql`select insights_rebuild_rollups()`.execute(db());
		expect(await rolledUp(db())).toEqual(before);
	});

	it('computes NPS over each member’s latest answer per period, and CSAT over every answer', async () => {
		const [x, y, z] = await Promise.all([1, 2, 3].map(() => createUser(db())));
		// July 2026, weeks of 6 and 13 July. x: 3 then 9 in week 1; y: 5; z: 10 in week 2.
		await answer(db(), x!, 'nps', 3, '2026-07-06T09:00:00Z');
		await answer(db(), x!, 'nps', 9, '2026-07-08T09:00:00Z');
		await answer(db(), y!, 'nps', 5, '2026-07-07T09:00:00Z');
		await answer(db(), z!, 'nps', 10, '2026-07-14T09:00:00Z');
		await answer(db(), x!, 'csat', 5, '2026-07-06T09:00:00Z');
		await answer(db(), y!, 'csat', 4, '2026-07-07T09:00:00Z');
		await answer(db(), z!, 'csat', 2, '2026-07-15T09:00:00Z');

		const { periods, overall } = await surveysByPeriod(db(), custom('2026-07-06', '2026-07-19'));
		// Week 1: [9, 5] → 1 promoter, 1 detractor → 0. Week 2: [10] → 100.
		expect(periods.map((p) => [p.period.key, p.nps.nps, p.nps.responses])).toEqual([
			['2026-07-06', 0, 2],
			['2026-07-13', 100, 1]
		]);
		// CSAT: week 1 both satisfied (100 %), week 2 none (0 %).
		expect(periods.map((p) => p.csat.csat)).toEqual([100, 0]);
		// Over the range: x 9, y 5, z 10 → (2 − 1) / 3 = 33.3; CSAT 2 of 3 = 66.7.
		expect(overall.nps).toMatchObject({ nps: 33.3, promoters: 2, detractors: 1, responses: 3 });
		expect(overall.csat).toMatchObject({ csat: 66.7, satisfied: 2, responses: 3 });
	});

	it('gives the median time to first staff response and counts ideas still waiting', async () => {
		const member = await createUser(db());
		const staff = await createUser(db(), { role: 'staff' });
		const product = await createProduct(db());
		// Four ideas on 3 August 2026 answered after 2, 4, 10 and 30 hours: median (4 + 10) / 2 = 7.
		for (const hours of [2, 4, 10, 30]) {
			const id = await idea(db(), member, product.id, '2026-08-03T08:00:00Z');
			await db()
				.insertInto('idea_first_response')
				.values({
					post_id: id,
					kind: 'official_comment',
					responder_id: staff.id,
					responded_at: new Date(at('2026-08-03T08:00:00Z').getTime() + hours * 3_600_000)
				})
				.execute();
		}
		await idea(db(), member, product.id, '2026-08-04T08:00:00Z');
		// The team's own idea is not a customer waiting for an answer.
		await idea(db(), staff, product.id, '2026-08-04T08:00:00Z');

		const [week] = await firstResponseByPeriod(db(), custom('2026-08-03', '2026-08-09'));
		expect(week).toMatchObject({ ideas: 5, answered: 4, waiting: 1, medianHours: 7 });
	});

	it('gives loop closure as notified voters over voters, the shipper left out', async () => {
		const voters = await Promise.all([1, 2, 3, 4].map(() => createUser(db())));
		const staff = await createUser(db(), { role: 'staff' });
		const product = await createProduct(db());
		const id = await idea(db(), voters[0]!, product.id, '2026-09-01T08:00:00Z');
		const shipped = await db()
			.selectFrom('idea_status')
			.select('id')
			.where('slug', '=', 'shipped')
			.executeTakeFirstOrThrow();
		const change = await db()
			.insertInto('status_change')
			.values({
				post_id: id,
				to_status_id: shipped.id,
				changed_by_id: staff.id,
				created_at: at('2026-09-02T08:00:00Z')
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		// Three of four voters told; the staff member who shipped it voted too and is left out.
		const notice = (userId: number, notified: boolean) => ({
			post_id: id,
			user_id: userId,
			status_change_id: change.id,
			notified,
			created_at: at('2026-09-02T08:00:00Z')
		});
		await db()
			.insertInto('ship_notice')
			.values([
				notice(voters[0]!.id, true),
				notice(voters[1]!.id, true),
				notice(voters[2]!.id, true),
				notice(voters[3]!.id, false),
				notice(staff.id, false)
			])
			.execute();

		const periods = await loopClosureByPeriod(db(), custom('2026-09-01', '2026-09-13'));
		expect(periods.map((p) => [p.period.key, p.ideas, p.voters, p.notified, p.rate])).toEqual([
			['2026-08-31', 1, 4, 3, 75],
			['2026-09-07', 0, 0, 0, null]
		]);
	});

	it('averages ratings per product and period over visible reviews', async () => {
		const [r1, r2, r3] = await Promise.all([1, 2, 3].map(() => createUser(db())));
		const product = await createProduct(db(), { name: 'Ratings product' });
		await review(db(), r1!, product.id, 5, '2026-10-05T09:00:00Z');
		await review(db(), r2!, product.id, 2, '2026-10-06T09:00:00Z');
		await review(db(), r3!, product.id, 1, '2026-10-06T10:00:00Z', 'hidden');

		const products = await ratingsByPeriod(db(), custom('2026-10-05', '2026-10-11'));
		const mine = products.find((p) => p.productId === product.id)!;
		expect(mine).toMatchObject({ average: 3.5, count: 2 });
		expect(mine.periods.map((p) => [p.period.key, p.average, p.count])).toEqual([
			['2026-10-05', 3.5, 2]
		]);
	});

	it('lists at-risk customers with their reasons', async () => {
		const company = await db()
			.insertInto('company')
			.values({ name: 'Acme Risk', slug: `acme-risk-${backend}`, mrr: 2500 })
			.returning('id')
			.executeTakeFirstOrThrow();
		const detractor = await createUser(db());
		const recovered = await createUser(db());
		const unhappy = await createUser(db());
		const ignored = await createUser(db());
		const stale = await createUser(db());
		await db()
			.updateTable('app_user')
			.set({ company_id: company.id })
			.where('id', '=', detractor.id)
			.execute();
		const product = await createProduct(db());
		await answer(db(), detractor, 'nps', 4, '2026-11-02T09:00:00Z');
		// Was a detractor, answered 9 since: no longer at risk on that count.
		await answer(db(), recovered, 'nps', 2, '2026-11-01T09:00:00Z');
		await answer(db(), recovered, 'nps', 9, '2026-11-03T09:00:00Z');
		// A detractor answer older than one survey interval (90 days) is no longer current.
		await answer(db(), stale, 'nps', 1, '2026-08-01T09:00:00Z');
		await review(db(), unhappy, product.id, 2, '2026-11-04T09:00:00Z');
		// 31 days before the range's end (midnight after 14 Nov) without a staff response.
		await idea(db(), ignored, product.id, '2026-10-14T23:00:00Z');
		await act(db(), ignored, 'vote_cast', '2026-11-05T09:00:00Z');

		const { rows } = await atRiskCustomers(db(), custom('2026-11-01', '2026-11-14'), {
			thresholds: DEFAULT_TIER_THRESHOLDS,
			npsIntervalDays: 90
		});
		const byId = new Map(rows.map((row) => [row.userId, row]));
		expect(byId.get(detractor.id)).toMatchObject({
			company: { name: 'Acme Risk' },
			tier: 'gold',
			reasons: [{ kind: 'detractor', score: 4 }]
		});
		expect(byId.has(recovered.id)).toBe(false);
		expect(byId.has(stale.id)).toBe(false);
		expect(byId.get(unhappy.id)?.reasons).toEqual([{ kind: 'low_review', reviews: 1, worst: 2 }]);
		expect(byId.get(ignored.id)).toMatchObject({
			reasons: [{ kind: 'waiting_idea', ideas: 1 }],
			lastActiveAt: at('2026-11-05T09:00:00Z')
		});
	});

	it('serves the whole dashboard to staff and a section as CSV; members and moderators get 403', async () => {
		app.db = db();
		try {
			const staff = await createUser(db(), { role: 'staff' });
			const member = await createUser(db());
			const moderator = await createUser(db(), { role: 'moderator' });
			expect(await callLoad(member)).toEqual({ ok: false, status: 403 });
			expect(await callLoad(moderator)).toEqual({ ok: false, status: 403 });

			const page = await callLoad(staff, '?from=2026-06-01&to=2026-06-14');
			expect(page.ok).toBe(true);
			const loaded = page.ok ? page.data : undefined;
			expect(loaded?.insights.contributors.map((w) => w.contributors)).toEqual([3, 2]);

			// A bad date: a message, and the default range.
			const bad = await callLoad(staff, '?from=2026-02-30&to=2026-06-14');
			expect(bad.ok && bad.data.errors.from).toMatch(/YYYY-MM-DD/);
			expect(bad.ok && bad.data.insights.range.preset).toBe('90d');

			const csv = await csvGet({
				locals: { actor: staff },
				params: { section: 'contributors' },
				url: new URL(
					'http://localhost/staff/insights/contributors.csv?from=2026-06-01&to=2026-06-14'
				)
			} as never);
			expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
			expect(await csv.text()).toBe(
				'week_start,contributors,new,returning\r\n2026-06-01,3,3,0\r\n2026-06-08,2,0,2\r\n'
			);
			const refused = await Promise.resolve()
				.then(() =>
					csvGet({
						locals: { actor: moderator },
						params: { section: 'contributors' },
						url: new URL('http://localhost/staff/insights/contributors.csv')
					} as never)
				)
				.catch((e: unknown) => e);
			expect(isHttpError(refused) && refused.status).toBe(403);

			// Every section loads together for a year.
			const year = await loadInsights(db(), custom('2025-12-01', '2026-11-30'));
			expect(year.granularity).toBe('month');
			expect(year.closure.find((p) => p.period.key === '2026-09-01')?.rate).toBe(75);
			const table = await insightsCsv(
				db(),
				'at-risk',
				custom('2026-11-01', '2026-11-14'),
				'https://x.test'
			);
			expect(table.header).toContain('reasons');
		} finally {
			app.db = undefined;
		}
	});
});
