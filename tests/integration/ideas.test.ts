import { describe, expect, it } from 'vitest';
import {
	deleteIdea,
	editIdea,
	getIdeaDetail,
	ideaSchema,
	postIdea,
	type IdeaInput
} from '$lib/server/ideas';
import { anonymous } from '$lib/server/policy';
import { castVote } from '$lib/server/votes';
import { createProduct, createTag, createUser } from '../helpers/factories';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('ideas on %s', (backend) => {
	const t = useTestDatabase(backend);

	async function newIdea(overrides: Partial<IdeaInput> = {}) {
		const author = await createUser(t.db);
		const product = await createProduct(t.db);
		const input: IdeaInput = {
			title: 'Dark mode for dashboards',
			body: 'Our night shift stares at **bright** screens.',
			product: product.id,
			tags: [],
			...overrides
		};
		const result = await postIdea(t.db, author, input);
		if (!result.ok) {
			throw new Error(`could not post: ${JSON.stringify(result)}`);
		}
		return { author, product, id: result.id, path: result.path };
	}

	async function count(table: 'post' | 'vote' | 'activity' | 'subscription' | 'post_tag') {
		const row = await t.db
			.selectFrom(table)
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return row.n;
	}

	describe('posting', () => {
		it('files the idea as Open with the author’s vote and follow, its tags, and two ledger rows', async () => {
			const tag = await createTag(t.db, { name: 'Accessibility' });
			const { author, id, path } = await newIdea({ tags: [tag.id] });
			expect(path).toBe(`/ideas/${id}-dark-mode-for-dashboards`);

			const idea = await getIdeaDetail(t.db, id);
			expect(idea).toMatchObject({
				title: 'Dark mode for dashboards',
				status: { name: 'Open', category: 'open' },
				voteCount: 1,
				commentCount: 0,
				author: { handle: author.handle },
				tags: [{ id: tag.id, name: 'Accessibility' }],
				deletedAt: null,
				mergedInto: null
			});
			expect(idea!.bodyHtml).toContain('<strong>bright</strong>');

			const votes = await t.db.selectFrom('vote').selectAll().where('post_id', '=', id).execute();
			expect(votes.map((v) => v.user_id)).toEqual([author.id]);
			const follows = await t.db
				.selectFrom('subscription')
				.selectAll()
				.where('post_id', '=', id)
				.execute();
			expect(follows).toMatchObject([{ user_id: author.id, following: true }]);
			const ledger = await t.db
				.selectFrom('activity')
				.select(['kind', 'user_id'])
				.where('post_id', '=', id)
				.orderBy('id')
				.execute();
			expect(ledger).toEqual([
				{ kind: 'idea_posted', user_id: author.id },
				{ kind: 'vote_cast', user_id: author.id }
			]);
		});

		it('explains bad input and stores nothing', async () => {
			const author = await createUser(t.db);
			const archived = await createProduct(t.db, { archived: true });
			const product = await createProduct(t.db);
			const oldTag = await createTag(t.db, { archived: true });
			const before = await Promise.all([count('post'), count('vote'), count('activity')]);

			const tooShort = ideaSchema.safeParse({
				title: 'Hi',
				body: 'x',
				product: String(product.id)
			});
			expect(tooShort.success).toBe(false);
			expect(tooShort.error?.issues[0]?.message).toBe('Use at least 4 characters for the title.');
			const empty = ideaSchema.safeParse({ title: 'A fine title', body: '  ', product: '1' });
			expect(empty.error?.issues.map((i) => i.message)).toEqual([
				'Describe the idea: what do you need, and why?'
			]);
			const tooLong = ideaSchema.safeParse({
				title: 'A fine title',
				body: 'x'.repeat(20_001),
				product: '1'
			});
			expect(tooLong.success).toBe(false);

			const base = { title: 'A fine title', body: 'Details', tags: [] };
			expect(await postIdea(t.db, author, { ...base, product: 987654 })).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { product: 'Choose one of the products.' }
			});
			expect(await postIdea(t.db, author, { ...base, product: archived.id })).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { product: 'This product is archived and takes no new ideas.' }
			});
			expect(
				await postIdea(t.db, author, { ...base, product: product.id, tags: [oldTag.id] })
			).toEqual({ ok: false, reason: 'invalid', errors: { tags: 'Choose tags from the list.' } });
			expect(await postIdea(t.db, anonymous, { ...base, product: product.id })).toEqual({
				ok: false,
				reason: 'forbidden'
			});

			expect(await Promise.all([count('post'), count('vote'), count('activity')])).toEqual(before);
		});

		it('renders the body safely', async () => {
			const { id } = await newIdea({ body: '<script>alert(1)</script> [x](javascript:alert(1))' });
			const idea = await getIdeaDetail(t.db, id);
			expect(idea!.bodyHtml).not.toContain('<script');
			expect(idea!.bodyHtml).not.toMatch(/(href|src)="\s*javascript:/i);
			expect(idea!.bodyHtml).toContain('&lt;script&gt;');
		});
	});

	describe('editing', () => {
		const changed = (product: number): IdeaInput => ({
			title: 'Dark mode everywhere',
			body: 'Dashboards *and* reports.',
			product,
			tags: []
		});

		it('lets the author edit, marks it edited and re-renders', async () => {
			const { author, product, id } = await newIdea();
			const result = await editIdea(t.db, author, id, changed(product.id));
			expect(result).toEqual({ ok: true, path: `/ideas/${id}-dark-mode-everywhere` });
			const idea = await getIdeaDetail(t.db, id);
			expect(idea).toMatchObject({ title: 'Dark mode everywhere', editedAt: expect.any(Date) });
			expect(idea!.bodyHtml).toContain('<em>and</em>');
		});

		it('stops the author once others voted and the hour has passed; staff still can', async () => {
			const { author, product, id } = await newIdea();
			const voter = await createUser(t.db);
			expect(await castVote(t.db, voter, { postId: id })).toEqual({ ok: true, changed: true });
			// Within the hour others' votes do not matter.
			expect((await editIdea(t.db, author, id, changed(product.id))).ok).toBe(true);
			await t.db
				.updateTable('post')
				.set({ created_at: new Date(Date.now() - 2 * 60 * 60 * 1000) })
				.where('id', '=', id)
				.execute();
			expect(await editIdea(t.db, author, id, changed(product.id))).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			const staff = await createUser(t.db, { role: 'staff' });
			expect((await editIdea(t.db, staff, id, changed(product.id))).ok).toBe(true);
		});

		it('refuses someone else’s idea and changes nothing', async () => {
			const { product, id } = await newIdea();
			const stranger = await createUser(t.db);
			expect(await editIdea(t.db, stranger, id, changed(product.id))).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect((await getIdeaDetail(t.db, id))!.title).toBe('Dark mode for dashboards');
		});

		it('keeps an idea on a product archived since, but moves none onto one', async () => {
			const { author, product, id } = await newIdea();
			await t.db
				.updateTable('product')
				.set({ archived_at: new Date() })
				.where('id', '=', product.id)
				.execute();
			expect((await editIdea(t.db, author, id, changed(product.id))).ok).toBe(true);
			const other = await createProduct(t.db, { archived: true });
			expect(await editIdea(t.db, author, id, changed(other.id))).toMatchObject({
				ok: false,
				reason: 'invalid'
			});
		});
	});

	describe('deleting', () => {
		it('soft-deletes for the author only, keeping votes', async () => {
			const { author, id } = await newIdea();
			const stranger = await createUser(t.db);
			expect(await deleteIdea(t.db, stranger, id)).toEqual({ ok: false, reason: 'forbidden' });
			expect(await deleteIdea(t.db, author, id)).toEqual({ ok: true });
			const idea = await getIdeaDetail(t.db, id);
			expect(idea!.deletedAt).toBeInstanceOf(Date);
			expect(idea!.voteCount).toBe(1);
			expect(await deleteIdea(t.db, author, id)).toEqual({ ok: false, reason: 'not_found' });
			expect(await castVote(t.db, stranger, { postId: id })).toEqual({
				ok: false,
				reason: 'not_found'
			});
		});
	});
});
