// The demo's reviews: every scripted review is written (the handles match the seeded people),
// with consistent helpful counts, an official reply, and verified badges from company ownership.
import { beforeAll, describe, expect, it } from 'vitest';
import { anonymous } from '$lib/server/policy';
import { listReviews, rankProducts, ratingSummary } from '$lib/server/reviews/queries';
import { seedDemo } from '$lib/server/seed/demo';
import { sql } from 'kysely';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('demo reviews on %s', (backend) => {
	const t = useTestDatabase(backend);

	beforeAll(async () => {
		await seedDemo(t.db, { password: () => 'demo-password-for-tests' });
	});

	it('writes seven reviews over the three products, with aggregates to show', async () => {
		const products = await t.db.selectFrom('product').select(['id', 'slug']).execute();
		const counts: Record<string, number> = {};
		for (const product of products) {
			counts[product.slug] = (await ratingSummary(t.db, product.id)).count;
		}
		expect(counts).toEqual({ analytics: 3, 'mobile-app': 2, api: 2 });
		const { products: ranked } = await rankProducts(t.db);
		expect(ranked.map((p) => p.slug)).toEqual(['api', 'analytics', 'mobile-app']);
	});

	it('keeps helpful counts equal to the votes, with the ledger rows', async () => {
		const rows = await t.db
			.selectFrom('post')
			.select([
				'vote_count',
				sql<number>`(select count(*) from vote where vote.post_id = post.id)`.as('votes'),
				sql<number>`(select count(*) from activity a where a.post_id = post.id and a.kind = 'helpful_received')`.as(
					'ledger'
				)
			])
			.where('kind', '=', 'review')
			.execute();
		expect(rows).toHaveLength(7);
		for (const row of rows) {
			expect(row.votes).toBe(row.vote_count);
			expect(row.ledger).toBe(row.vote_count);
		}
	});

	it('shows verified badges and the official reply', async () => {
		const analytics = await t.db
			.selectFrom('product')
			.select('id')
			.where('slug', '=', 'analytics')
			.executeTakeFirstOrThrow();
		const { reviews } = await listReviews(t.db, anonymous, {
			productId: analytics.id,
			sort: 'highest',
			stars: null,
			page: 1
		});
		expect(reviews.map((r) => [r.author.handle, r.verified])).toEqual([
			['priya_raman', true],
			['olivia_chen', true],
			['zoe_laurent', false]
		]);
		expect(reviews[1]!.reply?.author.displayName).toBe('Sam Lindqvist');
	});
});
