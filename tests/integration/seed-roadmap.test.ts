// The demo's roadmap and changelog: ordered columns, a target quarter, two published entries
// whose ideas shipped and whose voters were told.
import { beforeAll, describe, expect, it } from 'vitest';
import { listPublishedEntries } from '$lib/server/changelog';
import { getRoadmap } from '$lib/server/roadmap';
import { seedDemo } from '$lib/server/seed/demo';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('demo roadmap and changelog on %s', (backend) => {
	const t = useTestDatabase(backend);

	beforeAll(async () => {
		expect((await seedDemo(t.db, { password: () => 'demo-password-for-tests' })).seeded).toBe(true);
	});

	it('fills the three roadmap columns in the staff order', async () => {
		const [planned, building, shipped] = await getRoadmap(t.db);
		// The staff-ordered cards come first; the demo's other ideas in these statuses follow.
		expect(planned!.cards.map((c) => c.title).slice(0, 3)).toEqual([
			'Quiet hours for push alerts',
			'Async client in the Python library',
			'Annotate charts with release notes'
		]);
		expect(planned!.cards[0]!.targetQuarter).toBe('2027-Q1');
		expect(building!.cards.map((c) => c.title).slice(0, 2)).toEqual([
			'Single sign-on with SAML',
			'Offline mode with the last 7 days of data'
		]);
		expect(shipped!.cards.map((c) => c.title).slice(0, 3)).toEqual([
			'Retry failed webhooks with backoff',
			// Shipped together: the later idea first.
			'Schedule a CSV export of any report',
			'Dark mode for dashboards'
		]);
	});

	it('publishes two entries, newest first, with their shipped ideas and told voters', async () => {
		const { entries } = await listPublishedEntries(t.db);
		expect(entries.map((e) => e.title)).toEqual([
			'Webhooks now retry for up to a day',
			'Dark mode and scheduled CSV exports'
		]);
		expect(entries[1]!.ideas.map((i) => i.status.category)).toEqual(['done', 'done']);
		const told = await t.db
			.selectFrom('notification')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('kind', '=', 'status_change')
			.where('post_id', '=', entries[0]!.ideas[0]!.id)
			.executeTakeFirstOrThrow();
		expect(told.n).toBeGreaterThan(3);
	});
});
