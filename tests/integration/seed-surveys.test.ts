// The demo's survey answers: months of NPS and CSAT with a believable spread and reasons, a
// ledger row per answer, and no question waiting for anyone on first start (the team is never
// asked; the demo customers answered recently or are new accounts).
import { beforeAll, describe, expect, it } from 'vitest';
import { csatOf, npsOf } from '$lib/domain/surveys';
import type { UserActor } from '$lib/server/policy';
import { seedDemo } from '$lib/server/seed/demo';
import { currentSurveyCard } from '$lib/server/surveys';
import { latestNpsScores } from '$lib/server/surveys/nps';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('demo surveys on %s', (backend) => {
	const t = useTestDatabase(backend);

	beforeAll(async () => {
		expect((await seedDemo(t.db)).seeded).toBe(true);
	});

	it('spreads NPS over several months, with reasons, and CSAT about real posts', async () => {
		const responses = await t.db
			.selectFrom('survey_response')
			.select(['kind', 'score', 'reason', 'post_id', 'created_at'])
			.execute();
		const nps = responses.filter((r) => r.kind === 'nps');
		const csat = responses.filter((r) => r.kind === 'csat');
		const months = new Set(nps.map((r) => r.created_at.toISOString().slice(0, 7)));
		expect(months.size).toBeGreaterThanOrEqual(5);
		expect(nps.length).toBeGreaterThanOrEqual(30);
		expect(csat.length).toBeGreaterThanOrEqual(10);
		expect(csat.every((r) => r.post_id !== null)).toBe(true);
		expect(nps.filter((r) => r.reason !== null).length).toBeGreaterThan(nps.length / 3);
		const scores = new Set(nps.map((r) => r.score));
		expect(scores.size).toBeGreaterThanOrEqual(6);

		const summary = npsOf((await latestNpsScores(t.db)).map((s) => s.score));
		expect(summary.promoters).toBeGreaterThan(0);
		expect(summary.detractors).toBeGreaterThan(0);
		expect(summary.nps).toBeGreaterThan(-30);
		expect(summary.nps).toBeLessThan(80);
		const satisfaction = csatOf(csat.map((r) => r.score)).csat!;
		expect(satisfaction).toBeGreaterThan(50);
		expect(satisfaction).toBeLessThan(100);

		const ledger = await t.db
			.selectFrom('activity')
			.select('id')
			.where('kind', '=', 'survey_answered')
			.execute();
		expect(ledger).toHaveLength(responses.length);
	});

	it('leaves no question open for anyone on first start', async () => {
		const users = await t.db
			.selectFrom('app_user')
			.select(['id', 'handle', 'display_name', 'email', 'role'])
			.execute();
		for (const user of users) {
			const actor: UserActor = {
				kind: 'user',
				id: user.id,
				handle: user.handle,
				displayName: user.display_name,
				email: user.email,
				role: user.role
			};
			expect(await currentSurveyCard(t.db, actor, { siteName: 'Roundtable' })).toBeNull();
		}
		void backend;
	});
});
