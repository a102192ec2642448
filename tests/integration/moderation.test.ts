// Moderation on both databases: flags and the threshold (exact under concurrent flags), the review
// queue's decisions with their audit log and notifications, suspensions, the posting check (rate
// limits, new-member limits, approval), what members see of hidden items, and that the routes
// enforce the policy. A refused act stores nothing.
import { isActionFailure, isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listComments, postComment } from '$lib/server/comments';
import type { DatabaseHandle, Db } from '$lib/server/db/index';
import { getIdeaDetail, postIdea } from '$lib/server/ideas';
import { listIdeas, searchIdeas } from '$lib/server/ideas/queries';
import {
	HIDDEN_BY_FLAGS,
	checkPosting,
	decide,
	flagItem,
	getSiteSettings,
	listAuditLog,
	listQueue,
	liftSuspension,
	saveSiteSettings,
	searchMembers,
	suspendMember,
	DEFAULT_SETTINGS
} from '$lib/server/moderation';
import { listNotifications } from '$lib/server/notifications';
import { anonymous, type Actor, type UserActor } from '$lib/server/policy';
import type { Role } from '$lib/domain/roles';
import { createProduct, createUser } from '../helpers/factories';
import { backends, createTestDatabase } from '../helpers/test-db';
import { actions as queueActions } from '../../src/routes/mod/queue/+page.server';
import { actions as usersActions } from '../../src/routes/mod/users/+page.server';
import { actions as settingsActions } from '../../src/routes/admin/settings/+page.server';
import { actions as ideaActions } from '../../src/routes/ideas/[id]/+page.server';

const app = vi.hoisted(() => ({ handle: undefined as DatabaseHandle | undefined }));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => app.handle!.db,
	getDatabase: () => app.handle!
}));

const SPAM = { reason: 'spam' as const };

describe.each(backends)('moderation on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = (): Db => handle.db;

	beforeAll(async () => {
		handle = await createTestDatabase(backend);
		app.handle = handle;
	});
	afterAll(async () => {
		app.handle = undefined;
		await handle?.close();
	});

	async function newIdea(author?: UserActor, title = 'Offline mode for field teams') {
		const poster = author ?? (await createUser(db()));
		const product = await createProduct(db());
		const result = await postIdea(db(), poster, {
			title,
			body: 'No signal in basements.',
			product: product.id,
			tags: []
		});
		if (!result.ok) {
			throw new Error('idea refused');
		}
		return { author: poster, id: result.id, path: result.path, productSlug: product.slug };
	}

	const members = (n: number, role: Role = 'member') =>
		Promise.all(Array.from({ length: n }, () => createUser(db(), { role })));

	const post = (id: number) =>
		db()
			.selectFrom('post')
			.select(['visibility', 'hidden_reason', 'deleted_at', 'comment_count', 'title', 'body_html'])
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
	const flagsOn = (id: number, column: 'post_id' | 'comment_id' = 'post_id') =>
		db().selectFrom('flag').selectAll().where(column, '=', id).orderBy('id').execute();
	const notes = (userId: number, postId: number) =>
		db()
			.selectFrom('notification')
			.select(['kind', 'data', 'comment_id'])
			.where('user_id', '=', userId)
			.where('post_id', '=', postId)
			.where('kind', '=', 'moderation')
			.execute();
	const auditCount = async () =>
		Number(
			(
				await db()
					.selectFrom('audit_log')
					.select((eb) => eb.fn.countAll().as('n'))
					.executeTakeFirstOrThrow()
			).n
		);

	describe('flags', () => {
		it('hides an idea once flags from distinct members reach the threshold, and tells its author', async () => {
			const { author, id, productSlug } = await newIdea();
			const [a, b, c] = await members(3);
			expect(await flagItem(db(), a!, { type: 'post', id }, SPAM)).toEqual({
				ok: true,
				hidden: false
			});
			expect(
				await flagItem(db(), b!, { type: 'post', id }, { reason: 'other', note: 'Sells pills' })
			).toEqual({ ok: true, hidden: false });
			expect((await post(id)).visibility).toBe('visible');
			expect(await flagItem(db(), c!, { type: 'post', id }, SPAM)).toEqual({
				ok: true,
				hidden: true
			});
			expect(await post(id)).toMatchObject({
				visibility: 'hidden',
				hidden_reason: HIDDEN_BY_FLAGS
			});
			expect(await notes(author.id, id)).toEqual([
				{
					kind: 'moderation',
					comment_id: null,
					data: { decision: 'hidden', reason: HIDDEN_BY_FLAGS, role: 'author' }
				}
			]);
			// Gone from lists and search for everyone; its page is for its author and moderators.
			const list = await listIdeas(db(), { sort: 'newest', productSlug });
			expect(list.ideas.map((i) => i.id)).not.toContain(id);
			const found = await searchIdeas(db(), { q: 'offline basements', productSlug });
			expect(found.ideas.map((i) => i.id)).not.toContain(id);
			expect((await getIdeaDetail(db(), id))!.hiddenReason).toBe(HIDDEN_BY_FLAGS);
		});

		it('takes one open flag per member, none on one’s own item, none from a suspended member', async () => {
			const { author, id } = await newIdea();
			const [a] = await members(1);
			const suspended = { ...(await createUser(db())), suspendedUntil: new Date(Date.now() + 1e7) };
			await flagItem(db(), a!, { type: 'post', id }, SPAM);
			expect(await flagItem(db(), a!, { type: 'post', id }, { reason: 'abusive' })).toEqual({
				ok: false,
				reason: 'already'
			});
			expect(await flagItem(db(), author, { type: 'post', id }, SPAM)).toEqual({
				ok: false,
				reason: 'own'
			});
			expect(await flagItem(db(), suspended, { type: 'post', id }, SPAM)).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await flagItem(db(), anonymous, { type: 'post', id }, SPAM)).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await flagItem(db(), a!, { type: 'post', id: 999_999 }, SPAM)).toEqual({
				ok: false,
				reason: 'not_found'
			});
			expect(await flagsOn(id)).toHaveLength(1);
			// The database refuses a second open flag too, whatever the code does.
			await expect(
				db().insertInto('flag').values({ post_id: id, flagger_id: a!.id, reason: 'spam' }).execute()
			).rejects.toThrow();
		});

		it('is exact under concurrent flags: hidden once, one notification', async () => {
			const { author, id } = await newIdea();
			const flaggers = await members(6);
			const results = await Promise.all(
				flaggers.map((f) => flagItem(db(), f, { type: 'post', id }, SPAM))
			);
			expect(results.filter((r) => r.ok && r.hidden)).toHaveLength(1);
			expect(results.every((r) => r.ok)).toBe(true);
			expect(await flagsOn(id)).toHaveLength(6);
			expect(await notes(author.id, id)).toHaveLength(1);
			expect((await post(id)).visibility).toBe('hidden');
		});

		it('a hidden comment leaves the thread and the count for everyone but its author and moderators', async () => {
			const { id } = await newIdea();
			const bob = await createUser(db());
			const commented = await postComment(db(), bob, { postId: id, body: 'Buy cheap pills' });
			if (!commented.ok) {
				throw new Error('comment refused');
			}
			expect((await post(id)).comment_count).toBe(1);
			for (const f of await members(3)) {
				await flagItem(db(), f, { type: 'comment', id: commented.id }, SPAM);
			}
			expect((await post(id)).comment_count).toBe(0);
			const reader = await createUser(db());
			expect(await listComments(db(), reader, { id, deleted: false })).toEqual([]);
			const own = await listComments(db(), bob, { id, deleted: false });
			expect(own[0]).toMatchObject({ visibility: 'hidden', hiddenReason: HIDDEN_BY_FLAGS });
			const moderator = await createUser(db(), { role: 'moderator' });
			expect(await listComments(db(), moderator, { id, deleted: false })).toHaveLength(1);
		});
	});

	describe('the queue', () => {
		it('lists flagged and pending items oldest first, with reasons and counts', async () => {
			const first = await newIdea();
			const second = await newIdea(undefined, 'Dark mode for the dashboard');
			const [a, b] = await members(2);
			await flagItem(db(), a!, { type: 'post', id: first.id }, SPAM);
			await flagItem(db(), b!, { type: 'post', id: first.id }, { reason: 'off_topic' });
			await flagItem(db(), a!, { type: 'post', id: second.id }, { reason: 'other', note: 'Rude' });
			const moderator = await createUser(db(), { role: 'moderator' });
			const queue = (await listQueue(db(), moderator)).filter((i) =>
				[first.id, second.id].includes(i.id)
			);
			expect(queue.map((i) => i.id)).toEqual([first.id, second.id]);
			expect(queue[0]).toMatchObject({
				type: 'post',
				counts: { spam: 1, off_topic: 1 },
				canDecide: true,
				path: first.path
			});
			expect(queue[1]!.flags).toEqual([expect.objectContaining({ reason: 'other', note: 'Rude' })]);
		});

		it('hide: the author sees the reason, flaggers hear of it, the log says who and why', async () => {
			const { author, id } = await newIdea();
			const [a, b] = await members(2);
			await flagItem(db(), a!, { type: 'post', id }, SPAM);
			await flagItem(db(), b!, { type: 'post', id }, SPAM);
			const moderator = await createUser(db(), { role: 'moderator' });
			const result = await decide(
				db(),
				moderator,
				{ type: 'post', id },
				{
					action: 'hide',
					reason: 'Advertising is not allowed here.'
				}
			);
			expect(result).toMatchObject({ ok: true, decision: 'hidden' });
			expect(await post(id)).toMatchObject({
				visibility: 'hidden',
				hidden_reason: 'Advertising is not allowed here.'
			});
			expect((await flagsOn(id)).map((f) => f.decision)).toEqual(['hidden', 'hidden']);
			expect((await notes(author.id, id)).map((n) => n.data)).toEqual([
				{ decision: 'hidden', reason: 'Advertising is not allowed here.', role: 'author' }
			]);
			expect((await notes(a!.id, id)).map((n) => n.data)).toEqual([
				expect.objectContaining({ decision: 'hidden', role: 'flagger' })
			]);
			const inbox = await listNotifications(db(), author.id);
			expect(inbox.items[0]!.summary).toContain('Advertising is not allowed here.');
			const log = await listAuditLog(db(), { actor: moderator.handle });
			expect(log.rows).toEqual([
				expect.objectContaining({
					action: 'moderation.hide',
					targetType: 'post',
					targetId: String(id),
					reason: 'Advertising is not allowed here.'
				})
			]);
			// Out of the queue once decided.
			expect((await listQueue(db(), moderator)).map((i) => i.id)).not.toContain(id);
		});

		it('keep dismisses the flags and shows a hidden item again; delete and edit', async () => {
			const { id } = await newIdea();
			const moderator = await createUser(db(), { role: 'moderator' });
			for (const f of await members(3)) {
				await flagItem(db(), f, { type: 'post', id }, SPAM);
			}
			expect(await decide(db(), moderator, { type: 'post', id }, { action: 'keep' })).toMatchObject(
				{ ok: true, decision: 'kept' }
			);
			expect(await post(id)).toMatchObject({ visibility: 'visible', hidden_reason: null });
			expect((await flagsOn(id)).every((f) => f.decision === 'kept')).toBe(true);

			expect(
				await decide(
					db(),
					moderator,
					{ type: 'post', id },
					{
						action: 'edit',
						title: 'Offline mode',
						body: 'Works **offline**.'
					}
				)
			).toMatchObject({ ok: true, decision: 'edited' });
			expect(await post(id)).toMatchObject({
				title: 'Offline mode',
				body_html: '<p>Works <strong>offline</strong>.</p>\n'
			});
			expect(
				await decide(db(), moderator, { type: 'post', id }, { action: 'delete' })
			).toMatchObject({ ok: true });
			expect((await post(id)).deleted_at).not.toBeNull();
			expect(await decide(db(), moderator, { type: 'post', id }, { action: 'keep' })).toEqual({
				ok: false,
				reason: 'not_found'
			});
		});

		it('a moderator cannot decide on a moderator’s or an admin’s item, nor their own: nothing changes', async () => {
			const moderator = await createUser(db(), { role: 'moderator' });
			for (const role of ['moderator', 'admin'] as const) {
				const { id } = await newIdea(await createUser(db(), { role }));
				const before = await auditCount();
				expect(
					await decide(db(), moderator, { type: 'post', id }, { action: 'hide', reason: 'No' })
				).toEqual({ ok: false, reason: 'forbidden' });
				expect((await post(id)).visibility).toBe('visible');
				expect(await auditCount()).toBe(before);
			}
			const own = await newIdea(moderator);
			expect(
				await decide(db(), moderator, { type: 'post', id: own.id }, { action: 'delete' })
			).toEqual({ ok: false, reason: 'forbidden' });
			// An admin can.
			const admin = await createUser(db(), { role: 'admin' });
			const { id } = await newIdea(await createUser(db(), { role: 'moderator' }));
			expect(
				await decide(db(), admin, { type: 'post', id }, { action: 'hide', reason: 'Off-topic' })
			).toMatchObject({ ok: true });
		});
	});

	describe('the posting check', () => {
		it('refuses a suspended member with the date, and counts per-minute posts for everyone', async () => {
			const suspended = {
				...(await createUser(db())),
				suspendedUntil: new Date('2099-01-01T00:00:00Z')
			};
			expect(
				await checkPosting(db(), handle.pool, suspended, { kind: 'post', body: 'x' })
			).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('2099-01-01') });
			expect(
				await checkPosting(db(), handle.pool, anonymous as Actor, { kind: 'post', body: 'x' })
			).toMatchObject({ ok: false, status: 403 });

			const staff = await createUser(db(), { role: 'staff' });
			const results = [];
			for (let i = 0; i < DEFAULT_SETTINGS.postsPerMinute + 1; i++) {
				results.push(await checkPosting(db(), handle.pool, staff, { kind: 'comment', body: 'x' }));
			}
			expect(results.slice(0, -1).every((r) => r.ok)).toBe(true);
			expect(results.at(-1)).toMatchObject({
				ok: false,
				status: 429,
				message: expect.stringMatching(/Try again in \d+ seconds?\./)
			});
		});

		it('limits a new member’s links and posts per minute; trusted roles are exempt from both', async () => {
			const fresh = await createUser(db());
			const links = 'See https://a.example and [b](https://b.example) and <https://c.example>';
			expect(await checkPosting(db(), handle.pool, fresh, { kind: 'post', body: links })).toEqual(
				expect.objectContaining({ ok: false, status: 400, reason: 'links' })
			);
			const moderator = await createUser(db(), { role: 'moderator' });
			expect(
				await checkPosting(db(), handle.pool, moderator, { kind: 'post', body: links })
			).toEqual({ ok: true, visibility: 'visible' });
			const outcomes = [];
			for (let i = 0; i < DEFAULT_SETTINGS.newMemberPostsPerMinute + 1; i++) {
				outcomes.push(
					await checkPosting(db(), handle.pool, fresh, { kind: 'comment', body: 'hi' })
				);
			}
			expect(outcomes.at(-1)).toMatchObject({ ok: false, status: 429 });
			// Not new any more: only the everyone limit applies.
			await db()
				.updateTable('app_user')
				.set({ created_at: new Date(Date.now() - 30 * 86_400_000) })
				.where('id', '=', fresh.id)
				.execute();
			expect(
				await checkPosting(db(), handle.pool, fresh, { kind: 'post', body: links })
			).toMatchObject({ ok: true });
		});

		it('holds a member’s first posts for approval when the setting is on; approving shows and counts them', async () => {
			const admin = await createUser(db(), { role: 'admin' });
			await saveSiteSettings(db(), admin, { ...DEFAULT_SETTINGS, approveFirstPosts: 1 });
			try {
				const { id } = await newIdea();
				const newcomer = await createUser(db());
				const check = await checkPosting(db(), handle.pool, newcomer, {
					kind: 'comment',
					body: 'Hello @someone'
				});
				expect(check).toEqual({ ok: true, visibility: 'pending' });
				const posted = await postComment(db(), newcomer, {
					postId: id,
					body: 'Hello',
					visibility: 'pending'
				});
				if (!posted.ok) {
					throw new Error('refused');
				}
				expect((await post(id)).comment_count).toBe(0);
				const moderator = await createUser(db(), { role: 'moderator' });
				expect((await listQueue(db(), moderator)).map((i) => i.id)).toContain(posted.id);
				expect(
					await decide(db(), moderator, { type: 'comment', id: posted.id }, { action: 'approve' })
				).toMatchObject({ ok: true, decision: 'approved' });
				expect((await post(id)).comment_count).toBe(1);
				expect(
					await checkPosting(db(), handle.pool, newcomer, { kind: 'comment', body: 'again' })
				).toEqual({ ok: true, visibility: 'visible' });
			} finally {
				await saveSiteSettings(db(), admin, DEFAULT_SETTINGS);
			}
		});
	});

	describe('suspensions and settings', () => {
		it('moderators suspend members, not moderators, admins or themselves; admins can', async () => {
			const moderator = await createUser(db(), { role: 'moderator' });
			const member = await createUser(db());
			const until = new Date(Date.now() + 7 * 86_400_000);
			expect(
				await suspendMember(db(), moderator, member.id, { until, reason: 'Spamming' })
			).toMatchObject({ ok: true });
			const row = await db()
				.selectFrom('app_user')
				.select(['suspended_until', 'suspension_reason'])
				.where('id', '=', member.id)
				.executeTakeFirstOrThrow();
			expect(row).toEqual({ suspended_until: until, suspension_reason: 'Spamming' });
			for (const target of [
				await createUser(db(), { role: 'moderator' }),
				await createUser(db(), { role: 'admin' }),
				moderator
			]) {
				expect(await suspendMember(db(), moderator, target.id, { until, reason: 'x' })).toEqual({
					ok: false,
					reason: 'forbidden'
				});
			}
			const found = await searchMembers(db(), moderator, member.handle);
			expect(found[0]).toMatchObject({ suspendedUntil: until, canSuspend: true });
			expect(await liftSuspension(db(), moderator, member.id)).toMatchObject({ ok: true });
			expect(await liftSuspension(db(), moderator, member.id)).toEqual({
				ok: false,
				reason: 'not_suspended'
			});
			const admin = await createUser(db(), { role: 'admin' });
			expect(
				await suspendMember(db(), admin, moderator.id, { until, reason: 'Abuse of tools' })
			).toMatchObject({ ok: true });
			const actions = (await listAuditLog(db(), { target: 'user' })).rows.map((r) => r.action);
			expect(actions).toEqual(
				expect.arrayContaining(['member.suspend', 'member.unsuspend', 'member.suspend'])
			);
		});

		it('settings default to the code’s values and only admins change them', async () => {
			const moderator = await createUser(db(), { role: 'moderator' });
			expect(
				await saveSiteSettings(db(), moderator, { ...DEFAULT_SETTINGS, flagThreshold: 1 })
			).toEqual({ ok: false, reason: 'forbidden' });
			expect((await getSiteSettings(db())).flagThreshold).toBe(DEFAULT_SETTINGS.flagThreshold);
		});
	});

	describe('the routes enforce the policy', () => {
		type Outcome = { kind: string; status?: number; message?: string; data?: unknown };
		async function run(
			// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route's event type differs
			action: (event: any) => unknown,
			actor: Actor,
			path: string,
			fields: Record<string, string>,
			params: Record<string, string> = {}
		): Promise<Outcome> {
			const url = new URL(`http://localhost${path}`);
			const event = {
				locals: { actor },
				params,
				url,
				request: new Request(url, { method: 'POST', body: new URLSearchParams(fields) }),
				setHeaders: () => {}
			} as unknown as RequestEvent;
			try {
				const value = await action(event);
				return isActionFailure(value)
					? { kind: 'failure', status: value.status, data: value.data }
					: { kind: 'returned', data: value };
			} catch (thrown) {
				if (isRedirect(thrown)) {
					return { kind: 'redirect', status: thrown.status };
				}
				if (isHttpError(thrown)) {
					return { kind: 'error', status: thrown.status, message: thrown.body.message };
				}
				throw thrown;
			}
		}

		it('the queue, member and settings actions refuse those below the role, storing nothing', async () => {
			const { id } = await newIdea();
			const member = await createUser(db());
			const before = await auditCount();
			const decideFields = { type: 'post', id: String(id), action: 'hide', reason: 'x' };
			expect(await run(queueActions.decide, member, '/mod/queue', decideFields)).toMatchObject({
				kind: 'error',
				status: 403
			});
			expect(await run(queueActions.decide, anonymous, '/mod/queue', decideFields)).toMatchObject({
				kind: 'redirect',
				status: 303
			});
			const victim = await createUser(db(), { role: 'moderator' });
			const moderator = await createUser(db(), { role: 'moderator' });
			const suspendFields = {
				user: String(victim.id),
				until: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
				reason: 'x'
			};
			expect(await run(usersActions.suspend, member, '/mod/users', suspendFields)).toMatchObject({
				kind: 'error',
				status: 403
			});
			expect(await run(usersActions.suspend, moderator, '/mod/users', suspendFields)).toMatchObject(
				{ kind: 'failure', status: 403 }
			);
			expect(
				await run(settingsActions.default, moderator, '/admin/settings', { flagThreshold: '1' })
			).toMatchObject({ kind: 'error', status: 403 });
			expect(await auditCount()).toBe(before);
			expect((await post(id)).visibility).toBe('visible');

			// A moderator's hide goes through the route, with a reason required.
			expect(
				await run(queueActions.decide, moderator, '/mod/queue', { ...decideFields, reason: '' })
			).toMatchObject({ kind: 'failure', status: 400 });
			expect(await run(queueActions.decide, moderator, '/mod/queue', decideFields)).toMatchObject({
				kind: 'returned'
			});
			expect((await post(id)).visibility).toBe('hidden');
		});

		it('the flag action: 409 on a second flag, 403 for a suspended member, nothing stored', async () => {
			const { id, path } = await newIdea();
			const member = await createUser(db());
			const params = { id: path.replace('/ideas/', '') };
			const fields = { post: String(id), reason: 'spam' };
			expect(await run(ideaActions.flag, member, path, fields, params)).toMatchObject({
				kind: 'returned'
			});
			expect(await run(ideaActions.flag, member, path, fields, params)).toMatchObject({
				kind: 'failure',
				status: 409
			});
			expect(
				await run(ideaActions.flag, member, path, { post: String(id), reason: 'other' }, params)
			).toMatchObject({ kind: 'failure', status: 400 });
			const suspended = { ...(await createUser(db())), suspendedUntil: new Date(Date.now() + 1e7) };
			expect(await run(ideaActions.flag, suspended, path, fields, params)).toMatchObject({
				kind: 'error',
				status: 403,
				message: expect.stringContaining('suspended')
			});
			expect(await flagsOn(id)).toHaveLength(1);
		});
	});
});
