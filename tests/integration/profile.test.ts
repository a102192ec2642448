import { describe, expect, it } from 'vitest';
import { postIdea } from '$lib/server/ideas';
import { listIdeas } from '$lib/server/ideas/queries';
import { getPublicProfile } from '$lib/server/users/profile';
import { createProduct, createUser } from '../helpers/factories';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('public profiles on %s', (backend) => {
	const t = useTestDatabase(backend);

	it('finds a person by handle in any case and counts only what the public sees', async () => {
		const person = await createUser(t.db, { handle: 'Ada_Profile', displayName: 'Ada P' });
		const product = await createProduct(t.db);
		const post = (title: string) =>
			postIdea(t.db, person, { title, body: 'Monthly reports.', product: product.id, tags: [] });
		const shown = await post('Export to spreadsheets');
		const hidden = await post('A hidden idea of mine');
		if (!shown.ok || !hidden.ok) {
			throw new Error('posting failed');
		}
		await t.db
			.updateTable('post')
			.set({ visibility: 'hidden' })
			.where('id', '=', hidden.id)
			.execute();

		const profile = await getPublicProfile(t.db, 'ada_profile');
		expect(profile).toEqual({
			id: person.id,
			handle: 'Ada_Profile',
			displayName: 'Ada P',
			role: 'member',
			joinedAt: expect.any(Date),
			ideaCount: 1,
			commentCount: 0
		});
		expect(await getPublicProfile(t.db, 'nobody_by_this_name')).toBeNull();

		const list = await listIdeas(t.db, { authorId: person.id, sort: 'newest' });
		expect(list.ideas.map((idea) => idea.title)).toContain('Export to spreadsheets');
		expect(list.ideas.every((idea) => idea.author.handle === 'Ada_Profile')).toBe(true);
	});
});
