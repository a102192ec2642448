// Triage on both databases: status changes (history, notifications, first response, shipping and
// the per-voter ship record), the inbox, owners, merging (each voter once, concurrent votes),
// votes on a customer's behalf, the priorities' arithmetic, statuses admin, and internal notes
// that never reach a member or a visitor.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countVisible, listComments, postComment } from '$lib/server/comments';
import type { DatabaseHandle } from '$lib/server/db/index';
import { getIdeaDetail, postIdea } from '$lib/server/ideas';
import { changeIdeaStatus } from '$lib/server/ideas/status';
import { findSimilarIdeas, listIdeas, searchIdeas } from '$lib/server/ideas/queries';
import { listNotifications } from '$lib/server/notifications';
import { anonymous, type UserActor } from '$lib/server/policy';
import {
	assignOwner,
	changeStatuses,
	listInternalNotes,
	markTriaged,
	mergeIdeas,
	postInternalNote,
	triageQueue,
	voteOnBehalf
} from '$lib/server/triage';
import { listPriorities } from '$lib/server/triage/priorities';
import {
	createStatus,
	deleteStatus,
	listStatuses,
	moveStatus,
	setDefaultStatus,
	updateStatus
} from '$lib/server/triage/statuses';
import { castVote } from '$lib/server/votes';
import { createProduct, createUser } from '../helpers/factories';
import { backends, createTestDatabase } from '../helpers/test-db';

describe.each(backends)('triage on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = () => handle.db;
	let staff: UserActor;
	let admin: UserActor;

	beforeAll(async () => {
		handle = await createTestDatabase(backend);
		staff = await createUser(db(), { role: 'staff', displayName: 'Sam Staff' });
		admin = await createUser(db(), { role: 'admin', displayName: 'Ada Admin' });
	});
	afterAll(async () => {
		await handle?.close();
	});

	async function newIdea(title = 'Keyboard shortcuts for triage', author?: UserActor) {
		const poster = author ?? (await createUser(db()));
		const product = await createProduct(db());
		const result = await postIdea(db(), poster, {
			title,
			body: 'Moving through the queue with the mouse is slow.',
			product: product.id,
			tags: []
		});
		if (!result.ok) {
			throw new Error('could not post the idea');
		}
		return { author: poster, id: result.id, product };
	}

	async function statusId(slug: string): Promise<number> {
		const row = await db()
			.selectFrom('idea_status')
			.select('id')
			.where('slug', '=', slug)
			.executeTakeFirstOrThrow();
		return row.id;
	}

	async function vote(userId: number, postId: number) {
		const voter = await db()
			.selectFrom('app_user')
			.select(['id', 'handle', 'display_name', 'email', 'role'])
			.where('id', '=', userId)
			.executeTakeFirstOrThrow();
		return castVote(
			db(),
			{
				kind: 'user',
				id: voter.id,
				handle: voter.handle,
				displayName: voter.display_name,
				email: voter.email,
				role: voter.role
			},
			{ postId }
		);
	}

	async function company(name: string, mrr: number, people: UserActor[]) {
		const row = await db()
			.insertInto('company')
			.values({
				name,
				slug: `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`,
				mrr
			})
			.returning(['id', 'slug'])
			.executeTakeFirstOrThrow();
		for (const p of people) {
			await db()
				.updateTable('app_user')
				.set({ company_id: row.id })
				.where('id', '=', p.id)
				.execute();
		}
		return row;
	}

	describe('changeIdeaStatus', () => {
		it('moves the idea, keeps the history with the message, and tells followers and voters once', async () => {
			const { author, id } = await newIdea();
			const voter = await createUser(db());
			const unfollower = await createUser(db());
			await vote(voter.id, id);
			await vote(unfollower.id, id);
			await db()
				.updateTable('subscription')
				.set({ following: false })
				.where('user_id', '=', unfollower.id)
				.where('post_id', '=', id)
				.execute();

			// An unknown status is a bug in the caller: it throws and the transaction writes nothing.
			await expect(
				db()
					.transaction()
					.execute((trx) => changeIdeaStatus(trx, staff, { ideaId: id, statusId: 987_654 }))
			).rejects.toThrow();

			const planned = await statusId('planned');
			const changed = await db()
				.transaction()
				.execute((trx) =>
					changeIdeaStatus(trx, staff, {
						ideaId: id,
						statusId: planned,
						message: 'Planned for **Q1**. <script>alert(1)</script>'
					})
				);
			expect(changed).toEqual({ changed: true });

			const detail = await getIdeaDetail(db(), id);
			expect(detail!.status.name).toBe('Planned');
			expect(detail!.history).toHaveLength(1);
			expect(detail!.history[0]).toMatchObject({ from: 'Open', to: 'Planned', by: 'Sam Staff' });
			expect(detail!.history[0]!.messageHtml).toContain('<strong>Q1</strong>');
			expect(detail!.history[0]!.messageHtml).not.toContain('<script>');

			const notes = await db()
				.selectFrom('notification')
				.select(['user_id', 'kind', 'data'])
				.where('post_id', '=', id)
				.where('kind', '=', 'status_change')
				.execute();
			expect(notes.map((n) => n.user_id).sort()).toEqual([author.id, voter.id].sort());
			expect(notes[0]!.data).toMatchObject({ from: 'Open', to: 'Planned', category: 'planned' });
			expect(String(notes[0]!.data.message_html)).toContain('<strong>Q1</strong>');

			const inbox = await listNotifications(db(), voter.id);
			expect(inbox.items[0]!.summary).toMatch(
				/Sam Staff moved “Keyboard shortcuts for triage” to Planned/
			);
			expect(inbox.items[0]!.messageHtml).toContain('Q1');

			const response = await db()
				.selectFrom('idea_first_response')
				.selectAll()
				.where('post_id', '=', id)
				.executeTakeFirstOrThrow();
			expect(response).toMatchObject({ kind: 'status_change', responder_id: staff.id });
			const activity = await db()
				.selectFrom('activity')
				.select('kind')
				.where('post_id', '=', id)
				.where('kind', '=', 'status_changed')
				.execute();
			expect(activity).toHaveLength(1);
			const audit = await db()
				.selectFrom('audit_log')
				.select('action')
				.where('target_id', '=', String(id))
				.where('action', '=', 'idea.status_changed')
				.execute();
			expect(audit).toHaveLength(1);
		});

		it('changes nothing when the status is the one the idea has', async () => {
			const { id } = await newIdea();
			const open = await statusId('open');
			const before = await db()
				.selectFrom('notification')
				.select(sql<number>`count(*)`.as('n'))
				.executeTakeFirstOrThrow();
			const result = await db()
				.transaction()
				.execute((trx) =>
					changeIdeaStatus(trx, staff, { ideaId: id, statusId: open, message: 'x' })
				);
			expect(result).toEqual({ changed: false });
			const after = await db()
				.selectFrom('notification')
				.select(sql<number>`count(*)`.as('n'))
				.executeTakeFirstOrThrow();
			expect(after.n).toBe(before.n);
			expect(
				await db().selectFrom('status_change').selectAll().where('post_id', '=', id).execute()
			).toEqual([]);
			expect(
				await db().selectFrom('idea_first_response').selectAll().where('post_id', '=', id).execute()
			).toEqual([]);
		});

		it('on shipping, records for every voter whether they were told, once', async () => {
			const { author, id } = await newIdea();
			const voter = await createUser(db());
			const quiet = await createUser(db());
			await vote(voter.id, id);
			await vote(quiet.id, id);
			await vote(staff.id, id);
			await db()
				.updateTable('subscription')
				.set({ following: false })
				.where('user_id', '=', quiet.id)
				.where('post_id', '=', id)
				.execute();
			const shipped = await statusId('shipped');
			await db()
				.transaction()
				.execute((trx) =>
					changeIdeaStatus(trx, staff, {
						ideaId: id,
						statusId: shipped,
						changelog: { title: 'November release', path: '/changelog/november' }
					})
				);
			const notices = await db()
				.selectFrom('ship_notice')
				.select(['user_id', 'notified', 'notification_id'])
				.where('post_id', '=', id)
				.orderBy('user_id')
				.execute();
			expect(notices).toEqual(
				[
					{ user_id: author.id, notified: true },
					{ user_id: voter.id, notified: true },
					{ user_id: quiet.id, notified: false },
					{ user_id: staff.id, notified: false }
				]
					.sort((a, b) => a.user_id - b.user_id)
					.map((n) => ({ ...n, notification_id: n.notified ? expect.any(Number) : null }))
			);
			const note = await db()
				.selectFrom('notification')
				.select('data')
				.where('user_id', '=', voter.id)
				.where('post_id', '=', id)
				.executeTakeFirstOrThrow();
			expect(note.data).toMatchObject({
				to: 'Shipped',
				category: 'done',
				changelog: { title: 'November release', path: '/changelog/november' }
			});

			// Back to planned and shipped again: the first record stands, the author's act is once.
			const planned = await statusId('planned');
			await db()
				.transaction()
				.execute((trx) => changeIdeaStatus(trx, staff, { ideaId: id, statusId: planned }));
			await db()
				.transaction()
				.execute((trx) => changeIdeaStatus(trx, staff, { ideaId: id, statusId: shipped }));
			expect(
				await db().selectFrom('ship_notice').selectAll().where('post_id', '=', id).execute()
			).toHaveLength(4);
			const acts = await db()
				.selectFrom('activity')
				.select(['user_id'])
				.where('post_id', '=', id)
				.where('kind', '=', 'idea_shipped')
				.execute();
			expect(acts).toEqual([{ user_id: author.id }]);
		});

		it('takes an official comment as the first response, and keeps the earliest', async () => {
			const { id } = await newIdea();
			const member = await createUser(db());
			await postComment(db(), member, { postId: id, body: 'Me too' });
			expect(
				await db().selectFrom('idea_first_response').selectAll().where('post_id', '=', id).execute()
			).toEqual([]);
			const answer = await postComment(db(), staff, {
				postId: id,
				body: 'Thanks, we are looking.'
			});
			expect(answer.ok).toBe(true);
			const planned = await statusId('planned');
			await db()
				.transaction()
				.execute((trx) => changeIdeaStatus(trx, admin, { ideaId: id, statusId: planned }));
			const rows = await db()
				.selectFrom('idea_first_response')
				.selectAll()
				.where('post_id', '=', id)
				.execute();
			expect(rows).toHaveLength(1);
			expect(rows[0]).toMatchObject({
				kind: 'official_comment',
				responder_id: staff.id,
				comment_id: answer.ok ? answer.id : -1
			});
		});
	});

	describe('the inbox', () => {
		it('lists untriaged ideas oldest first, filters by company and tier, and bulk-changes them', async () => {
			const a = await newIdea('Inbox first idea');
			const b = await newIdea('Inbox second idea');
			const big = await company('Bigco', 20_000, [b.author]);
			await db()
				.updateTable('post')
				.set({ created_at: new Date(Date.now() - 86_400_000) })
				.where('id', '=', a.id)
				.execute();

			const queue = await triageQueue(db(), staff, { view: 'untriaged' });
			const ids = queue.items.map((i) => i.id);
			expect(ids.indexOf(a.id)).toBeGreaterThanOrEqual(0);
			expect(ids.indexOf(a.id)).toBeLessThan(ids.indexOf(b.id));

			const byCompany = await triageQueue(db(), staff, { view: 'untriaged', company: big.slug });
			expect(byCompany.items.map((i) => i.id)).toEqual([b.id]);
			const platinum = await triageQueue(db(), staff, { view: 'all', tier: 'platinum' });
			expect(platinum.items.map((i) => i.id)).toContain(b.id);
			expect(platinum.items.map((i) => i.id)).not.toContain(a.id);
			const lead = await triageQueue(db(), staff, { view: 'all', tier: 'lead' });
			expect(lead.items.map((i) => i.id)).not.toContain(b.id);

			const member = await createUser(db());
			expect(
				await changeStatuses(db(), member, {
					ids: [a.id],
					status: await statusId('planned'),
					message: null
				})
			).toEqual({ ok: false, reason: 'forbidden' });
			const result = await changeStatuses(db(), staff, {
				ids: [a.id, b.id, 999_999],
				status: await statusId('under-review'),
				message: 'We are looking at this.'
			});
			expect(result).toEqual({ ok: true, changed: 2, skipped: 1 });
			const after = await triageQueue(db(), staff, { view: 'untriaged' });
			expect(after.items.map((i) => i.id)).not.toContain(a.id);

			const c = await newIdea('Inbox third idea');
			expect(await markTriaged(db(), staff, [c.id])).toEqual({ ok: true, changed: 1 });
			expect(
				(await triageQueue(db(), staff, { view: 'untriaged' })).items.map((i) => i.id)
			).not.toContain(c.id);
			expect((await getIdeaDetail(db(), c.id))!.status.name).toBe('Open');
		});

		it('assigns owners (staff only) and lists my ideas', async () => {
			const { id } = await newIdea();
			const member = await createUser(db());
			expect(await assignOwner(db(), staff, { ids: [id], ownerId: member.id })).toMatchObject({
				ok: false,
				reason: 'invalid'
			});
			expect(await assignOwner(db(), member, { ids: [id], ownerId: staff.id })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await assignOwner(db(), admin, { ids: [id], ownerId: staff.id })).toEqual({
				ok: true,
				changed: 1,
				owner: 'Sam Staff'
			});
			const mine = await triageQueue(db(), staff, { view: 'mine' });
			expect(mine.items.map((i) => i.id)).toContain(id);
			expect(
				(await triageQueue(db(), admin, { view: 'mine' })).items.map((i) => i.id)
			).not.toContain(id);
			const audit = await db()
				.selectFrom('audit_log')
				.select('action')
				.where('target_id', '=', String(id))
				.execute();
			expect(audit.map((a) => a.action)).toContain('idea.assigned');
		});
	});

	describe('merging', () => {
		it('moves votes and followers, each person once with the stronger importance, and recounts', async () => {
			const source = await newIdea('Duplicate: export to CSV');
			const target = await newIdea('Export to CSV');
			const both = await createUser(db());
			const onlySource = await createUser(db());
			await castVote(db(), both, { postId: source.id, importance: 'critical' });
			await castVote(db(), both, { postId: target.id, importance: 'nice' });
			await castVote(db(), onlySource, { postId: source.id });
			await castVote(db(), target.author, { postId: source.id });

			expect(
				await mergeIdeas(db(), staff, { sourceId: source.id, targetId: source.id })
			).toMatchObject({ ok: false, reason: 'invalid' });
			const member = await createUser(db());
			expect(await mergeIdeas(db(), member, { sourceId: source.id, targetId: target.id })).toEqual({
				ok: false,
				reason: 'forbidden'
			});

			const result = await mergeIdeas(db(), staff, { sourceId: source.id, targetId: target.id });
			expect(result).toMatchObject({ ok: true, movedVotes: 4 });
			const votes = await db()
				.selectFrom('vote')
				.select(['user_id', 'importance'])
				.where('post_id', '=', target.id)
				.orderBy('user_id')
				.execute();
			expect(votes).toEqual(
				[
					{ user_id: source.author.id, importance: null },
					{ user_id: target.author.id, importance: null },
					{ user_id: both.id, importance: 'critical' },
					{ user_id: onlySource.id, importance: null }
				].sort((a, b) => a.user_id - b.user_id)
			);
			const posts = await db()
				.selectFrom('post')
				.select(['id', 'vote_count', 'merged_into_id'])
				.where('id', 'in', [source.id, target.id])
				.orderBy('id')
				.execute();
			expect(posts.find((p) => p.id === target.id)!.vote_count).toBe(4);
			expect(posts.find((p) => p.id === source.id)).toMatchObject({
				vote_count: 0,
				merged_into_id: target.id
			});
			const following = await db()
				.selectFrom('subscription')
				.select('user_id')
				.where('post_id', '=', target.id)
				.where('following', '=', true)
				.execute();
			expect(following.map((f) => f.user_id)).toEqual(
				expect.arrayContaining([source.author.id, onlySource.id, both.id])
			);
			const told = await db()
				.selectFrom('notification')
				.select('user_id')
				.where('post_id', '=', source.id)
				.where('kind', '=', 'idea_merged')
				.execute();
			expect(told.map((t) => t.user_id).sort()).toEqual(
				[source.author.id, target.author.id, both.id, onlySource.id].sort()
			);
			expect((await getIdeaDetail(db(), source.id))!.mergedInto).toMatchObject({ id: target.id });
			expect(
				await db()
					.selectFrom('audit_log')
					.select('action')
					.where('action', '=', 'idea.merged')
					.where('target_id', '=', String(source.id))
					.execute()
			).toHaveLength(1);

			// A merged idea takes no more votes, and neither it nor its survivor can close a cycle.
			expect(await castVote(db(), member, { postId: source.id })).toEqual({
				ok: false,
				reason: 'closed'
			});
			expect(
				await mergeIdeas(db(), staff, { sourceId: target.id, targetId: source.id })
			).toMatchObject({ ok: false, reason: 'invalid' });
			expect(
				await mergeIdeas(db(), staff, { sourceId: source.id, targetId: target.id })
			).toMatchObject({ ok: false, reason: 'invalid' });
		});

		it('counts each person once while votes race the merge', async () => {
			const source = await newIdea('Racing duplicate');
			const target = await newIdea('Racing survivor');
			const people = await Promise.all(Array.from({ length: 12 }, () => createUser(db())));
			const races = people.flatMap((p, i) => [
				castVote(db(), p, { postId: i % 2 === 0 ? source.id : target.id }),
				castVote(db(), p, { postId: target.id })
			]);
			const merge = mergeIdeas(db(), staff, { sourceId: source.id, targetId: target.id });
			await Promise.all([...races, merge]);
			expect((await merge).ok).toBe(true);
			const rows = await db()
				.selectFrom('vote')
				.select('user_id')
				.where('post_id', '=', target.id)
				.execute();
			expect(new Set(rows.map((r) => r.user_id)).size).toBe(rows.length);
			expect(rows.length).toBe(people.length + 2);
			const counted = await db()
				.selectFrom('post')
				.select('vote_count')
				.where('id', '=', target.id)
				.executeTakeFirstOrThrow();
			expect(counted.vote_count).toBe(rows.length);
			const left = await db()
				.selectFrom('vote')
				.select('user_id')
				.where('post_id', '=', source.id)
				.execute();
			expect(left).toEqual([]);
		});
	});

	describe('votes on behalf', () => {
		it('records a normal vote for the member, with who recorded it', async () => {
			const { id } = await newIdea();
			const customer = await createUser(db(), { displayName: 'Cora Customer' });
			const member = await createUser(db());
			expect(
				await voteOnBehalf(db(), member, { postId: id, memberId: customer.id, importance: null })
			).toEqual({ ok: false, reason: 'forbidden' });
			const result = await voteOnBehalf(db(), staff, {
				postId: id,
				memberId: customer.id,
				importance: 'important'
			});
			expect(result).toEqual({ ok: true, changed: true, member: 'Cora Customer' });
			const row = await db()
				.selectFrom('vote')
				.selectAll()
				.where('post_id', '=', id)
				.where('user_id', '=', customer.id)
				.executeTakeFirstOrThrow();
			expect(row).toMatchObject({ importance: 'important', recorded_by_id: staff.id });
			expect(
				(
					await db()
						.selectFrom('post')
						.select('vote_count')
						.where('id', '=', id)
						.executeTakeFirstOrThrow()
				).vote_count
			).toBe(2);
			// Again: nothing more.
			expect(
				await voteOnBehalf(db(), staff, { postId: id, memberId: customer.id, importance: null })
			).toMatchObject({ ok: true, changed: false });
			const acts = await db()
				.selectFrom('activity')
				.select(['user_id', 'data'])
				.where('post_id', '=', id)
				.where('kind', '=', 'vote_cast')
				.where('user_id', '=', customer.id)
				.execute();
			expect(acts).toHaveLength(1);
			expect(acts[0]!.data).toMatchObject({ recordedById: staff.id });
			// A suspended member cannot be voted for.
			const suspended = await createUser(db());
			await db()
				.updateTable('app_user')
				.set({ suspended_until: new Date(Date.now() + 86_400_000) })
				.where('id', '=', suspended.id)
				.execute();
			expect(
				await voteOnBehalf(db(), staff, { postId: id, memberId: suspended.id, importance: null })
			).toMatchObject({ ok: false, reason: 'invalid' });
		});
	});

	describe('priorities', () => {
		it('counts votes, distinct companies, each company’s value once, tiers and recent votes', async () => {
			const { author, id, product } = await newIdea('Priorities math');
			const [a1, a2, b1, loner] = await Promise.all([
				createUser(db()),
				createUser(db()),
				createUser(db()),
				createUser(db())
			]);
			await company('Acme', 12_000, [a1, a2]);
			await company('Beta', 600, [b1]);
			for (const p of [a1, a2, b1, loner]) {
				await castVote(db(), p, { postId: id });
			}
			await db()
				.updateTable('vote')
				.set({ created_at: new Date(Date.now() - 40 * 86_400_000) })
				.where('post_id', '=', id)
				.where('user_id', 'in', [a1.id, author.id])
				.execute();
			const rows = await listPriorities(db(), { product: product.slug });
			expect(rows).toHaveLength(1);
			expect(rows[0]).toMatchObject({
				votes: 5,
				companies: 2,
				demand: 12_600,
				recent: 3,
				tiers: { platinum: 2, gold: 0, iron: 1, lead: 0, none: 2 }
			});
			const byTitle = await listPriorities(db(), { sort: 'title', direction: 'asc' });
			const titles = byTitle.map((r) => r.title.toLowerCase());
			expect(titles).toEqual([...titles].sort());
			const byDemand = await listPriorities(db(), { sort: 'demand' });
			expect(byDemand[0]!.demand).toBeGreaterThanOrEqual(byDemand[byDemand.length - 1]!.demand);
			expect(await listPriorities(db(), { product: product.slug, category: 'done' })).toEqual([]);
		});
	});

	describe('statuses admin', () => {
		it('adds, renames, reorders, sets the default, and deletes only with a replacement', async () => {
			const member = await createUser(db());
			expect(
				await createStatus(db(), member, { name: 'Triaged', slug: 'triaged', category: 'open' })
			).toEqual({ ok: false, reason: 'forbidden' });
			const created = await createStatus(db(), admin, {
				name: 'Needs info',
				slug: 'needs-info',
				category: 'under_review'
			});
			expect(created.ok).toBe(true);
			const id = created.ok ? created.status.id : -1;
			expect(
				await createStatus(db(), admin, { name: 'needs INFO', slug: 'x', category: 'open' })
			).toMatchObject({ ok: false, reason: 'invalid', errors: { name: expect.any(String) } });
			expect(
				(
					await updateStatus(db(), admin, id, {
						name: 'Waiting on you',
						slug: 'waiting',
						category: 'under_review'
					})
				).ok
			).toBe(true);
			await moveStatus(db(), admin, id, 'up');
			const order = (await listStatuses(db())).map((s) => s.name);
			expect(order.indexOf('Waiting on you')).toBe(order.length - 2);

			expect(await setDefaultStatus(db(), admin, id)).toMatchObject({
				ok: false,
				reason: 'invalid'
			});
			const { id: ideaId } = await newIdea();
			await db()
				.transaction()
				.execute((trx) => changeIdeaStatus(trx, staff, { ideaId, statusId: id }));
			expect(await deleteStatus(db(), admin, id, null)).toMatchObject({
				ok: false,
				reason: 'invalid',
				errors: { replacement: expect.any(String) }
			});
			const open = await statusId('open');
			expect(await deleteStatus(db(), admin, open, null)).toMatchObject({
				ok: false,
				reason: 'invalid',
				errors: { form: expect.any(String) }
			});
			const planned = await statusId('planned');
			expect((await deleteStatus(db(), admin, id, planned)).ok).toBe(true);
			expect((await getIdeaDetail(db(), ideaId))!.status.name).toBe('Planned');
			const actions = await db()
				.selectFrom('audit_log')
				.select('action')
				.where('target_type', '=', 'idea_status')
				.execute();
			expect(actions.map((a) => a.action)).toEqual(
				expect.arrayContaining([
					'status.created',
					'status.updated',
					'status.moved',
					'status.deleted'
				])
			);
		});
	});

	describe('internal notes', () => {
		it('never reach members or visitors: page, counts, lists, search, similar ideas, notifications', async () => {
			const { id, author } = await newIdea('Offline mode for the field app');
			const member = await createUser(db());
			const secret = 'zanzibarquokka';
			const note = await postInternalNote(db(), staff, {
				postId: id,
				body: `Customer ${secret} escalated; @${author.handle} and @${admin.handle} please look.`
			});
			expect(note.ok).toBe(true);
			expect(await postInternalNote(db(), member, { postId: id, body: 'hi' })).toEqual({
				ok: false,
				reason: 'forbidden'
			});

			for (const viewer of [member, author, anonymous]) {
				const threads = await listComments(db(), viewer, { id, deleted: false });
				expect(JSON.stringify(threads)).not.toContain(secret);
				expect(countVisible(threads)).toBe(0);
				expect(await listInternalNotes(db(), viewer, id)).toEqual([]);
			}
			expect((await listInternalNotes(db(), staff, id)).map((n) => n.bodyHtml).join()).toContain(
				secret
			);
			expect(await listInternalNotes(db(), admin, id)).toHaveLength(1);

			const detail = await getIdeaDetail(db(), id);
			expect(detail!.commentCount).toBe(0);
			expect(JSON.stringify(detail)).not.toContain(secret);
			expect((await searchIdeas(db(), { q: secret })).ideas).toEqual([]);
			const list = await listIdeas(db(), { sort: 'newest', limit: 100 });
			expect(JSON.stringify(list)).not.toContain(secret);
			const similar = await findSimilarIdeas(db(), { title: 'Offline mode for the field app' });
			expect(JSON.stringify(similar)).not.toContain(secret);

			// The mention tells the admin, not the member author, and no follower hears of it.
			const authorInbox = await listNotifications(db(), author.id);
			expect(authorInbox.items).toEqual([]);
			const adminInbox = await listNotifications(db(), admin.id);
			expect(adminInbox.items.map((i) => i.kind)).toContain('mention');
			expect(JSON.stringify(adminInbox)).not.toContain(secret);
		});
	});
});
