// The demo's testimonials: two published with consent, one private without it, one invitation
// waiting; every invited person was one staff could ask (a promoter or a happy reviewer).
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '$lib/server/seed/demo';
import { listPublishedTestimonials } from '$lib/server/testimonials';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('demo testimonials on %s', (backend) => {
	const t = useTestDatabase(backend);

	beforeAll(async () => {
		await seedDemo(t.db, { password: () => 'demo-password-for-tests' });
	});

	it('publishes two with consent and keeps the others off the public list', async () => {
		const rows = await t.db
			.selectFrom('testimonial as t')
			.innerJoin('app_user as u', 'u.id', 't.user_id')
			.select(['t.status', 't.reason_kind', 't.reason_score', 'u.role'])
			.orderBy('t.id')
			.execute();
		expect(rows.map((r) => r.status)).toEqual(['published', 'published', 'submitted', 'invited']);
		for (const row of rows) {
			expect(row.role).toBe('member');
			expect(row.reason_score).toBeGreaterThanOrEqual(row.reason_kind === 'nps' ? 9 : 4);
		}
		const published = await listPublishedTestimonials(t.db);
		expect(published).toHaveLength(2);
		expect(published.every((p) => p.name.length > 0 && p.quote.length > 20)).toBe(true);
	});
});
