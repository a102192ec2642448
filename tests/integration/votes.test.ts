// Votes and follows on both databases: the stored count always equals the rows (under real
// concurrency on PostgreSQL), closed ideas refuse votes, and following is automatic but an
// unfollow is remembered. Also the idea page's vote and follow actions' answers.
import { isActionFailure, isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle, Db } from '$lib/server/db/index';
import { followPost, isFollowing, listFollowerIds } from '$lib/server/follows';
import { postIdea } from '$lib/server/ideas';
import { anonymous, type Actor, type UserActor } from '$lib/server/policy';
import { addVote, castVote, listVoters, removeVote } from '$lib/server/votes';
import { createProduct, createUser, setIdeaStatus } from '../helpers/factories';
import { backends, createTestDatabase } from '../helpers/test-db';
import { VOTING_CLOSED_MESSAGE, votingActions } from '../../src/routes/ideas/[id]/voting.server';

// The page actions get their database from the app's handle: here, the test database.
const app = vi.hoisted(() => ({ db: undefined as Db | undefined }));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => {
		if (!app.db) {
			throw new Error('no test database');
		}
		return app.db;
	}
}));

let batch = 0;

describe.each(backends)('votes on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = () => handle.db;

	beforeAll(async () => {
		// A pool of 20 so concurrent votes really run side by side on PostgreSQL; PGlite is one
		// connection and queues them by design.
		handle = await createTestDatabase(backend, 20);
		app.db = handle.db;
	});
	afterAll(async () => {
		app.db = undefined;
		await handle?.close();
	});

	async function newIdea(title = 'Export the roadmap as CSV') {
		const author = await createUser(db());
		const product = await createProduct(db());
		const result = await postIdea(db(), author, {
			title,
			body: 'Our board wants it in a spreadsheet every month.',
			product: product.id,
			tags: []
		});
		if (!result.ok) {
			throw new Error(`could not post: ${JSON.stringify(result)}`);
		}
		return { author, id: result.id, path: result.path };
	}

	/** `n` members in one insert. */
	async function createMembers(n: number): Promise<UserActor[]> {
		const prefix = `m${(batch++).toString(36)}${Date.now().toString(36)}`;
		const rows = await db()
			.insertInto('app_user')
			.values(
				Array.from({ length: n }, (_, i) => ({
					email: `${prefix}_${i}@example.com`,
					handle: `${prefix}_${i}`,
					display_name: `Member ${prefix} ${i}`,
					password_hash: 'not-a-real-hash'
				}))
			)
			.returning(['id', 'email', 'handle', 'display_name', 'role'])
			.execute();
		return rows.map((row) => ({
			kind: 'user',
			id: row.id,
			email: row.email,
			handle: row.handle,
			displayName: row.display_name,
			role: row.role
		}));
	}

	/** The idea's stored count and its vote rows, which must always agree. */
	async function tally(postId: number) {
		const row = await db()
			.selectFrom('post')
			.select([
				'vote_count as stored',
				sql<number>`(select count(*) from vote where vote.post_id = post.id)`.as('rows'),
				// The stored trending score must follow the stored count.
				sql<boolean>`abs(hot_score - (log(greatest(vote_count, 1)) + (extract(epoch from created_at) - 1700000000) / 45000)) < 1e-9`.as(
					'scoreCurrent'
				)
			])
			.where('id', '=', postId)
			.executeTakeFirstOrThrow();
		return row;
	}

	async function ledger(postId: number, userId?: number) {
		let query = db()
			.selectFrom('activity')
			.select(['kind', 'user_id', 'data'])
			.where('post_id', '=', postId)
			.where('kind', 'in', ['vote_cast', 'vote_removed'])
			.orderBy('id');
		if (userId !== undefined) {
			query = query.where('user_id', '=', userId);
		}
		return query.execute();
	}

	async function voteOf(postId: number, userId: number) {
		return db()
			.selectFrom('vote')
			.selectAll()
			.where('post_id', '=', postId)
			.where('user_id', '=', userId)
			.execute();
	}

	describe('concurrency', () => {
		it('50 votes at once by one member store one vote and count it once', async () => {
			const { id } = await newIdea();
			const [member] = await createMembers(1);
			const results = await Promise.all(
				Array.from({ length: 50 }, () => castVote(db(), member!, { postId: id }))
			);
			expect(results.every((r) => r.ok)).toBe(true);
			expect(results.filter((r) => r.ok && r.changed)).toHaveLength(1);
			expect(await voteOf(id, member!.id)).toHaveLength(1);
			expect(await tally(id)).toEqual({ stored: 2, rows: 2, scoreCurrent: true });
			expect(await ledger(id, member!.id)).toHaveLength(1);
		});

		it('200 members voting at once store 200 votes and the count equals the rows', async () => {
			const { id } = await newIdea();
			const members = await createMembers(200);
			const results = await Promise.all(
				members.map((member, i) =>
					castVote(db(), member, { postId: id, importance: i % 2 ? 'important' : null })
				)
			);
			expect(results.every((r) => r.ok && r.changed)).toBe(true);
			// 200 voters and the author.
			expect(await tally(id)).toEqual({ stored: 201, rows: 201, scoreCurrent: true });
			expect(await ledger(id)).toHaveLength(201);
		});

		it('votes cast and taken back at the same time keep the count equal to the rows', async () => {
			const { id } = await newIdea();
			const members = await createMembers(40);
			const acts = members.flatMap((member, i) => {
				const cast = () => castVote(db(), member, { postId: id });
				const remove = () => removeVote(db(), member, { postId: id });
				// Different interleavings per member, all running at once.
				return i % 2 ? [cast, remove, cast, remove, cast] : [remove, cast, cast, remove];
			});
			const results = await Promise.all(acts.map((act) => act()));
			expect(results.every((r) => r.ok)).toBe(true);
			const { stored, rows } = await tally(id);
			expect(stored).toBe(rows);
			expect((await tally(id)).scoreCurrent).toBe(true);

			// The ledger agrees with the rows too: per member, casts minus removals is 1 exactly
			// when their vote is there.
			const voters = new Set(
				(await db().selectFrom('vote').select('user_id').where('post_id', '=', id).execute()).map(
					(v) => v.user_id
				)
			);
			const entries = await ledger(id);
			for (const member of members) {
				const net = entries
					.filter((e) => e.user_id === member.id)
					.reduce((sum, e) => sum + (e.kind === 'vote_cast' ? 1 : -1), 0);
				expect(net).toBe(voters.has(member.id) ? 1 : 0);
			}
		});
	});

	describe('casting and removing', () => {
		it('toggles the vote, and the ledger records each change in order', async () => {
			const { id } = await newIdea();
			const [member] = await createMembers(1);
			expect(await castVote(db(), member!, { postId: id })).toEqual({ ok: true, changed: true });
			expect((await tally(id)).stored).toBe(2);
			expect(await removeVote(db(), member!, { postId: id })).toEqual({ ok: true, changed: true });
			expect((await tally(id)).stored).toBe(1);
			// Taking back a vote one does not have changes nothing and records nothing.
			expect(await removeVote(db(), member!, { postId: id })).toEqual({
				ok: true,
				changed: false
			});
			expect(await castVote(db(), member!, { postId: id })).toEqual({ ok: true, changed: true });
			expect(await tally(id)).toEqual({ stored: 2, rows: 2, scoreCurrent: true });
			expect((await ledger(id, member!.id)).map((e) => e.kind)).toEqual([
				'vote_cast',
				'vote_removed',
				'vote_cast'
			]);
		});

		it('lets the author take back and give again the vote they got on posting', async () => {
			const { author, id } = await newIdea();
			expect(await removeVote(db(), author, { postId: id })).toEqual({ ok: true, changed: true });
			expect(await tally(id)).toEqual({ stored: 0, rows: 0, scoreCurrent: true });
			expect(await castVote(db(), author, { postId: id })).toEqual({ ok: true, changed: true });
			expect((await tally(id)).stored).toBe(1);
		});

		it('refuses visitors and ideas that do not exist', async () => {
			const { id } = await newIdea();
			expect(await castVote(db(), anonymous, { postId: id })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			const [member] = await createMembers(1);
			expect(await castVote(db(), member!, { postId: 987654321 })).toEqual({
				ok: false,
				reason: 'not_found'
			});
			expect((await tally(id)).stored).toBe(1);
		});
	});

	describe('importance', () => {
		it('is set with the vote and changed later without a second vote', async () => {
			const { id } = await newIdea();
			const [member] = await createMembers(1);
			expect(await castVote(db(), member!, { postId: id, importance: 'nice' })).toEqual({
				ok: true,
				changed: true
			});
			expect(await castVote(db(), member!, { postId: id, importance: 'critical' })).toEqual({
				ok: true,
				changed: false
			});
			expect(await voteOf(id, member!.id)).toMatchObject([{ importance: 'critical' }]);
			expect((await tally(id)).stored).toBe(2);
			expect(await ledger(id, member!.id)).toEqual([
				{ kind: 'vote_cast', user_id: member!.id, data: { importance: 'nice' } }
			]);

			// Leaving the importance out keeps it; null clears it.
			await castVote(db(), member!, { postId: id });
			expect(await voteOf(id, member!.id)).toMatchObject([{ importance: 'critical' }]);
			await castVote(db(), member!, { postId: id, importance: null });
			expect(await voteOf(id, member!.id)).toMatchObject([{ importance: null }]);
			expect(await tally(id)).toEqual({ stored: 2, rows: 2, scoreCurrent: true });
		});
	});

	describe('closed ideas', () => {
		async function expectRefused(id: number, member: Actor, reason: 'closed' | 'not_found') {
			const before = await tally(id);
			const entries = (await ledger(id)).length;
			expect(await castVote(db(), member, { postId: id, importance: 'critical' })).toEqual({
				ok: false,
				reason
			});
			expect(await removeVote(db(), member, { postId: id })).toEqual({ ok: false, reason });
			expect(await tally(id)).toEqual(before);
			expect(await ledger(id)).toHaveLength(entries);
		}

		it.each(['shipped', 'declined'])(
			'refuse votes once %s, and keep the ones they have',
			async (status) => {
				const { author, id } = await newIdea();
				await setIdeaStatus(db(), id, status);
				const [member] = await createMembers(1);
				await expectRefused(id, member!, 'closed');
				expect(await voteOf(id, member!.id)).toEqual([]);
				// The author's vote stays: closed ideas keep their votes.
				await expectRefused(id, author, 'closed');
				expect(await voteOf(id, author.id)).toHaveLength(1);
			}
		);

		it('still take votes while planned or in progress', async () => {
			const { id } = await newIdea();
			const [member] = await createMembers(1);
			await setIdeaStatus(db(), id, 'in-progress');
			expect(await castVote(db(), member!, { postId: id })).toEqual({ ok: true, changed: true });
		});

		it('refuse votes once merged into another idea', async () => {
			const { id } = await newIdea();
			const survivor = await newIdea('Export everything as CSV');
			await db()
				.updateTable('post')
				.set({ merged_into_id: survivor.id })
				.where('id', '=', id)
				.execute();
			const [member] = await createMembers(1);
			await expectRefused(id, member!, 'closed');
		});

		it('refuse votes once deleted, as if the idea were gone', async () => {
			const { id } = await newIdea();
			await db().updateTable('post').set({ deleted_at: new Date() }).where('id', '=', id).execute();
			const [member] = await createMembers(1);
			await expectRefused(id, member!, 'not_found');
		});
	});

	describe('following', () => {
		it('follows the idea on voting', async () => {
			const { id } = await newIdea();
			const [member] = await createMembers(1);
			expect(await isFollowing(db(), member!.id, id)).toBe(false);
			await castVote(db(), member!, { postId: id });
			expect(await isFollowing(db(), member!.id, id)).toBe(true);
		});

		it('remembers an unfollow: voting later does not follow again', async () => {
			const { author, id } = await newIdea();
			const [member] = await createMembers(1);
			await castVote(db(), member!, { postId: id });
			expect(await followPost(db(), member!, id, false)).toEqual({ ok: true });
			await removeVote(db(), member!, { postId: id });
			await castVote(db(), member!, { postId: id });
			expect(await isFollowing(db(), member!.id, id)).toBe(false);
			// The author unfollowing their own idea is remembered the same way.
			await followPost(db(), author, id, false);
			await removeVote(db(), author, { postId: id });
			await castVote(db(), author, { postId: id });
			expect(await listFollowerIds(db(), id)).toEqual([]);
		});

		it('lets anyone signed in follow and unfollow, even a closed idea', async () => {
			const { author, id } = await newIdea();
			const [reader] = await createMembers(1);
			await setIdeaStatus(db(), id, 'shipped');
			expect(await followPost(db(), reader!, id, true)).toEqual({ ok: true });
			expect(await isFollowing(db(), reader!.id, id)).toBe(true);
			expect((await listFollowerIds(db(), id)).sort()).toEqual([author.id, reader!.id].sort());
			expect(await listFollowerIds(db(), id, reader!.id)).toEqual([author.id]);
			expect(await followPost(db(), reader!, id, false)).toEqual({ ok: true });
			expect(await isFollowing(db(), reader!.id, id)).toBe(false);
			expect(await followPost(db(), reader!, id, true)).toEqual({ ok: true });
			expect(await isFollowing(db(), reader!.id, id)).toBe(true);
		});

		it('refuses visitors and deleted ideas', async () => {
			const { id } = await newIdea();
			expect(await followPost(db(), anonymous, id, true)).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			await db().updateTable('post').set({ deleted_at: new Date() }).where('id', '=', id).execute();
			const [member] = await createMembers(1);
			expect(await followPost(db(), member!, id, true)).toEqual({
				ok: false,
				reason: 'not_found'
			});
			expect(await isFollowing(db(), member!.id, id)).toBe(false);
		});
	});

	describe('who voted', () => {
		it('names the most recent voters, newest first, with the total', async () => {
			const { author, id } = await newIdea();
			const members = await createMembers(7);
			for (const member of members) {
				await castVote(db(), member, { postId: id });
			}
			// Votes cast within one clock tick still come back in a stable order.
			await db()
				.updateTable('vote')
				.set({ created_at: sql`now() - make_interval(secs => user_id)` })
				.where('post_id', '=', id)
				.execute();
			const { voters, total } = await listVoters(db(), id, 5);
			expect(total).toBe(8);
			const newestFirst = [...members, author].sort((a, b) => a.id - b.id);
			expect(voters).toEqual(
				newestFirst.slice(0, 5).map((m) => ({ handle: m.handle, displayName: m.displayName }))
			);
		});

		it('shows a vote staff recorded for a customer as the customer’s', async () => {
			const { author, id } = await newIdea();
			const staff = await createUser(db(), { role: 'staff', displayName: 'Sam Staff' });
			const customer = await createUser(db(), { displayName: 'Cora Customer' });
			await db()
				.transaction()
				.execute((trx) =>
					addVote(trx, { postId: id, userId: customer.id, recordedById: staff.id })
				);
			const { voters, total } = await listVoters(db(), id, 5);
			expect(total).toBe(2);
			expect(voters.map((v) => v.displayName).sort()).toEqual(
				[author.displayName, 'Cora Customer'].sort()
			);
			expect(await tally(id)).toEqual({ stored: 2, rows: 2, scoreCurrent: true });
		});

		it('is empty for an idea nobody votes for', async () => {
			const { author, id } = await newIdea();
			await removeVote(db(), author, { postId: id });
			expect(await listVoters(db(), id, 5)).toEqual({ voters: [], total: 0 });
		});
	});

	describe('the idea page’s actions', () => {
		type Outcome =
			| { kind: 'redirect'; status: number; location: string }
			| { kind: 'failure'; status: number; data: unknown }
			| { kind: 'error'; status: number; message: string }
			| { kind: 'returned'; value: unknown };

		/** Runs an action the way SvelteKit would for a form POST to `path?/name`. */
		async function post(
			name: keyof typeof votingActions,
			actor: Actor,
			path: string,
			fields: Record<string, string> = {}
		): Promise<Outcome> {
			const url = new URL(`http://localhost${path}?/${name}`);
			const event = {
				locals: { actor },
				params: { id: path.replace('/ideas/', '') },
				url,
				request: new Request(url, { method: 'POST', body: new URLSearchParams(fields) })
			} as unknown as RequestEvent;
			try {
				const value = await votingActions[name](event);
				if (isActionFailure(value)) {
					return { kind: 'failure', status: value.status, data: value.data };
				}
				return { kind: 'returned', value };
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

		it('votes with an importance, changes it and takes the vote back, each time back to the idea', async () => {
			const { id, path } = await newIdea();
			const [member] = await createMembers(1);
			const back = { kind: 'redirect', status: 303, location: path };
			expect(await post('vote', member!, path, { importance: 'important' })).toEqual(back);
			expect(await voteOf(id, member!.id)).toMatchObject([{ importance: 'important' }]);
			expect(await post('vote', member!, path, { importance: '' })).toEqual(back);
			expect(await voteOf(id, member!.id)).toMatchObject([{ importance: null }]);
			expect(await post('unvote', member!, path)).toEqual(back);
			expect(await voteOf(id, member!.id)).toEqual([]);
			expect(await tally(id)).toEqual({ stored: 1, rows: 1, scoreCurrent: true });
		});

		it('answers 409 with a clear message on a closed idea, storing nothing', async () => {
			const { author, id, path } = await newIdea();
			await setIdeaStatus(db(), id, 'shipped');
			const [member] = await createMembers(1);
			const closed = { kind: 'failure', status: 409, data: { voteError: VOTING_CLOSED_MESSAGE } };
			expect(VOTING_CLOSED_MESSAGE).toMatch(/^Voting on this idea is closed/);
			expect(await post('vote', member!, path, { importance: 'critical' })).toEqual(closed);
			expect(await post('unvote', author, path)).toEqual(closed);
			expect(await voteOf(id, member!.id)).toEqual([]);
			expect(await tally(id)).toEqual({ stored: 1, rows: 1, scoreCurrent: true });
			expect(await ledger(id)).toHaveLength(1);
		});

		it('answers 400 to an importance not on the list, storing nothing', async () => {
			const { id, path } = await newIdea();
			const [member] = await createMembers(1);
			expect(await post('vote', member!, path, { importance: 'urgent!!' })).toEqual({
				kind: 'failure',
				status: 400,
				data: { voteError: 'Choose how important this is from the list.' }
			});
			expect(await voteOf(id, member!.id)).toEqual([]);
		});

		it('sends a visitor to sign in and back to the idea, not to the action', async () => {
			const { id, path } = await newIdea();
			for (const name of ['vote', 'unvote', 'follow', 'unfollow'] as const) {
				expect(await post(name, anonymous, path)).toEqual({
					kind: 'redirect',
					status: 303,
					location: `/login?next=${encodeURIComponent(path)}`
				});
			}
			expect(await tally(id)).toEqual({ stored: 1, rows: 1, scoreCurrent: true });
		});

		it('follows and unfollows, back to the follow button', async () => {
			const { id, path } = await newIdea();
			const [member] = await createMembers(1);
			const back = { kind: 'redirect', status: 303, location: `${path}#follow` };
			expect(await post('follow', member!, path)).toEqual(back);
			expect(await isFollowing(db(), member!.id, id)).toBe(true);
			expect(await post('unfollow', member!, path)).toEqual(back);
			expect(await isFollowing(db(), member!.id, id)).toBe(false);
		});

		it('answers 404 for an idea that does not exist', async () => {
			const [member] = await createMembers(1);
			for (const name of ['vote', 'follow'] as const) {
				expect(await post(name, member!, '/ideas/987654321-nothing')).toMatchObject({
					kind: 'error',
					status: 404
				});
			}
		});
	});
});
