// In-app notifications on both databases: who hears about a comment and as what (one
// notification per person and comment, never the actor), the inbox, unread count and marking read.
import { beforeAll, describe, expect, it } from 'vitest';
import {
	createSession,
	generateSessionToken,
	validateSessionToken
} from '$lib/server/auth/session';
import { deleteComment, editComment, postComment } from '$lib/server/comments';
import type { Db } from '$lib/server/db/index';
import { setFollowing } from '$lib/server/follows';
import { deleteIdea, postIdea } from '$lib/server/ideas';
import {
	MENTION_NOTIFY_MAX,
	listNotifications,
	markAllRead,
	markRead,
	openNotification,
	unreadCount
} from '$lib/server/notifications';
import type { Actor, UserActor } from '$lib/server/policy';
import { castVote } from '$lib/server/votes';
import { createProduct, createUser } from '../helpers/factories';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('notifications on %s', (backend) => {
	const t = useTestDatabase(backend);
	const db = (): Db => t.db;
	let productId: number;

	beforeAll(async () => {
		productId = (await createProduct(db())).id;
	});

	const person = (displayName: string, role: 'member' | 'staff' = 'member') =>
		createUser(db(), { displayName, role });

	async function newIdea(author: UserActor, title = 'Bulk edit of tags') {
		const result = await postIdea(db(), author, {
			title,
			body: 'Retagging fifty ideas one by one takes an afternoon.',
			product: productId,
			tags: []
		});
		if (!result.ok) {
			throw new Error('could not post the idea');
		}
		return { id: result.id, path: result.path };
	}

	async function comment(actor: Actor, postId: number, body: string, parentId?: number) {
		const result = await postComment(db(), actor, { postId, body, parentId });
		if (!result.ok) {
			throw new Error(`comment refused: ${result.reason}`);
		}
		return result.id;
	}

	/** Who was notified about a comment, as what: { handle: kind }. */
	async function notified(commentId: number): Promise<Record<string, string>> {
		const rows = await db()
			.selectFrom('notification')
			.innerJoin('app_user', 'app_user.id', 'notification.user_id')
			.select(['app_user.handle', 'notification.kind'])
			.where('notification.comment_id', '=', commentId)
			.orderBy('notification.id')
			.execute();
		const result: Record<string, string> = {};
		for (const row of rows) {
			expect(result[row.handle], `${row.handle} notified twice`).toBeUndefined();
			result[row.handle] = row.kind;
		}
		return result;
	}

	describe('who hears about a comment', () => {
		it('followers get a comment notification; the commenter none; unfollowers none', async () => {
			const ada = await person('Ada');
			const { id } = await newIdea(ada);
			const voter = await person('Vera');
			const quitter = await person('Quinn');
			const stranger = await person('Stan');
			await castVote(db(), voter, { postId: id });
			await castVote(db(), quitter, { postId: id });
			await setFollowing(db(), quitter.id, id, false);
			const bob = await person('Bob');

			const first = await comment(bob, id, 'Yes, and for statuses too.');
			expect(await notified(first)).toEqual({ [ada.handle]: 'comment', [voter.handle]: 'comment' });
			expect(Object.keys(await notified(first))).not.toContain(stranger.handle);

			// Bob now follows as a commenter; Ada's own comment notifies everyone but her.
			const second = await comment(ada, id, 'Good point.');
			expect(await notified(second)).toEqual({
				[voter.handle]: 'comment',
				[bob.handle]: 'comment'
			});
		});

		it('the author of the comment answered gets a reply instead, even after unfollowing', async () => {
			const ada = await person('Ada');
			const { id } = await newIdea(ada);
			const bob = await person('Bob');
			const cy = await person('Cy');
			const top = await comment(bob, id, 'What about tags on comments?');
			await setFollowing(db(), bob.id, id, false);
			const reply = await comment(cy, id, 'Out of scope, I think.', top);
			expect(await notified(reply)).toEqual({ [ada.handle]: 'comment', [bob.handle]: 'reply' });

			// Answering yourself tells nobody that you replied.
			const own = await comment(bob, id, 'Fair enough.', top);
			expect(await notified(own)).toEqual({ [ada.handle]: 'comment', [cy.handle]: 'comment' });
		});

		it('people mentioned get a mention instead, once, whatever the case; unknown handles and the actor none', async () => {
			const ada = await person('Ada');
			const { id } = await newIdea(ada);
			const bob = await person('Bob');
			const dee = await person('Dee');
			const top = await comment(bob, id, 'First');
			const body = `@${bob.handle.toUpperCase()} @${dee.handle} @${ada.handle} @${dee.handle} @nobody_here @${ada.handle}x and \`@${bob.handle}\``;
			const reply = await comment(ada, id, body, top);
			expect(await notified(reply)).toEqual({ [bob.handle]: 'mention', [dee.handle]: 'mention' });
		});

		it('mentions beyond the limit notify nobody', async () => {
			const ada = await person('Ada');
			const { id } = await newIdea(ada);
			const crowd = await Promise.all(
				Array.from({ length: MENTION_NOTIFY_MAX + 2 }, (_, i) => person(`Crowd ${i}`))
			);
			const shout = await comment(ada, id, crowd.map((p) => `@${p.handle}`).join(' '));
			const kinds = await notified(shout);
			expect(Object.keys(kinds)).toHaveLength(MENTION_NOTIFY_MAX);
			expect(kinds[crowd.at(-1)!.handle]).toBeUndefined();
		});

		it('an edit that mentions someone new tells them, and nobody twice', async () => {
			const ada = await person('Ada');
			const { id } = await newIdea(ada);
			const bob = await person('Bob');
			const dee = await person('Dee');
			const commentId = await comment(bob, id, 'Nice');
			expect(await notified(commentId)).toEqual({ [ada.handle]: 'comment' });
			const edit = (body: string) =>
				editComment(db(), bob, { postId: id, commentId, body }).then((r) => r.ok);
			expect(await edit(`Nice, @${dee.handle} @${ada.handle} @${bob.handle}`)).toBe(true);
			expect(await notified(commentId)).toEqual({
				[ada.handle]: 'comment',
				[dee.handle]: 'mention'
			});
			expect(await edit(`Nice! @${dee.handle}`)).toBe(true);
			expect(await edit(`Nice!! @${dee.handle} @${ada.handle}`)).toBe(true);
			expect(await notified(commentId)).toEqual({
				[ada.handle]: 'comment',
				[dee.handle]: 'mention'
			});
		});

		it('refused comments notify nobody', async () => {
			const ada = await person('Ada');
			const { id } = await newIdea(ada);
			const bob = await person('Bob');
			const before = await unreadCount(db(), ada.id);
			expect((await postComment(db(), bob, { postId: id, body: ' ' })).ok).toBe(false);
			expect(await unreadCount(db(), ada.id)).toBe(before);
		});

		it('are shaped for a mailer: recipient, kind, idea, comment, actor, not yet emailed', async () => {
			const ada = await person('Ada');
			const { id } = await newIdea(ada);
			const bob = await person('Bob');
			const commentId = await comment(bob, id, 'Hi');
			const row = await db()
				.selectFrom('notification')
				.selectAll()
				.where('comment_id', '=', commentId)
				.executeTakeFirstOrThrow();
			expect(row).toMatchObject({
				user_id: ada.id,
				kind: 'comment',
				post_id: id,
				comment_id: commentId,
				actor_id: bob.id,
				read_at: null,
				emailed_at: null
			});
		});
	});

	describe('the inbox', () => {
		it('lists newest first with what happened, counts unread, and says when a comment was deleted', async () => {
			const ada = await person('Ada Lovelace');
			const { id, path } = await newIdea(ada, 'Dark mode');
			const bob = await person('Bob Byte');
			const first = await comment(bob, id, 'Plain comment');
			const second = await comment(bob, id, `Hey @${ada.handle}`);
			const own = await comment(ada, id, 'Mine');
			const third = await comment(bob, id, 'A reply', own);

			expect(await unreadCount(db(), ada.id)).toBe(3);
			// The header's badge is read with the session (one statement per page less).
			const token = generateSessionToken();
			await createSession(db(), token, ada.id);
			expect((await validateSessionToken(db(), token)).unreadNotifications).toBe(3);
			const { items, olderBefore } = await listNotifications(db(), ada.id);
			expect(olderBefore).toBeNull();
			expect(items.map((n) => [n.kind, n.summary, n.read])).toEqual([
				['reply', 'Bob Byte replied to your comment on “Dark mode”', false],
				['mention', 'Bob Byte mentioned you in a comment on “Dark mode”', false],
				['comment', 'Bob Byte commented on “Dark mode”', false]
			]);
			expect(items[0]).toMatchObject({
				actor: { handle: bob.handle, displayName: 'Bob Byte' },
				post: { id, title: 'Dark mode' },
				commentDeleted: false
			});

			await deleteComment(db(), bob, { postId: id, commentId: second });
			const afterDelete = await listNotifications(db(), ada.id);
			expect(afterDelete.items.map((n) => n.commentDeleted)).toEqual([false, true, false]);
			expect(await unreadCount(db(), ada.id)).toBe(3);

			// Opening one marks it read and points at the comment on the idea page.
			const reply = afterDelete.items[0]!;
			expect(await openNotification(db(), ada.id, reply.id)).toBe(`${path}#comment-${third}`);
			expect(await unreadCount(db(), ada.id)).toBe(2);
			expect((await listNotifications(db(), ada.id)).items.map((n) => n.read)).toEqual([
				true,
				false,
				false
			]);
			expect(first).toBeLessThan(third);
		});

		it('marks one or all read, only ever the person’s own', async () => {
			const ada = await person('Ada');
			const bob = await person('Bob');
			const cy = await person('Cy');
			const { id } = await newIdea(ada);
			await castVote(db(), cy, { postId: id });
			await comment(bob, id, 'One');
			await comment(bob, id, 'Two');
			const [newest, older] = (await listNotifications(db(), ada.id)).items;
			const cyBefore = await unreadCount(db(), cy.id);
			expect(cyBefore).toBe(2);

			// Someone else's notification: nothing happens.
			expect(await markRead(db(), cy.id, newest!.id)).toBe(false);
			expect(await openNotification(db(), cy.id, newest!.id)).toBeNull();
			expect(await unreadCount(db(), ada.id)).toBe(2);

			expect(await markRead(db(), ada.id, older!.id)).toBe(true);
			expect(await markRead(db(), ada.id, older!.id)).toBe(false);
			expect(await unreadCount(db(), ada.id)).toBe(1);
			expect(await markAllRead(db(), ada.id)).toBe(1);
			expect(await unreadCount(db(), ada.id)).toBe(0);
			expect(await unreadCount(db(), cy.id)).toBe(cyBefore);
		});

		it('pages back through older notifications', async () => {
			const ada = await person('Ada');
			const bob = await person('Bob');
			const { id } = await newIdea(ada);
			for (let i = 0; i < 5; i++) {
				await comment(bob, id, `Comment ${i}`);
			}
			const first = await listNotifications(db(), ada.id, { limit: 2 });
			expect(first.items).toHaveLength(2);
			const second = await listNotifications(db(), ada.id, { limit: 2, before: first.olderBefore });
			const third = await listNotifications(db(), ada.id, { limit: 2, before: second.olderBefore });
			expect(third.olderBefore).toBeNull();
			const ids = [...first.items, ...second.items, ...third.items].map((n) => n.id);
			expect(ids).toHaveLength(5);
			expect(ids).toEqual([...ids].sort((a, b) => b - a));
		});

		it('keeps notifications about a deleted idea, with nothing to open', async () => {
			const ada = await person('Ada');
			const bob = await person('Bob');
			const { id } = await newIdea(bob);
			await comment(ada, id, 'Following along');
			await comment(bob, id, 'Thanks');
			await deleteIdea(db(), bob, id);
			const [item] = (await listNotifications(db(), ada.id)).items;
			expect(item).toMatchObject({ post: null, summary: 'Bob commented on a deleted idea' });
			expect(await openNotification(db(), ada.id, item!.id)).toBeNull();
		});
	});
});
