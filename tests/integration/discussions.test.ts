// Discussions on both databases: starting threads (with polls), replies, locks and closes,
// accepted answers, likes, poll ballots (one per member, also under concurrent attempts),
// unread markers, thread tools and their audit log, and the thread page's refusals (4xx).
// A refused write leaves nothing behind.
import { isActionFailure, isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle, Db } from '$lib/server/db/index';
import {
	applyThreadTool,
	castBallot,
	deleteReply,
	getPoll,
	listReplies,
	listThreads,
	loadThreadFacts,
	markSeen,
	postReply,
	saveCategory,
	setAcceptedAnswer,
	setCategoryArchived,
	setReplyLike,
	setThreadLike,
	startThread,
	threadSchema
} from '$lib/server/discussions';
import { isFollowing } from '$lib/server/follows';
import type { Actor, UserActor } from '$lib/server/policy';
import { createUser } from '../helpers/factories';
import { backends, createTestDatabase } from '../helpers/test-db';
import { actions } from '../../src/routes/discussions/[id]/+page.server';

const app = vi.hoisted(() => ({
	db: undefined as Db | undefined,
	handle: undefined as DatabaseHandle | undefined
}));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => {
		if (!app.db) {
			throw new Error('no test database');
		}
		return app.db;
	},
	// The posting check's rate limiter works on the pool.
	getDatabase: () => {
		if (!app.handle) {
			throw new Error('no test database');
		}
		return app.handle;
	}
}));

let sequence = 0;

describe.each(backends)('discussions on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = () => handle.db;
	let admin: UserActor;
	let categoryId: number;

	beforeAll(async () => {
		handle = await createTestDatabase(backend);
		app.db = handle.db;
		app.handle = handle;
		admin = await createUser(db(), { role: 'admin' });
		const saved = await saveCategory(db(), admin, {
			name: 'Help',
			slug: 'help',
			description: '',
			product: null,
			position: 0
		});
		if (!saved.ok) {
			throw new Error('could not create the category');
		}
		categoryId = saved.category.id;
	});
	afterAll(async () => {
		app.db = undefined;
		app.handle = undefined;
		await handle?.close();
	});

	async function newThread(
		author: Actor,
		options: { question?: boolean; poll?: string[]; multiple?: boolean; title?: string } = {}
	) {
		const parsed = threadSchema.parse({
			title: options.title ?? `Thread number ${++sequence}`,
			body: 'What do you think?',
			category: String(categoryId),
			question: options.question ? 'on' : undefined,
			pollQuestion: options.poll?.[0] ?? '',
			pollOptions: options.poll?.slice(1).join('\n') ?? '',
			pollMultiple: options.multiple ? 'on' : undefined
		});
		const result = await startThread(db(), author, parsed);
		if (!result.ok) {
			throw new Error(`thread refused: ${result.reason}`);
		}
		return result;
	}

	async function replyAs(actor: Actor, postId: number, body = 'A reply') {
		const result = await postReply(db(), actor, { postId, body });
		if (!result.ok) {
			throw new Error(`reply refused: ${result.reason}`);
		}
		return result.id;
	}

	const ledger = (postId: number, kind: string) =>
		db()
			.selectFrom('activity')
			.select(['user_id', 'comment_id', 'data'])
			.where('post_id', '=', postId)
			.where('kind', '=', kind)
			.execute();

	async function stored(postId: number) {
		const [comments, post, discussion, ballots, choices, audit, notifications, activity] =
			await Promise.all([
				db()
					.selectFrom('comment')
					.selectAll()
					.where('post_id', '=', postId)
					.orderBy('id')
					.execute(),
				db().selectFrom('post').selectAll().where('id', '=', postId).executeTakeFirstOrThrow(),
				db()
					.selectFrom('discussion')
					.selectAll()
					.where('post_id', '=', postId)
					.executeTakeFirstOrThrow(),
				db()
					.selectFrom('poll_ballot')
					.innerJoin('poll', 'poll.id', 'poll_ballot.poll_id')
					.select(['poll_ballot.user_id'])
					.where('poll.post_id', '=', postId)
					.execute(),
				db()
					.selectFrom('poll_choice')
					.innerJoin('poll', 'poll.id', 'poll_choice.poll_id')
					.select(['poll_choice.user_id', 'poll_choice.option_id'])
					.where('poll.post_id', '=', postId)
					.execute(),
				db()
					.selectFrom('audit_log')
					.select(['action', 'actor_id'])
					.where('target_id', '=', String(postId))
					.where('target_type', '=', 'post')
					.execute(),
				db().selectFrom('notification').selectAll().where('post_id', '=', postId).execute(),
				db()
					.selectFrom('activity')
					.select(['kind', 'user_id'])
					.where('post_id', '=', postId)
					.execute()
			]);
		return { comments, post, discussion, ballots, choices, audit, notifications, activity };
	}

	describe('starting a thread', () => {
		it('stores the post, its discussion row and poll, follows the author and writes thread_posted', async () => {
			const ada = await createUser(db());
			const { id, path } = await newThread(ada, {
				question: true,
				poll: ['Which?', 'CSV', 'Parquet', 'csv']
			});
			expect(path).toMatch(new RegExp(`^/discussions/${id}-thread-number-\\d+$`));
			const facts = await loadThreadFacts(db(), id);
			expect(facts).toMatchObject({
				isQuestion: true,
				locked: false,
				closed: false,
				authorId: ada.id
			});
			const options = await db()
				.selectFrom('poll_option')
				.innerJoin('poll', 'poll.id', 'poll_option.poll_id')
				.select(['label'])
				.where('poll.post_id', '=', id)
				.orderBy('position')
				.execute();
			expect(options.map((o) => o.label)).toEqual(['CSV', 'Parquet']);
			expect(await isFollowing(db(), ada.id, id)).toBe(true);
			expect(await ledger(id, 'thread_posted')).toEqual([
				expect.objectContaining({ user_id: ada.id, data: { question: true, poll: true } })
			]);
		});

		it('refuses an archived category and a suspended member, storing nothing', async () => {
			const before = await db().selectFrom('post').select('id').execute();
			const parsed = threadSchema.parse({
				title: 'Nothing here',
				body: 'x',
				category: String(categoryId)
			});
			const suspended = {
				...(await createUser(db())),
				suspendedUntil: new Date(Date.now() + 86_400_000)
			};
			expect(await startThread(db(), suspended, parsed)).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			const other = await saveCategory(db(), admin, {
				name: 'Old',
				slug: 'old',
				description: '',
				product: null,
				position: 9
			});
			if (!other.ok) {
				throw new Error('category');
			}
			await setCategoryArchived(db(), admin, other.category.id, true);
			const archived = await startThread(db(), await createUser(db()), {
				...parsed,
				category: other.category.id
			});
			expect(archived).toMatchObject({
				ok: false,
				reason: 'invalid',
				errors: { category: expect.any(String) }
			});
			expect(await db().selectFrom('post').select('id').execute()).toEqual(before);
		});
	});

	describe('replies', () => {
		it('counts the reply, follows the replier, writes reply_posted and tells the author', async () => {
			const ada = await createUser(db());
			const bob = await createUser(db());
			const { id } = await newThread(ada);
			const replyId = await replyAs(bob, id, 'I agree');
			const after = await stored(id);
			expect(after.post.comment_count).toBe(1);
			expect(await isFollowing(db(), bob.id, id)).toBe(true);
			expect(await ledger(id, 'reply_posted')).toEqual([
				expect.objectContaining({ user_id: bob.id, comment_id: replyId })
			]);
			expect(after.notifications.map((n) => [n.user_id, n.kind])).toEqual([[ada.id, 'comment']]);
		});

		it('refuses replies to locked and closed threads, storing nothing', async () => {
			const ada = await createUser(db());
			const moderator = await createUser(db(), { role: 'moderator' });
			const { id } = await newThread(ada);
			await applyThreadTool(db(), moderator, id, 'lock');
			const before = await stored(id);
			expect(await postReply(db(), ada, { postId: id, body: 'Still here' })).toEqual({
				ok: false,
				reason: 'locked'
			});
			// Moderators too: a lock is for everyone until it is lifted.
			expect(await postReply(db(), moderator, { postId: id, body: 'Mod' })).toEqual({
				ok: false,
				reason: 'locked'
			});
			await applyThreadTool(db(), moderator, id, 'unlock');
			await applyThreadTool(db(), moderator, id, 'close');
			expect(await postReply(db(), ada, { postId: id, body: 'Closed?' })).toEqual({
				ok: false,
				reason: 'closed'
			});
			const after = await stored(id);
			expect(after.comments).toEqual(before.comments);
			expect(after.post.comment_count).toBe(before.post.comment_count);
			expect(after.activity).toEqual(before.activity);
		});
	});

	describe('accepted answers', () => {
		it('the asker accepts a reply: shown, the answerer told and credited; staff change it; unmark', async () => {
			const ada = await createUser(db());
			const bob = await createUser(db());
			const cy = await createUser(db());
			const staff = await createUser(db(), { role: 'staff' });
			const { id } = await newThread(ada, { question: true });
			const bobs = await replyAs(bob, id, 'Try the share menu');
			const cys = await replyAs(cy, id, 'Or export a PDF');

			expect(await setAcceptedAnswer(db(), ada, { postId: id, commentId: bobs })).toMatchObject({
				ok: true
			});
			let after = await stored(id);
			expect(after.discussion.accepted_comment_id).toBe(bobs);
			expect(after.notifications.filter((n) => n.kind === 'answer_accepted')).toEqual([
				expect.objectContaining({ user_id: bob.id, comment_id: bobs, actor_id: ada.id })
			]);
			expect(await ledger(id, 'answer_accepted')).toEqual([
				expect.objectContaining({ user_id: bob.id, comment_id: bobs })
			]);
			const facts = (await loadThreadFacts(db(), id))!;
			const replies = await listReplies(db(), ada, facts, null);
			expect(replies.find((r) => r.id === bobs)?.accepted).toBe(true);
			expect(replies.every((r) => r.can.accept)).toBe(true);

			// Another member cannot choose; nothing changes.
			expect(await setAcceptedAnswer(db(), cy, { postId: id, commentId: cys })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect((await stored(id)).discussion.accepted_comment_id).toBe(bobs);

			// Staff change it; then the asker unmarks it.
			await setAcceptedAnswer(db(), staff, { postId: id, commentId: cys });
			after = await stored(id);
			expect(after.discussion.accepted_comment_id).toBe(cys);
			expect(
				after.notifications.filter((n) => n.kind === 'answer_accepted').map((n) => n.user_id)
			).toEqual([bob.id, cy.id]);
			await setAcceptedAnswer(db(), ada, { postId: id, commentId: null });
			expect((await stored(id)).discussion.accepted_comment_id).toBeNull();
		});

		it('refuses on a thread that is not a question and forgets a deleted answer', async () => {
			const ada = await createUser(db());
			const bob = await createUser(db());
			const plain = await newThread(ada);
			const r = await replyAs(bob, plain.id);
			expect(await setAcceptedAnswer(db(), ada, { postId: plain.id, commentId: r })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			const question = await newThread(ada, { question: true });
			const answer = await replyAs(bob, question.id);
			await setAcceptedAnswer(db(), ada, { postId: question.id, commentId: answer });
			await deleteReply(db(), bob, { postId: question.id, commentId: answer });
			expect((await stored(question.id)).discussion.accepted_comment_id).toBeNull();

			// Accepting one's own reply is allowed, but earns no credit.
			const own = await replyAs(ada, question.id, 'Found it myself');
			expect(
				await setAcceptedAnswer(db(), ada, { postId: question.id, commentId: own })
			).toMatchObject({
				ok: true
			});
			expect((await ledger(question.id, 'answer_accepted')).map((r) => r.user_id)).toEqual([
				bob.id
			]);
		});
	});

	describe('polls', () => {
		it('takes one ballot per member; a second is refused and stores nothing', async () => {
			const ada = await createUser(db());
			const bob = await createUser(db());
			const { id } = await newThread(ada, { poll: ['Which?', 'A', 'B', 'C'] });
			const facts = (await loadThreadFacts(db(), id))!;
			const before = await getPoll(db(), bob, facts);
			expect(before?.showResults).toBe(false);
			expect(before?.options.every((o) => o.votes === null)).toBe(true);
			const [a, b] = before!.options;

			expect(await castBallot(db(), bob, { postId: id, optionIds: [a!.id] })).toMatchObject({
				ok: true
			});
			const first = await stored(id);
			expect(await castBallot(db(), bob, { postId: id, optionIds: [b!.id] })).toEqual({
				ok: false,
				reason: 'already_voted'
			});
			const second = await stored(id);
			expect(second.ballots).toEqual(first.ballots);
			expect(second.choices).toEqual([{ user_id: bob.id, option_id: a!.id }]);
			expect(await ledger(id, 'poll_voted')).toHaveLength(1);

			const view = await getPoll(db(), bob, facts);
			expect(view).toMatchObject({ voted: true, showResults: true, ballots: 1, canVote: false });
			expect(view!.options.map((o) => [o.votes, o.chosen])).toEqual([
				[1, true],
				[0, false],
				[0, false]
			]);
			// Someone who has not voted still sees no numbers while the poll is open.
			expect((await getPoll(db(), ada, facts))!.options[0]!.votes).toBeNull();
		});

		it('stores exactly one ballot when one member submits many at once', async () => {
			const ada = await createUser(db());
			const bob = await createUser(db());
			const { id } = await newThread(ada, { poll: ['Which?', 'A', 'B'], multiple: true });
			const facts = (await loadThreadFacts(db(), id))!;
			const options = (await getPoll(db(), bob, facts))!.options.map((o) => o.id);
			const results = await Promise.all(
				Array.from({ length: 12 }, (_, i) =>
					castBallot(db(), bob, { postId: id, optionIds: i % 2 ? options : [options[0]!] })
				)
			);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			expect(results.filter((r) => !r.ok && r.reason === 'already_voted')).toHaveLength(11);
			const after = await stored(id);
			expect(after.ballots).toEqual([{ user_id: bob.id }]);
			expect(after.choices.length).toBeGreaterThanOrEqual(1);
			expect(await ledger(id, 'poll_voted')).toHaveLength(1);
		});

		it('refuses two choices in a single-choice poll, foreign options and a closed poll', async () => {
			const ada = await createUser(db());
			const bob = await createUser(db());
			const moderator = await createUser(db(), { role: 'moderator' });
			const { id } = await newThread(ada, { poll: ['Which?', 'A', 'B'] });
			const other = await newThread(ada, { poll: ['Other?', 'X', 'Y'] });
			const facts = (await loadThreadFacts(db(), id))!;
			const mine = (await getPoll(db(), bob, facts))!.options.map((o) => o.id);
			const foreign = (await getPoll(db(), bob, (await loadThreadFacts(db(), other.id))!))!
				.options[0]!.id;
			expect(await castBallot(db(), bob, { postId: id, optionIds: mine })).toMatchObject({
				ok: false,
				reason: 'invalid'
			});
			expect(await castBallot(db(), bob, { postId: id, optionIds: [foreign] })).toMatchObject({
				ok: false,
				reason: 'invalid'
			});
			expect(await castBallot(db(), bob, { postId: id, optionIds: [] })).toMatchObject({
				ok: false,
				reason: 'invalid'
			});
			await db()
				.updateTable('poll')
				.set({ closes_at: new Date(Date.now() - 1000) })
				.where('post_id', '=', id)
				.execute();
			expect(await castBallot(db(), bob, { postId: id, optionIds: [mine[0]!] })).toEqual({
				ok: false,
				reason: 'closed'
			});
			// Closed: everyone sees the results.
			expect((await getPoll(db(), bob, facts))!.showResults).toBe(true);
			await applyThreadTool(db(), moderator, other.id, 'close');
			expect(await castBallot(db(), bob, { postId: other.id, optionIds: [foreign] })).toEqual({
				ok: false,
				reason: 'closed'
			});
			expect((await stored(id)).ballots).toEqual([]);
			expect((await stored(other.id)).ballots).toEqual([]);
		});
	});

	describe('likes', () => {
		it('toggles a like on a thread and on a reply, once per member, never one’s own', async () => {
			const ada = await createUser(db());
			const bob = await createUser(db());
			const { id } = await newThread(ada);
			const replyId = await replyAs(bob, id);
			await setThreadLike(db(), bob, id, true);
			await setThreadLike(db(), bob, id, true);
			expect((await stored(id)).post.vote_count).toBe(1);
			expect(await setThreadLike(db(), ada, id, true)).toEqual({ ok: false, reason: 'forbidden' });
			await setThreadLike(db(), bob, id, false);
			expect((await stored(id)).post.vote_count).toBe(0);

			await setReplyLike(db(), { ...ada }, { postId: id, commentId: replyId }, true);
			expect(await setReplyLike(db(), bob, { postId: id, commentId: replyId }, true)).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			const facts = (await loadThreadFacts(db(), id))!;
			const [view] = await listReplies(db(), ada, facts, null);
			expect(view).toMatchObject({ likeCount: 1, liked: true });
			expect(await ledger(id, 'like_given')).toHaveLength(2);
		});
	});

	describe('unread markers and the list', () => {
		it('counts replies since the last visit and marks the first unseen one', async () => {
			const ada = await createUser(db());
			const bob = await createUser(db());
			const { id } = await newThread(ada, { title: `Unread ${sequence}` });
			const row = async (actor: Actor) =>
				(await listThreads(db(), actor, { categoryId })).threads.find((t) => t.id === id)!;

			expect(await row(bob)).toMatchObject({ visited: false, unread: null });
			await markSeen(db(), bob.id, id, 0);
			const first = await replyAs(ada, id, 'One');
			await replyAs(ada, id, 'Two');
			expect(await row(bob)).toMatchObject({ visited: true, unread: 2 });
			// Their own reply is never new to the replier.
			expect(await row(ada)).toMatchObject({ unread: 0 });
			const facts = (await loadThreadFacts(db(), id))!;
			const replies = await listReplies(db(), bob, facts, 0);
			expect(replies.map((r) => r.unseen)).toEqual([true, true]);
			expect(replies[0]!.id).toBe(first);
			await markSeen(db(), bob.id, id, replies.at(-1)!.id);
			// The mark never moves back.
			await markSeen(db(), bob.id, id, 0);
			expect(await row(bob)).toMatchObject({ unread: 0 });
			expect(await row({ kind: 'anonymous' })).toMatchObject({ unread: null });
		});

		it('lists only visible threads, pinned first, and counts only visible replies', async () => {
			const ada = await createUser(db());
			const moderator = await createUser(db(), { role: 'moderator' });
			const hidden = await newThread(ada);
			await db()
				.updateTable('post')
				.set({ visibility: 'hidden' })
				.where('id', '=', hidden.id)
				.execute();
			const older = await newThread(ada);
			const newer = await newThread(ada);
			const r = await replyAs(ada, newer.id);
			await replyAs(ada, newer.id);
			await db().updateTable('comment').set({ visibility: 'hidden' }).where('id', '=', r).execute();
			await applyThreadTool(db(), moderator, older.id, 'pin');
			const { threads } = await listThreads(db(), ada, { categoryId });
			const ids = threads.map((t) => t.id);
			expect(ids).not.toContain(hidden.id);
			expect(ids[0]).toBe(older.id);
			// Then latest activity first: the thread just replied to.
			expect(ids[1]).toBe(newer.id);
			expect(threads.find((t) => t.id === newer.id)?.replyCount).toBe(1);
		});
	});

	describe('thread tools', () => {
		it('moderators pin, lock, close and move, each once in the audit log; members cannot', async () => {
			const ada = await createUser(db());
			const moderator = await createUser(db(), { role: 'moderator' });
			const { id } = await newThread(ada);
			for (const tool of ['pin', 'lock', 'close'] as const) {
				expect(await applyThreadTool(db(), ada, id, tool)).toEqual({
					ok: false,
					reason: 'forbidden'
				});
			}
			expect((await stored(id)).audit).toEqual([]);

			await applyThreadTool(db(), moderator, id, 'lock', 'Heated');
			await applyThreadTool(db(), moderator, id, 'lock');
			await applyThreadTool(db(), moderator, id, 'pin');
			const saved = await saveCategory(db(), admin, {
				name: `Elsewhere ${sequence}`,
				slug: `elsewhere-${sequence}`,
				description: '',
				product: null,
				position: 1
			});
			if (!saved.ok) {
				throw new Error('category');
			}
			await applyThreadTool(db(), moderator, id, { move: saved.category.id });
			const after = await stored(id);
			expect(after.audit.map((a) => a.action)).toEqual([
				'thread.locked',
				'thread.pinned',
				'thread.moved'
			]);
			expect(after.audit.every((a) => a.actor_id === moderator.id)).toBe(true);
			expect(after.discussion.category_id).toBe(saved.category.id);
			expect(after.discussion.locked_at).not.toBeNull();
		});
	});

	describe('the thread page answers', () => {
		type Outcome =
			| { kind: 'redirect'; status: number; location: string }
			| { kind: 'failure'; status: number; data: unknown }
			| { kind: 'error'; status: number; message: string };

		async function post(
			name: keyof typeof actions,
			actor: Actor,
			path: string,
			fields: Record<string, string> = {}
		): Promise<Outcome> {
			const url = new URL(`http://localhost${path}?/${name}`);
			const event = {
				locals: { actor },
				params: { id: path.replace('/discussions/', '') },
				url,
				request: new Request(url, { method: 'POST', body: new URLSearchParams(fields) })
			} as unknown as RequestEvent;
			try {
				const value: unknown = await (actions[name] as (e: RequestEvent) => unknown)(event);
				if (isActionFailure(value)) {
					return { kind: 'failure', status: value.status, data: value.data };
				}
				throw new Error('the action returned without redirecting');
			} catch (thrown) {
				if (isRedirect(thrown)) {
					return { kind: 'redirect', status: thrown.status, location: thrown.location };
				}
				if (isHttpError(thrown)) {
					return { kind: 'error', status: thrown.status, message: thrown.body.message };
				}
				throw thrown;
			}
		}

		it('409 with a clear message for a reply to a locked thread and for a second ballot; 403 for a member’s tools', async () => {
			const ada = await createUser(db());
			const bob = await createUser(db());
			const moderator = await createUser(db(), { role: 'moderator' });
			const { id, path } = await newThread(ada, { poll: ['Which?', 'A', 'B'] });
			const option = String(
				(await getPoll(db(), bob, (await loadThreadFacts(db(), id))!))!.options[0]!.id
			);
			expect(await post('vote', bob, path, { option })).toMatchObject({
				kind: 'redirect',
				status: 303
			});
			expect(await post('vote', bob, path, { option })).toMatchObject({
				kind: 'failure',
				status: 409,
				data: { where: 'poll', message: expect.stringContaining('already voted') }
			});
			expect(await post('tool', bob, path, { tool: 'lock' })).toMatchObject({
				kind: 'failure',
				status: 403,
				data: { where: 'tools' }
			});
			expect(await post('tool', moderator, path, { tool: 'lock' })).toMatchObject({
				kind: 'redirect',
				location: `${path}#tools`
			});
			expect(await post('reply', bob, path, { body: 'Too late?' })).toMatchObject({
				kind: 'failure',
				status: 409,
				data: { replyForm: { message: expect.stringContaining('locked by a moderator') } }
			});
			expect((await stored(id)).comments).toEqual([]);
			expect(await post('reply', { kind: 'anonymous' }, path, { body: 'x' })).toMatchObject({
				kind: 'redirect',
				location: `/login?next=${encodeURIComponent(path)}`
			});
		});
	});
});
