import { describe, expect, it } from 'vitest';
import { npsOf } from '$lib/domain/surveys';
import { latestNpsScores } from '$lib/server/surveys/nps';
import { createUser } from '../helpers/factories';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('latest NPS answers on %s', (backend) => {
	const t = useTestDatabase(backend);

	it("takes each member's latest answer in the window: 3 promoters, 1 passive, 2 detractors → 16.7", async () => {
		const company = await t.db
			.insertInto('company')
			.values({ name: 'Acme NPS', slug: `acme-nps-${backend}` })
			.returning('id')
			.executeTakeFirstOrThrow();
		const people = await Promise.all(Array.from({ length: 7 }, () => createUser(t.db)));
		await t.db
			.updateTable('app_user')
			.set({ company_id: company.id })
			.where(
				'id',
				'in',
				people.slice(0, 6).map((p) => p.id)
			)
			.execute();
		const answer = (index: number, score: number, day: string) =>
			t.db
				.insertInto('survey_response')
				.values({
					user_id: people[index]!.id,
					kind: 'nps',
					score,
					created_at: new Date(`2026-${day}T12:00:00Z`)
				})
				.execute();
		// Person 0 was a detractor in March and a promoter by June: only June counts.
		await answer(0, 3, '03-01');
		await answer(0, 10, '06-01');
		await answer(1, 9, '06-02');
		await answer(2, 9, '06-03');
		await answer(3, 8, '06-04');
		await answer(4, 6, '06-05');
		await answer(5, 0, '06-06');
		// Outside the company, and outside the window: neither counts below.
		await answer(6, 10, '06-07');
		await answer(1, 2, '08-01');
		await t.db
			.insertInto('survey_response')
			.values({ user_id: people[2]!.id, kind: 'csat', score: 1 })
			.execute();

		const window = { from: new Date('2026-05-01Z'), to: new Date('2026-07-01Z') };
		const scores = await latestNpsScores(t.db, { ...window, companyId: company.id });
		expect(scores.map((s) => s.score).sort((a, b) => a - b)).toEqual([0, 6, 8, 9, 9, 10]);
		expect(npsOf(scores.map((s) => s.score)).nps).toBe(16.7);

		const everyone = await latestNpsScores(t.db, { from: new Date('2026-05-01Z') });
		const person1 = everyone.find((s) => s.userId === people[1]!.id);
		expect(person1?.score).toBe(2);
		expect(await latestNpsScores(t.db, { userIds: [] })).toEqual([]);
		expect((await latestNpsScores(t.db, { userIds: [people[0]!.id] }))[0]?.score).toBe(10);
	});
});
