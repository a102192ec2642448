// One moderation system for every kind of post: flags on a review and on a discussion hide them
// at the threshold, and they drop out of what members see at once (aggregates, lists).
import { describe, expect, it } from 'vitest';
import { saveCategory } from '$lib/server/discussions/categories';
import { listThreads, startThread, threadSchema } from '$lib/server/discussions/threads';
import { listReplies, loadThreadFacts, postReply } from '$lib/server/discussions';
import { flagItem } from '$lib/server/moderation';
import { writeReview } from '$lib/server/reviews';
import { ratingSummary } from '$lib/server/reviews/queries';
import { createProduct, createUser } from '../helpers/factories';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('moderation of reviews and discussions on %s', (backend) => {
	const t = useTestDatabase(backend);

	async function flagThrice(postId: number) {
		const results = [];
		for (let i = 0; i < 3; i++) {
			const flagger = await createUser(t.db);
			results.push(await flagItem(t.db, flagger, { type: 'post', id: postId }, { reason: 'spam' }));
		}
		return results;
	}

	it('a review flagged by three members is hidden and leaves the product’s rating at once', async () => {
		const product = await createProduct(t.db);
		const honest = await createUser(t.db);
		const spammer = await createUser(t.db);
		const body = 'Exports are reliable and the weekly digest saves me an hour.';
		await writeReview(t.db, honest, product.id, { rating: 4, title: 'Good', body, review: null });
		const spam = await writeReview(t.db, spammer, product.id, {
			rating: 1,
			title: 'Buy followers now',
			body: 'Cheap followers at a site you have never heard of, click now!',
			review: null
		});
		if (!spam.ok) {
			throw new Error('review refused');
		}
		expect(await ratingSummary(t.db, product.id)).toMatchObject({ count: 2, average: 2.5 });

		const results = await flagThrice(spam.id);
		expect(results.map((r) => r.ok && r.hidden)).toEqual([false, false, true]);
		expect(await ratingSummary(t.db, product.id)).toMatchObject({ count: 1, average: 4 });
	});

	it('a discussion flagged by three members is hidden from the list but not from its author', async () => {
		const admin = await createUser(t.db, { role: 'admin' });
		const saved = await saveCategory(t.db, admin, {
			name: 'General',
			slug: `general-${Date.now().toString(36)}`,
			description: '',
			product: null,
			position: 0
		});
		if (!saved.ok) {
			throw new Error('category refused');
		}
		const author = await createUser(t.db);
		const thread = await startThread(
			t.db,
			author,
			threadSchema.parse({
				title: 'Free crypto for everyone',
				body: 'Send one coin, get two back.',
				category: String(saved.category.id),
				pollQuestion: '',
				pollOptions: ''
			})
		);
		if (!thread.ok) {
			throw new Error('thread refused');
		}
		const reader = await createUser(t.db);
		const ids = async (actor: typeof reader) =>
			(await listThreads(t.db, actor, { categoryId: saved.category.id })).threads.map(
				(th) => th.id
			);
		expect(await ids(reader)).toEqual([thread.id]);

		await flagThrice(thread.id);
		expect(await ids(reader)).toEqual([]);
		const row = await t.db
			.selectFrom('post')
			.select(['visibility', 'hidden_reason'])
			.where('id', '=', thread.id)
			.executeTakeFirstOrThrow();
		expect(row.visibility).toBe('hidden');
		expect(row.hidden_reason).toMatch(/flagged/);
	});

	it('a reply flagged by three members leaves the thread for others, not for its author', async () => {
		const admin = await createUser(t.db, { role: 'admin' });
		const saved = await saveCategory(t.db, admin, {
			name: 'Replies',
			slug: `replies-${Date.now().toString(36)}`,
			description: '',
			product: null,
			position: 0
		});
		if (!saved.ok) {
			throw new Error('category refused');
		}
		const asker = await createUser(t.db);
		const thread = await startThread(
			t.db,
			asker,
			threadSchema.parse({
				title: 'How do you export cohorts?',
				body: 'Looking for tips.',
				category: String(saved.category.id),
				pollQuestion: '',
				pollOptions: ''
			})
		);
		if (!thread.ok) {
			throw new Error('thread refused');
		}
		const spammer = await createUser(t.db);
		const reply = await postReply(t.db, spammer, { postId: thread.id, body: 'Buy cheap pills' });
		if (!reply.ok) {
			throw new Error('reply refused');
		}
		for (let i = 0; i < 3; i++) {
			const flagger = await createUser(t.db);
			await flagItem(t.db, flagger, { type: 'comment', id: reply.id }, { reason: 'spam' });
		}
		const facts = (await loadThreadFacts(t.db, thread.id))!;
		const seenBy = async (actor: typeof asker) =>
			(await listReplies(t.db, actor, facts, null)).map((r) => [r.id, r.visibility]);
		expect(await seenBy(asker)).toEqual([]);
		expect(await seenBy(spammer)).toEqual([[reply.id, 'hidden']]);
	});
});
