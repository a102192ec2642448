// The demo's help threads: a few private conversations in every state, readable by their authors
// and staff, with the team's answers official, and nothing of them in the public ledger or posts.
import { beforeAll, describe, expect, it } from 'vitest';
import { helpInbox, listHelpThreads, loadHelpThreadFacts } from '$lib/server/help';
import { canReadHelpThread, type UserActor } from '$lib/server/policy';
import { seedDemo } from '$lib/server/seed/demo';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('demo help threads on %s', (backend) => {
	const t = useTestDatabase(backend);

	beforeAll(async () => {
		await seedDemo(t.db, { password: () => 'demo-password-for-tests' });
	});

	it('seeds open, answered and closed threads, answered by staff officially', async () => {
		const counts = await Promise.all(
			(['open', 'answered', 'closed'] as const).map(
				async (status) => (await helpInbox(t.db, { status })).total
			)
		);
		expect(counts).toEqual([2, 1, 1]);
		const official = await t.db
			.selectFrom('help_message as m')
			.innerJoin('app_user as u', 'u.id', 'm.author_id')
			.select(['m.is_official', 'u.role'])
			.execute();
		expect(official.every((r) => r.is_official === (r.role === 'staff'))).toBe(true);
	});

	it('shows each thread to its author and keeps the subjects out of public posts', async () => {
		const threads = await t.db
			.selectFrom('help_thread')
			.select(['id', 'author_id', 'subject'])
			.execute();
		for (const thread of threads) {
			const author = await t.db
				.selectFrom('app_user')
				.select(['id', 'handle', 'display_name', 'email', 'role'])
				.where('id', '=', thread.author_id)
				.executeTakeFirstOrThrow();
			const actor: UserActor = {
				kind: 'user',
				id: author.id,
				handle: author.handle,
				displayName: author.display_name,
				email: author.email,
				role: author.role
			};
			const facts = await loadHelpThreadFacts(t.db, thread.id, actor);
			expect(canReadHelpThread(actor, facts!)).toBe(true);
			expect((await listHelpThreads(t.db, actor)).map((x) => x.id)).toContain(thread.id);
		}
		const posts = JSON.stringify(await t.db.selectFrom('post').select(['title']).execute());
		for (const thread of threads) {
			expect(posts).not.toContain(thread.subject);
		}
	});
});
