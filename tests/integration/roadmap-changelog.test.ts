// The roadmap and the changelog on both databases: which ideas the roadmap shows and in what
// order, the staff tools, drafts staying private, and publishing an entry shipping its ideas
// with every voter and follower told once (and never twice, however often it is published).
import { beforeAll, describe, expect, it } from 'vitest';
import {
	createEntry,
	getEntryForStaff,
	getPublishedEntry,
	linkIdea,
	listPublishedEntries,
	publishEntry,
	unlinkIdea,
	updateEntry
} from '$lib/server/changelog';
import type { Db } from '$lib/server/db/index';
import { setFollowing } from '$lib/server/follows';
import { postIdea } from '$lib/server/ideas';
import { changeIdeaStatus } from '$lib/server/ideas/status';
import { listNotifications } from '$lib/server/notifications';
import type { UserActor } from '$lib/server/policy';
import {
	SHIPPED_WINDOW_DAYS,
	getRoadmap,
	moveOnRoadmap,
	pickIdeas,
	setRoadmapStatus,
	setTargetQuarter
} from '$lib/server/roadmap';
import { castVote } from '$lib/server/votes';
import { createProduct, createUser, setIdeaStatus } from '../helpers/factories';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('roadmap and changelog on %s', (backend) => {
	const t = useTestDatabase(backend);
	const db = (): Db => t.db;
	let staff: UserActor;
	let member: UserActor;
	let product: { id: number; slug: string; name: string };
	let other: { id: number; slug: string; name: string };
	const statusIds: Record<string, number> = {};

	beforeAll(async () => {
		staff = await createUser(db(), { role: 'staff', displayName: 'Sam Staff' });
		member = await createUser(db(), { displayName: 'Mia Member' });
		product = await createProduct(db(), { name: 'Analytics' });
		other = await createProduct(db(), { name: 'Mobile' });
		for (const row of await db().selectFrom('idea_status').select(['id', 'slug']).execute()) {
			statusIds[row.slug] = row.id;
		}
	});

	async function idea(title: string, options: { productId?: number; author?: UserActor } = {}) {
		const result = await postIdea(db(), options.author ?? member, {
			title,
			body: `The description of ${title}.`,
			product: options.productId ?? product.id,
			tags: []
		});
		if (!result.ok) {
			throw new Error(`could not post ${title}`);
		}
		return result.id;
	}

	async function voters(postId: number, n: number): Promise<UserActor[]> {
		const people: UserActor[] = [];
		for (let i = 0; i < n; i++) {
			const person = await createUser(db());
			await castVote(db(), person, { postId });
			people.push(person);
		}
		return people;
	}

	async function place(postId: number, slug: string) {
		const result = await setRoadmapStatus(db(), staff, {
			ideaId: postId,
			statusId: statusIds[slug]!
		});
		expect(result).toMatchObject({ ok: true });
	}

	const titles = async (category: string, productSlug?: string) =>
		(await getRoadmap(db(), { productSlug }))
			.find((c) => c.category === category)!
			.cards.map((card) => card.title);

	/** status_change notifications for an idea: user id → how many. */
	async function told(postId: number): Promise<Map<number, number>> {
		const rows = await db()
			.selectFrom('notification')
			.select(['user_id'])
			.where('post_id', '=', postId)
			.where('kind', '=', 'status_change')
			.execute();
		const counts = new Map<number, number>();
		for (const row of rows) {
			counts.set(row.user_id, (counts.get(row.user_id) ?? 0) + 1);
		}
		return counts;
	}

	describe('the roadmap', () => {
		it('shows planned, in progress and recently shipped ideas, never hidden, deleted or merged ones', async () => {
			const planned = await idea('Roadmap planned idea');
			const building = await idea('Roadmap in progress idea');
			const shipped = await idea('Roadmap shipped idea');
			const open = await idea('Roadmap open idea');
			const hidden = await idea('Roadmap hidden idea');
			const deleted = await idea('Roadmap deleted idea');
			const merged = await idea('Roadmap merged idea');
			await place(planned, 'planned');
			await place(building, 'in-progress');
			await place(shipped, 'shipped');
			for (const id of [hidden, deleted, merged]) {
				await place(id, 'planned');
			}
			await db()
				.updateTable('post')
				.set({ visibility: 'hidden' })
				.where('id', '=', hidden)
				.execute();
			await db()
				.updateTable('post')
				.set({ deleted_at: new Date() })
				.where('id', '=', deleted)
				.execute();
			await db()
				.updateTable('post')
				.set({ merged_into_id: planned })
				.where('id', '=', merged)
				.execute();

			const columns = await getRoadmap(db());
			expect(columns.map((c) => c.label)).toEqual(['Planned', 'In progress', 'Shipped']);
			const all = columns.flatMap((c) => c.cards.map((card) => card.id));
			expect(await titles('planned')).toContain('Roadmap planned idea');
			expect(await titles('in_progress')).toContain('Roadmap in progress idea');
			expect(await titles('done')).toContain('Roadmap shipped idea');
			for (const id of [open, hidden, deleted, merged]) {
				expect(all).not.toContain(id);
			}
			const shippedCard = columns[2]!.cards.find((c) => c.id === shipped)!;
			expect(shippedCard.shippedAt).toBeInstanceOf(Date);
			expect(shippedCard.product).toEqual({ name: 'Analytics', slug: product.slug });
		});

		it('keeps only the last 90 days in Shipped, and a renamed status still counts by category', async () => {
			const old = await idea('Shipped long ago');
			const recent = await idea('Shipped last week');
			await place(old, 'shipped');
			await place(recent, 'shipped');
			const longAgo = new Date(Date.now() - (SHIPPED_WINDOW_DAYS + 5) * 86_400_000);
			await db()
				.updateTable('status_change')
				.set({ created_at: longAgo })
				.where('post_id', '=', old)
				.execute();
			await db()
				.updateTable('idea_status')
				.set({ name: 'Released' })
				.where('slug', '=', 'shipped')
				.execute();
			try {
				const done = await titles('done');
				expect(done).toContain('Shipped last week');
				expect(done).not.toContain('Shipped long ago');
				const card = (await getRoadmap(db()))[2]!.cards.find((c) => c.id === recent)!;
				expect(card.status.name).toBe('Released');
			} finally {
				await db()
					.updateTable('idea_status')
					.set({ name: 'Shipped' })
					.where('slug', '=', 'shipped')
					.execute();
			}
		});

		it('filters by product', async () => {
			const mobile = await idea('Offline charts on mobile', { productId: other.id });
			await place(mobile, 'planned');
			expect(await titles('planned', other.slug)).toEqual(['Offline charts on mobile']);
			expect(await titles('planned', product.slug)).not.toContain('Offline charts on mobile');
		});

		it('orders a column by votes until staff order it, then by their order', async () => {
			const p = await createProduct(db(), { name: 'Ordering' });
			const a = await idea('Order A', { productId: p.id });
			const b = await idea('Order B', { productId: p.id });
			const c = await idea('Order C', { productId: p.id });
			await voters(b, 2);
			await voters(c, 1);
			for (const id of [a, b, c]) {
				await place(id, 'in-progress');
			}
			expect(await titles('in_progress', p.slug)).toEqual(['Order B', 'Order C', 'Order A']);

			expect(
				await moveOnRoadmap(db(), staff, { ideaId: a, direction: 'up', productSlug: p.slug })
			).toEqual({ ok: true, changed: true });
			expect(await titles('in_progress', p.slug)).toEqual(['Order B', 'Order A', 'Order C']);
			await moveOnRoadmap(db(), staff, { ideaId: a, direction: 'up', productSlug: p.slug });
			expect(await titles('in_progress', p.slug)).toEqual(['Order A', 'Order B', 'Order C']);
			// At the top already: nothing moves.
			expect(
				await moveOnRoadmap(db(), staff, { ideaId: a, direction: 'up', productSlug: p.slug })
			).toEqual({ ok: true, changed: false });
			await moveOnRoadmap(db(), staff, { ideaId: c, direction: 'up', productSlug: p.slug });
			expect(await titles('in_progress', p.slug)).toEqual(['Order A', 'Order C', 'Order B']);
			// The order holds against votes once set.
			await voters(b, 3);
			expect(await titles('in_progress', p.slug)).toEqual(['Order A', 'Order C', 'Order B']);
			// An idea that newly joins the column comes after the ordered ones.
			const d = await idea('Order D', { productId: p.id });
			await voters(d, 5);
			await place(d, 'in-progress');
			expect(await titles('in_progress', p.slug)).toEqual([
				'Order A',
				'Order C',
				'Order B',
				'Order D'
			]);
			await moveOnRoadmap(db(), staff, { ideaId: a, direction: 'down', productSlug: p.slug });
			expect(await titles('in_progress', p.slug)).toEqual([
				'Order C',
				'Order A',
				'Order B',
				'Order D'
			]);

			const audit = await db()
				.selectFrom('audit_log')
				.select('action')
				.where('action', '=', 'roadmap.move')
				.where('target_id', '=', String(a))
				.execute();
			expect(audit.length).toBe(3); // the move that changed nothing is not recorded
		});

		it('refuses members, and ideas that are not in an ordered column', async () => {
			const id = await idea('Not on the roadmap');
			expect(await moveOnRoadmap(db(), member, { ideaId: id, direction: 'up' })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await moveOnRoadmap(db(), staff, { ideaId: id, direction: 'up' })).toEqual({
				ok: false,
				reason: 'not_on_roadmap'
			});
			expect(await setTargetQuarter(db(), member, { ideaId: id, quarter: '2027-Q1' })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(
				await setRoadmapStatus(db(), member, { ideaId: id, statusId: statusIds.planned! })
			).toEqual({ ok: false, reason: 'forbidden' });
			expect(await setRoadmapStatus(db(), staff, { ideaId: id, statusId: 999_999 })).toEqual({
				ok: false,
				reason: 'unknown_status'
			});
			const row = await db()
				.selectFrom('post')
				.select(['status_id', 'target_quarter'])
				.where('id', '=', id)
				.executeTakeFirstOrThrow();
			expect(row).toEqual({ status_id: statusIds.open, target_quarter: null });
		});

		it('sets and clears a target quarter, which the database checks too', async () => {
			const id = await idea('Quarterly idea');
			await place(id, 'planned');
			expect(await setTargetQuarter(db(), staff, { ideaId: id, quarter: '2027-Q1' })).toEqual({
				ok: true,
				changed: true
			});
			const card = (await getRoadmap(db()))[0]!.cards.find((c) => c.id === id)!;
			expect(card.targetQuarter).toBe('2027-Q1');
			expect(await setTargetQuarter(db(), staff, { ideaId: id, quarter: '2027-Q1' })).toEqual({
				ok: true,
				changed: false
			});
			expect(await setTargetQuarter(db(), staff, { ideaId: id, quarter: null })).toEqual({
				ok: true,
				changed: true
			});
			await expect(
				db().updateTable('post').set({ target_quarter: '2027-Q5' }).where('id', '=', id).execute()
			).rejects.toThrow();
		});

		it('moving an idea onto the roadmap tells its voters and followers once, and records history', async () => {
			const id = await idea('Told when planned');
			const [v1, v2] = await voters(id, 2);
			await setFollowing(db(), v2!.id, id, false);
			const follower = await createUser(db());
			await setFollowing(db(), follower.id, id, true);
			await place(id, 'planned');
			const counts = await told(id);
			// The author (voted and follows), the voter who still follows, and the follower; a voter
			// who unfollowed asked not to hear (their ship record says so: see triage).
			expect([...counts.keys()].sort()).toEqual([member.id, v1!.id, follower.id].sort());
			expect([...counts.values()].every((n) => n === 1)).toBe(true);
			const { items } = await listNotifications(db(), v1!.id);
			expect(items[0]).toMatchObject({
				kind: 'status_change',
				summary: `${staff.displayName} moved “Told when planned” to Planned`,
				changelog: null
			});
			// The same status again changes nothing and tells nobody.
			await place(id, 'planned');
			expect((await told(id)).size).toBe(3);
			const history = await db()
				.selectFrom('status_change')
				.select(['to_status_id', 'changed_by_id'])
				.where('post_id', '=', id)
				.execute();
			expect(history).toEqual([{ to_status_id: statusIds.planned, changed_by_id: staff.id }]);
		});

		it('finds ideas to place by words, part of the title or number', async () => {
			const id = await idea('Exporting dashboards to PowerPoint');
			expect((await pickIdeas(db(), 'export powerpoint')).map((i) => i.id)).toContain(id);
			expect((await pickIdeas(db(), 'PowerPo')).map((i) => i.id)).toContain(id);
			expect((await pickIdeas(db(), `#${id}`))[0]!.id).toBe(id);
			expect(await pickIdeas(db(), '100%_\\')).toEqual([]);
		});
	});

	describe('the changelog', () => {
		it('keeps drafts from the public and from members', async () => {
			const draft = await createEntry(db(), staff, {
				title: 'Secret draft',
				body: 'Not yet.',
				product: null
			});
			expect(draft.ok).toBe(true);
			if (!draft.ok) {
				return;
			}
			expect(await createEntry(db(), member, { title: 'Mine', body: '', product: null })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			const { entries } = await listPublishedEntries(db());
			expect(entries.map((e) => e.title)).not.toContain('Secret draft');
			expect(await getPublishedEntry(db(), String(draft.id))).toEqual({
				found: false,
				redirectTo: null
			});
			expect(await publishEntry(db(), member, draft.id)).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await linkIdea(db(), member, { entryId: draft.id, ideaId: 1 })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
		});

		it('publishing ships each linked idea and tells every voter and follower once; publishing again does nothing', async () => {
			const first = await idea('Dark mode for dashboards');
			const second = await idea('Keyboard shortcuts everywhere');
			const alreadyShipped = await idea('Already shipped before');
			const both = await voters(first, 3);
			await castVote(db(), both[0]!, { postId: second });
			const lurker = await createUser(db());
			await setFollowing(db(), lurker.id, second, true);
			await place(alreadyShipped, 'shipped');
			const toldBefore = await told(alreadyShipped);

			const created = await createEntry(db(), staff, {
				title: 'November release',
				body: 'Dark mode **and** shortcuts.',
				product: product.id
			});
			if (!created.ok) {
				throw new Error('not created');
			}
			for (const ideaId of [first, second, alreadyShipped]) {
				expect(await linkIdea(db(), staff, { entryId: created.id, ideaId })).toEqual({
					ok: true,
					changed: true,
					shipped: false
				});
			}
			expect(await linkIdea(db(), staff, { entryId: created.id, ideaId: first })).toEqual({
				ok: true,
				changed: false,
				shipped: false
			});
			// Linking does not ship a draft's ideas.
			expect(await told(first)).toEqual(new Map());

			const published = await publishEntry(db(), staff, created.id);
			expect(published).toMatchObject({
				ok: true,
				published: true,
				path: `/changelog/${created.id}-november-release`
			});
			if (!published.ok) {
				return;
			}
			expect(published.shipped.sort()).toEqual([first, second].sort());

			const rows = await db()
				.selectFrom('post')
				.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
				.select(['post.id', 'idea_status.category'])
				.where('post.id', 'in', [first, second])
				.execute();
			expect(rows.every((r) => r.category === 'done')).toBe(true);

			const firstTold = await told(first);
			expect([...firstTold.keys()].sort()).toEqual([member.id, ...both.map((p) => p.id)].sort());
			const secondTold = await told(second);
			expect([...secondTold.keys()].sort()).toEqual([member.id, both[0]!.id, lurker.id].sort());
			for (const n of [...firstTold.values(), ...secondTold.values()]) {
				expect(n).toBe(1);
			}
			expect(firstTold.has(staff.id)).toBe(false);
			// The idea that had shipped already is not announced again.
			expect(await told(alreadyShipped)).toEqual(toldBefore);

			const { items } = await listNotifications(db(), both[1]!.id);
			expect(items[0]).toMatchObject({
				kind: 'status_change',
				summary: '“Dark mode for dashboards” has shipped',
				changelog: { title: 'November release', path: published.path }
			});
			const data = await db()
				.selectFrom('notification')
				.select('data')
				.where('user_id', '=', both[1]!.id)
				.where('post_id', '=', first)
				.executeTakeFirstOrThrow();
			expect(data.data).toEqual({
				from: 'Open',
				to: 'Shipped',
				category: 'done',
				changelog: { title: 'November release', path: published.path }
			});

			// Twice: nothing more.
			const notificationsBefore = await db()
				.selectFrom('notification')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			expect(await publishEntry(db(), staff, created.id)).toEqual({
				ok: true,
				published: false,
				path: published.path,
				shipped: []
			});
			const notificationsAfter = await db()
				.selectFrom('notification')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			expect(notificationsAfter.n).toBe(notificationsBefore.n);

			const [activity, audit] = await Promise.all([
				db()
					.selectFrom('activity')
					.select(['user_id', 'data'])
					.where('kind', '=', 'changelog_published')
					.execute(),
				db()
					.selectFrom('audit_log')
					.select('action')
					.where('target_type', '=', 'changelog_entry')
					.where('target_id', '=', String(created.id))
					.orderBy('id')
					.execute()
			]);
			expect(
				activity.filter((a) => (a.data as { entryId: number }).entryId === created.id)
			).toHaveLength(1);
			expect(audit.map((a) => a.action)).toEqual([
				'changelog.create',
				'changelog.link_idea',
				'changelog.link_idea',
				'changelog.link_idea',
				'changelog.publish'
			]);

			// The public sees it, newest first, with its ideas, by product too.
			const found = await getPublishedEntry(db(), `${created.id}-november-release`);
			expect(found.found && found.entry.ideas.map((i) => i.id).sort()).toEqual(
				[first, second, alreadyShipped].sort()
			);
			expect(found.found && found.entry.bodyHtml).toContain('<strong>and</strong>');
			expect(await getPublishedEntry(db(), `${created.id}-old-words`)).toEqual({
				found: false,
				redirectTo: published.path
			});
			expect((await listPublishedEntries(db(), { productSlug: product.slug })).entries[0]!.id).toBe(
				created.id
			);
			expect(
				(await listPublishedEntries(db(), { productSlug: other.slug })).entries.map((e) => e.id)
			).not.toContain(created.id);
		});

		it('an idea linked after publishing ships at once; unlinking keeps it shipped', async () => {
			const created = await createEntry(db(), staff, {
				title: 'Late link',
				body: '',
				product: null
			});
			if (!created.ok) {
				throw new Error('not created');
			}
			await publishEntry(db(), staff, created.id);
			const late = await idea('Linked after publishing');
			const [voter] = await voters(late, 1);
			expect(await linkIdea(db(), staff, { entryId: created.id, ideaId: late })).toEqual({
				ok: true,
				changed: true,
				shipped: true
			});
			expect((await told(late)).get(voter!.id)).toBe(1);
			expect(await unlinkIdea(db(), staff, { entryId: created.id, ideaId: late })).toEqual({
				ok: true,
				changed: true
			});
			const entry = await getEntryForStaff(db(), created.id);
			expect(entry?.ideas).toEqual([]);
			const status = await db()
				.selectFrom('post')
				.select('status_id')
				.where('id', '=', late)
				.executeTakeFirstOrThrow();
			expect(status.status_id).toBe(statusIds.shipped);
		});

		it('ships with the first status of category done, whatever admins named it', async () => {
			const released = await db()
				.insertInto('idea_status')
				.values({ name: 'Released', slug: 'released-first', category: 'done', position: 0 })
				.returning('id')
				.executeTakeFirstOrThrow();
			try {
				const id = await idea('Shipped under another name');
				const created = await createEntry(db(), staff, {
					title: 'Renamed',
					body: '',
					product: null
				});
				if (!created.ok) {
					throw new Error('not created');
				}
				await linkIdea(db(), staff, { entryId: created.id, ideaId: id });
				await publishEntry(db(), staff, created.id);
				const row = await db()
					.selectFrom('post')
					.select('status_id')
					.where('id', '=', id)
					.executeTakeFirstOrThrow();
				expect(row.status_id).toBe(released.id);
			} finally {
				await db()
					.updateTable('idea_status')
					.set({ position: 99 })
					.where('id', '=', released.id)
					.execute();
			}
		});

		it('two publishes at once ship and notify once', async () => {
			const id = await idea('Raced release idea');
			const [voter] = await voters(id, 1);
			const created = await createEntry(db(), staff, {
				title: 'Raced release',
				body: '',
				product: null
			});
			if (!created.ok) {
				throw new Error('not created');
			}
			await linkIdea(db(), staff, { entryId: created.id, ideaId: id });
			const results = await Promise.all([
				publishEntry(db(), staff, created.id),
				publishEntry(db(), staff, created.id)
			]);
			expect(results.filter((r) => r.ok && r.published)).toHaveLength(1);
			expect((await told(id)).get(voter!.id)).toBe(1);
		});

		it('validates the product and edits keep the address', async () => {
			expect(
				await createEntry(db(), staff, { title: 'Bad product', body: '', product: 999_999 })
			).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { product: 'Choose one of the products, or none.' }
			});
			const created = await createEntry(db(), staff, {
				title: 'Edit me',
				body: 'One',
				product: null
			});
			if (!created.ok) {
				throw new Error('not created');
			}
			const published = await publishEntry(db(), staff, created.id);
			await updateEntry(db(), staff, created.id, {
				title: 'Edited title',
				body: 'Two',
				product: other.id
			});
			const found = await getPublishedEntry(db(), `${created.id}-edit-me`);
			expect(found.found && found.entry).toMatchObject({
				title: 'Edited title',
				bodyHtml: '<p>Two</p>\n',
				path: published.ok ? published.path : ''
			});
		});
	});

	it('changeIdeaStatus writes nothing when the status is unchanged', async () => {
		const id = await idea('Unchanged status');
		await setIdeaStatus(db(), id, 'planned');
		await db()
			.transaction()
			.execute(async (trx) => {
				expect(
					await changeIdeaStatus(trx, staff, { ideaId: id, statusId: statusIds.planned! })
				).toEqual({ changed: false });
			});
		expect(await told(id)).toEqual(new Map());
		const history = await db()
			.selectFrom('status_change')
			.select('id')
			.where('post_id', '=', id)
			.execute();
		expect(history).toEqual([]);
	});
});
