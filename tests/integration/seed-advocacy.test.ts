// The demo's advocacy: every scripted referral lands (the handles match the seeded people), so
// the leaderboard, points and advocacy scores have something to show, and the opted-out member
// stays off the leaderboard.
import { beforeAll, describe, expect, it } from 'vitest';
import { advocacyFor, topAdvocates } from '$lib/server/customers/advocacy';
import { leaderboard, memberPoints } from '$lib/server/customers/points';
import { seedDemo } from '$lib/server/seed/demo';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('demo advocacy on %s', (backend) => {
	const t = useTestDatabase(backend);

	beforeAll(async () => {
		await seedDemo(t.db, { password: () => 'demo-password-for-tests' });
	});

	const idOf = async (handle: string) =>
		(
			await t.db
				.selectFrom('app_user')
				.select('id')
				.where('handle', '=', handle)
				.executeTakeFirstOrThrow()
		).id;

	it('credits seven referrals, each with its ledger row', async () => {
		const referred = await t.db
			.selectFrom('app_user')
			.select('id')
			.where('referred_by_id', 'is not', null)
			.execute();
		expect(referred).toHaveLength(7);
		const ledger = await t.db
			.selectFrom('activity')
			.select('id')
			.where('kind', '=', 'referral_joined')
			.execute();
		expect(ledger).toHaveLength(7);
		const priya = await memberPoints(t.db, await idOf('priya_raman'));
		expect(priya.counts.referrals).toBe(3);
		expect(priya.badges.map((b) => b.key)).toContain('ambassador');
		expect((await advocacyFor(t.db, await idOf('priya_raman'))).score).toBeGreaterThanOrEqual(45);
	});

	it('fills the leaderboard and the top advocates, without the opted-out member or staff', async () => {
		const all = await leaderboard(t.db, { period: 'all' });
		expect(all.length).toBeGreaterThan(3);
		expect(all.map((r) => r.handle)).toContain('priya_raman');
		expect(all.map((r) => r.handle)).not.toContain('hannah_goldberg');
		const month = await leaderboard(t.db, { period: 'month' });
		const monthPoints = month.reduce((sum, r) => sum + r.points, 0);
		const allPoints = all.reduce((sum, r) => sum + r.points, 0);
		expect(monthPoints).toBeLessThan(allPoints);
		const top = await topAdvocates(t.db, { limit: 10 });
		expect(top.length).toBeGreaterThan(3);
		expect(top.every((r) => r.score > 0)).toBe(true);
	});
});
