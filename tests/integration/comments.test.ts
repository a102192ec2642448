// Comments on both databases: posting (replies one level deep, official staff answers), editing,
// soft deleting, the thread the idea page shows, and the idea page's comment actions' answers.
// Every write is one transaction: a refused or failed write leaves nothing behind.
import { isActionFailure, isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { sql, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMENT_MAX } from '$lib/domain/ideas';
import {
	countVisible,
	deleteComment,
	editComment,
	listComments,
	postComment
} from '$lib/server/comments';
import type { DatabaseHandle, Db } from '$lib/server/db/index';
import { isFollowing } from '$lib/server/follows';
import { deleteIdea, postIdea } from '$lib/server/ideas';
import { anonymous, type Actor, type UserActor } from '$lib/server/policy';
import { createProduct, createUser } from '../helpers/factories';
import { backends, createTestDatabase } from '../helpers/test-db';
import { commentActions } from '../../src/routes/ideas/[id]/comments.server';

// The page actions get their database from the app's handle: here, the test database.
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

describe.each(backends)('comments on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = () => handle.db;

	beforeAll(async () => {
		handle = await createTestDatabase(backend);
		app.db = handle.db;
		app.handle = handle;
	});
	afterAll(async () => {
		app.db = undefined;
		app.handle = undefined;
		await handle?.close();
	});

	async function newIdea(author?: UserActor) {
		const poster = author ?? (await createUser(db(), { displayName: 'Ada Lovelace' }));
		const product = await createProduct(db());
		const result = await postIdea(db(), poster, {
			title: 'Keyboard shortcuts for triage',
			body: 'Moving through the queue with the mouse is slow.',
			product: product.id,
			tags: []
		});
		if (!result.ok) {
			throw new Error('could not post the idea');
		}
		return { author: poster, id: result.id, path: result.path };
	}

	async function comment(actor: Actor, postId: number, body: string, parentId?: number) {
		const result = await postComment(db(), actor, { postId, body, parentId });
		if (!result.ok) {
			throw new Error(`comment refused: ${result.reason}`);
		}
		return result.id;
	}

	/** What is stored about an idea's comments, to compare before and after a refused write. */
	async function stored(postId: number) {
		const [post, comments, ledger, notifications] = await Promise.all([
			db()
				.selectFrom('post')
				.select(['comment_count', 'last_activity_at'])
				.where('id', '=', postId)
				.executeTakeFirstOrThrow(),
			db()
				.selectFrom('comment')
				.select(['id', 'body_source', 'body_html', 'edited_at', 'deleted_at'])
				.where('post_id', '=', postId)
				.orderBy('id')
				.execute(),
			db()
				.selectFrom('activity')
				.select(['kind', 'user_id', 'comment_id'])
				.where('post_id', '=', postId)
				.where('kind', '=', 'comment_posted')
				.execute(),
			db()
				.selectFrom('notification')
				.select(['user_id', 'kind'])
				.where('post_id', '=', postId)
				.execute()
		]);
		return { post, comments, ledger, notifications };
	}

	describe('posting', () => {
		it('stores the rendered comment, counts it, bumps the idea, follows the commenter and writes the ledger', async () => {
			const { id } = await newIdea();
			const bob = await createUser(db());
			const before = await stored(id);
			const commentId = await comment(bob, id, 'I would use **j** and **k**.');

			const after = await stored(id);
			expect(after.comments).toEqual([
				expect.objectContaining({
					id: commentId,
					body_source: 'I would use **j** and **k**.',
					body_html: '<p>I would use <strong>j</strong> and <strong>k</strong>.</p>\n',
					edited_at: null,
					deleted_at: null
				})
			]);
			expect(after.post.comment_count).toBe(1);
			expect(after.post.last_activity_at.getTime()).toBeGreaterThan(
				before.post.last_activity_at.getTime()
			);
			expect(after.ledger).toEqual([
				{ kind: 'comment_posted', user_id: bob.id, comment_id: commentId }
			]);
			expect(await isFollowing(db(), bob.id, id)).toBe(true);
			const row = await db()
				.selectFrom('comment')
				.select(['is_official', 'is_internal', 'author_id', 'parent_id'])
				.where('id', '=', commentId)
				.executeTakeFirstOrThrow();
			expect(row).toEqual({
				is_official: false,
				is_internal: false,
				author_id: bob.id,
				parent_id: null
			});
		});

		it('marks staff and admin comments official, and members’ and moderators’ not', async () => {
			const { id } = await newIdea();
			const official = async (role: 'member' | 'moderator' | 'staff' | 'admin') => {
				const commentId = await comment(await createUser(db(), { role }), id, `As ${role}: noted.`);
				const row = await db()
					.selectFrom('comment')
					.select('is_official')
					.where('id', '=', commentId)
					.executeTakeFirstOrThrow();
				return row.is_official;
			};
			expect(await official('member')).toBe(false);
			expect(await official('moderator')).toBe(false);
			expect(await official('staff')).toBe(true);
			expect(await official('admin')).toBe(true);
		});

		it('refuses an empty comment and one over the limit, storing nothing', async () => {
			const { id } = await newIdea();
			const bob = await createUser(db());
			const before = await stored(id);
			for (const body of ['', '   \n\t ']) {
				expect(await postComment(db(), bob, { postId: id, body })).toEqual({
					ok: false,
					reason: 'invalid',
					errors: { body: 'Write something first: the comment is empty.' }
				});
			}
			expect(
				await postComment(db(), bob, { postId: id, body: 'x'.repeat(COMMENT_MAX + 1) })
			).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { body: 'Use at most 10,000 characters.' }
			});
			expect(await stored(id)).toEqual(before);
			expect(await isFollowing(db(), bob.id, id)).toBe(false);
			// Exactly the limit is fine.
			await comment(bob, id, 'x'.repeat(COMMENT_MAX));
		});

		it('refuses visitors, deleted ideas and ideas that do not exist, storing nothing', async () => {
			const { author, id } = await newIdea();
			const bob = await createUser(db());
			expect(await postComment(db(), anonymous, { postId: id, body: 'Hello' })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await deleteIdea(db(), author, id)).toEqual({ ok: true });
			const before = await stored(id);
			expect(await postComment(db(), bob, { postId: id, body: 'Hello' })).toEqual({
				ok: false,
				reason: 'closed'
			});
			expect(await stored(id)).toEqual(before);
			expect(await postComment(db(), bob, { postId: 2 ** 40, body: 'Hello' })).toEqual({
				ok: false,
				reason: 'not_found'
			});
		});

		it('writes nothing at all when a later step of the transaction fails', async () => {
			const { id } = await newIdea();
			const bob = await createUser(db());
			const before = await stored(id);
			// Make the last step (the notification to the idea's author) fail.
			await sql`create function refuse_notification() returns trigger language plpgsql as $$
				begin raise exception 'notifications are down'; end $$`.execute(db());
			await sql`create trigger refuse_notification before insert on notification
				for each row execute function refuse_notification()`.execute(db());
			try {
				await expect(postComment(db(), bob, { postId: id, body: 'Hello' })).rejects.toThrow(
					/notifications are down/
				);
			} finally {
				await sql`drop trigger refuse_notification on notification`.execute(db());
				await sql`drop function refuse_notification()`.execute(db());
			}
			expect(await stored(id)).toEqual(before);
			expect(await isFollowing(db(), bob.id, id)).toBe(false);
		});
	});

	describe('replies', () => {
		it('nest one level under the comment they answer', async () => {
			const { id } = await newIdea();
			const bob = await createUser(db(), { displayName: 'Bob' });
			const cy = await createUser(db(), { displayName: 'Cy' });
			const first = await comment(bob, id, 'First');
			const reply = await comment(cy, id, 'A reply', first);
			const second = await comment(cy, id, 'Second');

			const threads = await listComments(db(), anonymous, { id, deleted: false });
			expect(threads.map((c) => [c.id, c.replies.map((r) => r.id)])).toEqual([
				[first, [reply]],
				[second, []]
			]);
			expect((await stored(id)).post.comment_count).toBe(3);
		});

		it('join the thread when they answer a reply, so nesting stays one level deep', async () => {
			const { id } = await newIdea();
			const bob = await createUser(db());
			const cy = await createUser(db());
			const top = await comment(bob, id, 'Top');
			const reply = await comment(cy, id, 'Reply', top);
			const replyToReply = await comment(bob, id, 'Reply to the reply', reply);
			const row = await db()
				.selectFrom('comment')
				.select('parent_id')
				.where('id', '=', replyToReply)
				.executeTakeFirstOrThrow();
			expect(row.parent_id).toBe(top);
			const threads = await listComments(db(), anonymous, { id, deleted: false });
			expect(threads).toHaveLength(1);
			expect(threads[0]!.replies.map((r) => r.id)).toEqual([reply, replyToReply]);
		});

		it('must answer a comment of the same idea that is not deleted', async () => {
			const { id } = await newIdea();
			const other = await newIdea();
			const bob = await createUser(db());
			const elsewhere = await comment(bob, other.id, 'On another idea');
			const gone = await comment(bob, id, 'Soon deleted');
			await deleteComment(db(), bob, { postId: id, commentId: gone });
			const before = await stored(id);
			expect(await postComment(db(), bob, { postId: id, body: 'Hi', parentId: elsewhere })).toEqual(
				{
					ok: false,
					reason: 'invalid',
					errors: { parent: 'The comment you are replying to is not on this idea.' }
				}
			);
			expect(await postComment(db(), bob, { postId: id, body: 'Hi', parentId: gone })).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { parent: 'That comment was deleted, so it takes no new replies.' }
			});
			expect(await stored(id)).toEqual(before);
		});
	});

	describe('editing', () => {
		it('re-renders the comment and marks it edited', async () => {
			const { id, path } = await newIdea();
			const bob = await createUser(db());
			const commentId = await comment(bob, id, 'Typo hre');
			expect(await editComment(db(), bob, { postId: id, commentId, body: 'Typo *here*' })).toEqual({
				ok: true,
				path: `${path}#comment-${commentId}`
			});
			const [row] = (await stored(id)).comments;
			expect(row).toMatchObject({
				body_source: 'Typo *here*',
				body_html: '<p>Typo <em>here</em></p>\n'
			});
			expect(row!.edited_at).toBeInstanceOf(Date);
			const [shown] = await listComments(db(), bob, { id, deleted: false });
			expect(shown!.editedAt).toEqual(row!.edited_at);
		});

		it('is the author’s alone: others, visitors and bad input change nothing', async () => {
			const { id } = await newIdea();
			const bob = await createUser(db());
			const staff = await createUser(db(), { role: 'admin' });
			const commentId = await comment(bob, id, 'Mine');
			const before = await stored(id);
			for (const actor of [staff, anonymous, await createUser(db())]) {
				expect(await editComment(db(), actor, { postId: id, commentId, body: 'Theirs' })).toEqual({
					ok: false,
					reason: 'forbidden'
				});
			}
			expect(await editComment(db(), bob, { postId: id, commentId, body: ' ' })).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { body: 'Write something first: the comment is empty.' }
			});
			const other = await newIdea();
			expect(await editComment(db(), bob, { postId: other.id, commentId, body: 'Moved?' })).toEqual(
				{ ok: false, reason: 'not_found' }
			);
			expect(await stored(id)).toEqual(before);
		});
	});

	describe('deleting', () => {
		it('hides the words and author but keeps the row, its replies and a consistent count', async () => {
			const { id } = await newIdea();
			const bob = await createUser(db(), { displayName: 'Bob' });
			const cy = await createUser(db());
			const top = await comment(bob, id, 'Something I regret');
			const reply = await comment(cy, id, 'A fair answer', top);
			expect((await stored(id)).post.comment_count).toBe(2);

			expect(await deleteComment(db(), bob, { postId: id, commentId: top })).toMatchObject({
				ok: true
			});
			const after = await stored(id);
			expect(after.comments.map((c) => [c.id, c.deleted_at !== null])).toEqual([
				[top, true],
				[reply, false]
			]);
			// Deleted comments do not count.
			expect(after.post.comment_count).toBe(1);

			const [shown] = await listComments(db(), bob, { id, deleted: false });
			expect(shown).toMatchObject({
				id: top,
				deleted: true,
				author: null,
				bodyHtml: null,
				bodySource: null,
				can: { reply: false, edit: false, delete: false }
			});
			expect(JSON.stringify(shown)).not.toContain('regret');
			expect(shown!.replies).toMatchObject([{ id: reply, deleted: false }]);
			expect(countVisible([shown!])).toBe(after.post.comment_count);

			// A second delete (or an edit) of a deleted comment changes nothing.
			expect(await deleteComment(db(), bob, { postId: id, commentId: top })).toEqual({
				ok: false,
				reason: 'deleted'
			});
			expect(await editComment(db(), bob, { postId: id, commentId: top, body: 'Back' })).toEqual({
				ok: false,
				reason: 'deleted'
			});
			expect(await stored(id)).toEqual(after);
		});

		it('is the author’s alone', async () => {
			const { author, id } = await newIdea();
			const bob = await createUser(db());
			const commentId = await comment(bob, id, 'Mine');
			const before = await stored(id);
			for (const actor of [author, anonymous, await createUser(db(), { role: 'staff' })]) {
				expect(await deleteComment(db(), actor, { postId: id, commentId })).toEqual({
					ok: false,
					reason: 'forbidden'
				});
			}
			expect(await stored(id)).toEqual(before);
		});
	});

	describe('the thread on the idea page', () => {
		it('lists oldest first, with authors, the official mark and what each viewer may do', async () => {
			const { author, id } = await newIdea();
			const staff = await createUser(db(), { role: 'staff', displayName: 'Sam Staff' });
			const bob = await createUser(db(), { displayName: 'Bob' });
			const first = await comment(bob, id, 'First');
			const answer = await comment(staff, id, 'We are on it.', first);
			const last = await comment(author, id, 'Thanks!');

			const asBob = await listComments(db(), bob, { id, deleted: false });
			expect(asBob).toMatchObject([
				{
					id: first,
					author: { displayName: 'Bob', handle: bob.handle },
					bodyHtml: '<p>First</p>\n',
					bodySource: 'First',
					official: false,
					deleted: false,
					can: { reply: true, edit: true, delete: true },
					replies: [
						{
							id: answer,
							author: { displayName: 'Sam Staff' },
							official: true,
							bodySource: null,
							can: { reply: false, edit: false, delete: false }
						}
					]
				},
				{ id: last, can: { reply: true, edit: false, delete: false } }
			]);

			const asVisitor = await listComments(db(), anonymous, { id, deleted: false });
			const flags = (threads: typeof asVisitor) =>
				threads.flatMap((c) => [c, ...c.replies]).map((c) => c.can);
			expect(flags(asVisitor)).toEqual(
				Array(3).fill({ reply: false, edit: false, delete: false, flag: false })
			);
			// On a deleted idea (which only staff see) nobody may reply, edit or delete.
			const onDeleted = await listComments(db(), bob, { id, deleted: true });
			expect(flags(onDeleted)).toEqual(
				Array(3).fill({ reply: false, edit: false, delete: false, flag: false })
			);
		});

		it('never shows staff-only notes', async () => {
			const { id } = await newIdea();
			const staff = await createUser(db(), { role: 'staff' });
			await comment(staff, id, 'Public answer');
			await db()
				.insertInto('comment')
				.values({
					post_id: id,
					author_id: staff.id,
					body_source: 'Internal: big customer',
					body_html: '<p>Internal: big customer</p>',
					is_internal: true
				})
				.execute();
			for (const viewer of [anonymous, staff, await createUser(db())]) {
				const threads = await listComments(db(), viewer, { id, deleted: false });
				expect(threads.map((c) => c.bodyHtml)).toEqual(['<p>Public answer</p>\n']);
			}
		});

		it('loads in one query however many comments there are', async () => {
			const { id } = await newIdea();
			const people = await Promise.all([1, 2, 3].map(() => createUser(db())));
			for (const [i, person] of people.entries()) {
				const top = await comment(person, id, `Comment ${i}`);
				await comment(people[(i + 1) % 3]!, id, `Reply ${i}`, top);
			}
			let queries = 0;
			const counting: KyselyPlugin = {
				transformQuery: (args) => {
					queries++;
					return args.node;
				},
				transformResult: async (args) => args.result
			};
			const threads = await listComments(db().withPlugin(counting), people[0]!, {
				id,
				deleted: false
			});
			expect(countVisible(threads)).toBe(6);
			expect(queries).toBe(1);
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
			name: keyof typeof commentActions,
			actor: Actor,
			path: string,
			fields: Record<string, string> = {}
		): Promise<Outcome> {
			const url = new URL(`http://localhost${path}?/${name}`);
			const event = {
				locals: { actor },
				params: { id: path.replace('/ideas/', '') },
				url,
				request: new Request(url, { method: 'POST', body: new URLSearchParams(fields) }),
				setHeaders: () => {}
			} as unknown as RequestEvent;
			try {
				const value: unknown = await commentActions[name](event);
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

		const latestComment = async (postId: number) =>
			(
				await db()
					.selectFrom('comment')
					.select('id')
					.where('post_id', '=', postId)
					.orderBy('id', 'desc')
					.executeTakeFirstOrThrow()
			).id;

		it('post, reply, edit and delete, each time back to the comment', async () => {
			const { id, path } = await newIdea();
			const bob = await createUser(db());
			const cy = await createUser(db());
			const posted = await post('comment', bob, path, { body: 'Yes please' });
			const top = await latestComment(id);
			expect(posted).toEqual({
				kind: 'redirect',
				status: 303,
				location: `${path}#comment-${top}`
			});
			const replied = await post('comment', cy, path, { body: 'Agreed', parent: String(top) });
			const reply = await latestComment(id);
			expect(replied).toMatchObject({ kind: 'redirect', location: `${path}#comment-${reply}` });
			expect(
				await post('editComment', bob, path, { comment: String(top), body: 'Yes, please' })
			).toMatchObject({ kind: 'redirect', location: `${path}#comment-${top}` });
			expect(await post('deleteComment', cy, path, { comment: String(reply) })).toMatchObject({
				kind: 'redirect',
				location: `${path}#comment-${reply}`
			});
			expect((await stored(id)).post.comment_count).toBe(1);
		});

		it('answers 400 with the message and the typed text for a bad comment, storing nothing', async () => {
			const { id, path } = await newIdea();
			const bob = await createUser(db());
			const before = await stored(id);
			expect(await post('comment', bob, path, { body: '  ' })).toEqual({
				kind: 'failure',
				status: 400,
				data: {
					commentForm: {
						target: 'new',
						body: '  ',
						errors: { body: 'Write something first: the comment is empty.' },
						message: null
					}
				}
			});
			const long = 'y'.repeat(COMMENT_MAX + 1);
			expect(await post('comment', bob, path, { body: long, parent: '999999' })).toEqual({
				kind: 'failure',
				status: 400,
				data: {
					commentForm: {
						target: 'reply-999999',
						body: long,
						errors: { body: 'Use at most 10,000 characters.' },
						message: null
					}
				}
			});
			expect(await stored(id)).toEqual(before);
		});

		it('answers 403 to editing or deleting someone else’s comment, changing nothing', async () => {
			const { id, path } = await newIdea();
			const bob = await createUser(db());
			const mallory = await createUser(db());
			await post('comment', bob, path, { body: 'Mine' });
			const mine = await latestComment(id);
			const before = await stored(id);
			expect(
				await post('editComment', mallory, path, { comment: String(mine), body: 'Hacked' })
			).toEqual({
				kind: 'failure',
				status: 403,
				data: {
					commentForm: {
						target: `edit-${mine}`,
						body: 'Hacked',
						errors: {},
						message: 'You can only change your own comments.'
					}
				}
			});
			expect(await post('deleteComment', mallory, path, { comment: String(mine) })).toMatchObject({
				kind: 'failure',
				status: 403
			});
			expect(await post('editComment', mallory, path, { comment: 'abc', body: 'x' })).toMatchObject(
				{ kind: 'error', status: 400 }
			);
			expect(await stored(id)).toEqual(before);
		});

		it('answers 409 on a deleted idea and sends visitors to sign in and back to the idea', async () => {
			const { author, id, path } = await newIdea();
			expect(await post('comment', anonymous, path, { body: 'Hi' })).toEqual({
				kind: 'redirect',
				status: 303,
				location: `/login?next=${encodeURIComponent(path)}`
			});
			await deleteIdea(db(), author, id);
			expect(await post('comment', author, path, { body: 'Hi' })).toMatchObject({
				kind: 'failure',
				status: 409,
				data: { commentForm: { message: 'This idea was deleted, so it takes no new comments.' } }
			});
			expect((await stored(id)).comments).toEqual([]);
		});
	});
});
