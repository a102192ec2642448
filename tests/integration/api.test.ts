// The public API on both databases, through its router with no server in between. Every answer
// is checked against the OpenAPI document by the api helper (status documented, body matching).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db, DatabaseHandle } from '$lib/server/db';
import { postIdea } from '$lib/server/ideas';
import { postComment } from '$lib/server/comments';
import { postInternalNote } from '$lib/server/triage';
import { saveCategory } from '$lib/server/discussions';
import { writeReview } from '$lib/server/reviews';
import { listApiTokens, revokeApiToken } from '$lib/server/api/tokens';
import { saveSiteSettings, DEFAULT_SETTINGS } from '$lib/server/moderation/settings';
import type { UserActor } from '$lib/server/policy';
import { createProduct, createTag, createUser } from '../helpers/factories';
import { backends, createTestDatabase } from '../helpers/test-db';
import { apiCaller, tokenFor } from '../helpers/api';

// Domain code that reaches for the app's database (notifications, mail) gets the test one.
const app = vi.hoisted(() => ({
	db: undefined as Db | undefined,
	handle: undefined as DatabaseHandle | undefined
}));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => app.db!,
	getDatabase: () => app.handle!
}));

describe.each(backends)('the API on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = () => handle.db;
	const h = () => handle;
	let admin: UserActor;
	let member: UserActor;
	let staff: UserActor;
	let product: { id: number; slug: string; name: string };
	let categoryId: number;
	let memberToken: string;

	beforeAll(async () => {
		handle = await createTestDatabase(backend);
		app.db = handle.db;
		app.handle = handle;
		admin = await createUser(db(), { role: 'admin' });
		staff = await createUser(db(), { role: 'staff' });
		member = await createUser(db(), { displayName: 'Mia Member' });
		product = await createProduct(db(), { name: 'Analytics' });
		const category = await saveCategory(db(), admin, {
			name: 'General',
			slug: `general-${backend}`,
			description: '',
			product: null,
			position: 0
		});
		if (!category.ok) {
			throw new Error('category');
		}
		categoryId = category.category.id;
		memberToken = await tokenFor(h, member, ['read', 'write']);
	});
	afterAll(async () => {
		app.db = undefined;
		app.handle = undefined;
		await handle?.close();
	});

	async function idea(title: string, author?: UserActor, productId = product.id) {
		const by = author ?? (await createUser(db()));
		const result = await postIdea(db(), by, {
			title,
			body: `All about ${title}.`,
			product: productId,
			tags: []
		});
		if (!result.ok) {
			throw new Error('idea');
		}
		return result.id;
	}

	describe('tokens', () => {
		it('authenticate as their owner, list last use, and stop working once revoked', async () => {
			const api = apiCaller(h, { token: memberToken });
			const me = await api.op('getMe');
			expect(me.status).toBe(200);
			expect(me.body.data).toMatchObject({
				handle: member.handle,
				role: 'member',
				scopes: ['read', 'write']
			});
			expect(me.headers.get('RateLimit-Limit')).toBe('10000');
			const listed = await listApiTokens(db(), member);
			const mine = listed.find((t) => memberToken.startsWith(t.prefix))!;
			expect(mine.prefix).toMatch(/^rt_[a-z2-7]{7}$/);
			expect(mine.lastUsedAt).not.toBeNull();
			// Only the hash is stored: the token itself is nowhere in the table.
			const rows = await db().selectFrom('api_token').selectAll().execute();
			expect(JSON.stringify(rows)).not.toContain(memberToken);

			const other = await tokenFor(h, member, ['read']);
			const id = (await listApiTokens(db(), member)).find((t) => other.startsWith(t.prefix))!.id;
			expect(await revokeApiToken(db(), staff, id)).toBe(false);
			expect(await revokeApiToken(db(), member, id)).toBe(true);
			const revoked = await apiCaller(h, { token: other }).op('getMe');
			expect(revoked.status).toBe(401);
			expect(revoked.body.error.code).toBe('invalid_token');
			expect(revoked.headers.get('WWW-Authenticate')).toContain('invalid_token');
		});

		it('refuse an expired token, a malformed header and an unknown token alike', async () => {
			const expired = await tokenFor(h, member, ['read'], '7');
			await db()
				.updateTable('api_token')
				.set({ expires_at: new Date(Date.now() - 1000) })
				.where('token_prefix', '=', expired.slice(0, 10))
				.execute();
			expect((await apiCaller(h, { token: expired }).op('getMe')).status).toBe(401);
			const bad = await apiCaller(h).op('getMe', { headers: { authorization: 'Token abc' } });
			expect(bad.status).toBe(401);
			const unknown = await apiCaller(h, { token: `rt_${'a'.repeat(32)}` }).op('listIdeas');
			expect(unknown.status).toBe(401);
		});

		it('need the scope of the operation: read for reads, write for writes, staff for staff', async () => {
			const readOnly = apiCaller(h, { token: await tokenFor(h, member, ['read']) });
			const write = await readOnly.op('createIdea', {
				body: { title: 'Read-only tokens cannot post', body: 'x', product: product.id }
			});
			expect(write.status).toBe(403);
			expect(write.body.error.code).toBe('insufficient_scope');

			const writeOnly = apiCaller(h, { token: await tokenFor(h, member, ['write']) });
			expect((await writeOnly.op('listIdeas')).body.error.code).toBe('insufficient_scope');

			const memberStaffScope = await apiCaller(h, { token: memberToken }).op('listCompanies');
			expect(memberStaffScope.status).toBe(403);
			expect(memberStaffScope.body.error.code).toBe('insufficient_scope');
		});

		it('cannot give the staff scope to a member, and staff scope still needs a staff role', async () => {
			await expect(tokenFor(h, member, ['read', 'staff'])).rejects.toThrow(/invalid/);
			const moderator = await createUser(db(), { role: 'staff' });
			const token = await tokenFor(h, moderator, ['read', 'staff']);
			// Demoted after the token was made: the role decides, read on every request.
			await db()
				.updateTable('app_user')
				.set({ role: 'member' })
				.where('id', '=', moderator.id)
				.execute();
			const answer = await apiCaller(h, { token }).op('listCompanies');
			expect(answer.status).toBe(403);
			expect(answer.body.error.code).toBe('forbidden');
		});

		it('are rate limited per token with RateLimit headers and a 429 with Retry-After', async () => {
			const token = await tokenFor(h, member, ['read']);
			const api = apiCaller(h, { token }, 3);
			const first = await api.op('listStatuses');
			expect(first.headers.get('RateLimit-Limit')).toBe('3');
			expect(first.headers.get('RateLimit-Remaining')).toBe('2');
			await api.op('listStatuses');
			await api.op('listStatuses');
			const limited = await api.op('listStatuses');
			expect(limited.status).toBe(429);
			expect(limited.body.error.code).toBe('rate_limited');
			const retry = Number(limited.headers.get('Retry-After'));
			expect(retry).toBeGreaterThanOrEqual(1);
			expect(retry).toBeLessThanOrEqual(60);
			expect(limited.headers.get('RateLimit-Remaining')).toBe('0');
			// Another token of the same person has its own allowance.
			const other = apiCaller(h, { token: await tokenFor(h, member, ['read']) }, 3);
			expect((await other.op('listStatuses')).status).toBe(200);
		});
	});

	describe('cookies', () => {
		it('let a browser session read but never write: writes need a bearer token', async () => {
			const session = apiCaller(h, { session: member });
			const me = await session.op('getMe');
			expect(me.status).toBe(200);
			expect(me.body.data.scopes).toEqual(['read']);
			const write = await session.op('createIdea', {
				body: { title: 'Forged from another site', body: 'x', product: product.id }
			});
			expect(write.status).toBe(401);
			expect(write.body.error.code).toBe('unauthorized');
			expect((await apiCaller(h).op('getMe')).status).toBe(401);
		});
	});

	describe('ideas', () => {
		it('are listed, created and voted on with a write token, as on the site', async () => {
			const api = apiCaller(h, { token: memberToken });
			const tag = await createTag(db(), { name: 'Charts' });
			const created = await api.op('createIdea', {
				body: {
					title: 'Stacked bar charts',
					body: 'Compare **segments**.',
					product: product.id,
					tags: [tag.id]
				}
			});
			expect(created.status).toBe(201);
			const id = created.body.data.id;
			expect(created.body.data).toEqual({
				id,
				url: `/ideas/${id}-stacked-bar-charts`,
				visibility: 'visible'
			});
			const got = await api.op('getIdea', { params: { id } });
			expect(got.body.data).toMatchObject({
				title: 'Stacked bar charts',
				body_html: expect.stringContaining('<strong>segments</strong>'),
				tags: [{ name: 'Charts', slug: tag.slug }],
				vote_count: 1,
				status: { name: 'Open', category: 'open' },
				viewer: { voted: true, importance: null, can_vote: true }
			});

			const voter = apiCaller(h, { token: await tokenFor(h, await createUser(db())) });
			const voted = await voter.op('voteForIdea', {
				params: { id },
				body: { importance: 'critical' }
			});
			expect(voted.body.data).toEqual({ voted: true, changed: true, vote_count: 2 });
			const again = await voter.op('voteForIdea', { params: { id } });
			expect(again.body.data).toEqual({ voted: true, changed: false, vote_count: 2 });
			const unvoted = await voter.op('removeVote', { params: { id } });
			expect(unvoted.body.data).toEqual({ voted: false, changed: true, vote_count: 1 });

			const list = await apiCaller(h).op('listIdeas', {
				query: { product: product.slug, sort: 'newest' }
			});
			expect(list.body.data[0]).toMatchObject({ id, title: 'Stacked bar charts', vote_count: 1 });
		});

		it('refuse bad input with a message per field, changing nothing', async () => {
			const api = apiCaller(h, { token: memberToken });
			const before = await db()
				.selectFrom('post')
				.select(db().fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			const bad = await api.op('createIdea', { body: { title: 'ab', body: '', product: 'x' } });
			expect(bad.status).toBe(400);
			expect(bad.body.error.code).toBe('invalid_request');
			expect(Object.keys(bad.body.error.fields).sort()).toEqual(['body', 'product', 'title']);
			expect(bad.body.error.fields.title).toBe('Use at least 4 characters for the title.');
			const unknownProduct = await api.op('createIdea', {
				body: { title: 'A real title', body: 'Text.', product: 999_999 }
			});
			expect(unknownProduct.status).toBe(422);
			expect(unknownProduct.body.error.fields).toEqual({ product: 'Choose one of the products.' });
			const notJson = await api.raw('POST', '/api/v1/ideas', {
				headers: { 'content-type': 'text/plain' },
				body: 'title=x'
			});
			expect(notJson.status).toBe(415);
			const brokenJson = await api.raw('POST', '/api/v1/ideas', {
				headers: { 'content-type': 'application/json' },
				body: '{"title":'
			});
			expect(brokenJson.status).toBe(400);
			const badQuery = await api.op('listIdeas', { query: { sort: 'loudest', limit: 500 } });
			expect(badQuery.status).toBe(400);
			expect(Object.keys(badQuery.body.error.fields).sort()).toEqual(['limit', 'sort']);
			const unknownFilter = await api.op('listIdeas', { query: { tag: 'no-such-tag' } });
			expect(unknownFilter.status).toBe(422);
			expect(unknownFilter.body.error.fields.tag).toContain('no-such-tag');
			const after = await db()
				.selectFrom('post')
				.select(db().fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			expect(after.n).toBe(before.n);
		});

		it('page with a cursor that is stable under inserts', async () => {
			const own = await createProduct(db(), { name: 'Paging' });
			const ids: number[] = [];
			for (let i = 1; i <= 5; i++) {
				ids.push(await idea(`Paging idea number ${i}`, undefined, own.id));
			}
			const api = apiCaller(h);
			const first = await api.op('listIdeas', {
				query: { product: own.slug, sort: 'newest', limit: 2 }
			});
			expect(first.body.data.map((i: { id: number }) => i.id)).toEqual([ids[4], ids[3]]);
			// Two ideas arrive between the pages: the next page carries on where the first stopped.
			await idea('Paging idea arriving late', undefined, own.id);
			await idea('Paging idea arriving later', undefined, own.id);
			const second = await api.op('listIdeas', {
				query: { product: own.slug, sort: 'newest', limit: 2, cursor: first.body.next_cursor }
			});
			expect(second.body.data.map((i: { id: number }) => i.id)).toEqual([ids[2], ids[1]]);
			const third = await api.op('listIdeas', {
				query: { product: own.slug, sort: 'newest', limit: 2, cursor: second.body.next_cursor }
			});
			expect(third.body.data.map((i: { id: number }) => i.id)).toEqual([ids[0]]);
			expect(third.body.next_cursor).toBeNull();
			const tampered = await api.op('listIdeas', {
				query: { product: own.slug, sort: 'top', cursor: first.body.next_cursor }
			});
			expect(tampered.status).toBe(400);
			expect(tampered.body.error.fields).toHaveProperty('cursor');
		});

		it('search, and find similar ideas, over public ideas only', async () => {
			const own = await createProduct(db(), { name: 'Searching' });
			await idea('Quarterly zeppelin report', undefined, own.id);
			const hidden = await idea('Zeppelin secret hangar', undefined, own.id);
			await db()
				.updateTable('post')
				.set({ visibility: 'hidden' })
				.where('id', '=', hidden)
				.execute();
			const api = apiCaller(h);
			const found = await api.op('searchIdeas', { query: { q: 'zeppelin', product: own.slug } });
			expect(found.body.data.map((i: { title: string }) => i.title)).toEqual([
				'Quarterly zeppelin report'
			]);
			expect(found.body.data[0].title_html).toBe('Quarterly <mark>zeppelin</mark> report');
			expect((await api.op('searchIdeas', { query: { q: '' } })).status).toBe(400);
			const similar = await api.op('findSimilarIdeas', { query: { title: 'zeppelin report' } });
			expect(similar.body.data.map((i: { title: string }) => i.title)).toContain(
				'Quarterly zeppelin report'
			);
			expect(JSON.stringify(similar.body)).not.toContain('hangar');
		});

		it('never show a hidden idea but to its author, nor internal notes to anyone', async () => {
			const author = await createUser(db());
			const id = await idea('Hidden by a moderator', author);
			await db()
				.updateTable('post')
				.set({ visibility: 'hidden', hidden_reason: 'spam' })
				.where('id', '=', id)
				.execute();
			expect(
				(await apiCaller(h, { token: memberToken }).op('getIdea', { params: { id } })).status
			).toBe(404);
			expect((await apiCaller(h).op('getIdea', { params: { id } })).status).toBe(404);
			const own = await apiCaller(h, { token: await tokenFor(h, author) }).op('getIdea', {
				params: { id }
			});
			expect(own.body.data.visibility).toBe('hidden');
			const list = await apiCaller(h).op('listIdeas', {
				query: { product: product.slug, limit: 100 }
			});
			expect(list.body.data.map((i: { id: number }) => i.id)).not.toContain(id);

			const open = await idea('Has a staff note');
			const note = await postInternalNote(db(), staff, {
				postId: open,
				body: 'Globex pays for this: SECRET-NOTE'
			});
			expect(note.ok).toBe(true);
			await postComment(db(), member, { postId: open, body: 'Public words' });
			for (const caller of [
				apiCaller(h),
				apiCaller(h, { token: memberToken }),
				apiCaller(h, { token: await tokenFor(h, staff, ['read', 'staff']) })
			]) {
				const comments = await caller.op('listIdeaComments', { params: { id: open } });
				expect(comments.body.data.map((c: { body_html: string }) => c.body_html)).toEqual([
					'<p>Public words</p>\n'
				]);
				const detail = await caller.op('getIdea', { params: { id: open } });
				expect(JSON.stringify(detail.body)).not.toContain('SECRET-NOTE');
			}
			expect((await apiCaller(h).op('getIdea', { params: { id: 'abc' } })).status).toBe(404);
		});

		it('refuse a suspended member’s writes, and hold new members to the posting limits', async () => {
			const suspended = await createUser(db());
			const token = await tokenFor(h, suspended);
			await db()
				.updateTable('app_user')
				.set({ suspended_until: new Date(Date.now() + 86_400_000), suspension_reason: 'Spam' })
				.where('id', '=', suspended.id)
				.execute();
			const api = apiCaller(h, { token });
			const target = await idea('A suspended member may still read this');
			const vote = await api.op('voteForIdea', { params: { id: target } });
			expect(vote.status).toBe(403);
			expect(vote.body.error.code).toBe('suspended');
			expect(
				(await api.op('createIdeaComment', { params: { id: target }, body: { body: 'Hi' } })).status
			).toBe(403);
			expect((await api.op('getIdea', { params: { id: target } })).status).toBe(200);

			// A new member posts 3 times a minute (DEFAULT_SETTINGS.newMemberPostsPerMinute).
			const fresh = apiCaller(h, { token: await tokenFor(h, await createUser(db())) });
			for (let i = 1; i <= 3; i++) {
				const ok = await fresh.op('createIdeaComment', {
					params: { id: target },
					body: { body: `Comment ${i}` }
				});
				expect(ok.status).toBe(201);
			}
			const fourth = await fresh.op('createIdeaComment', {
				params: { id: target },
				body: { body: 'Comment 4' }
			});
			expect(fourth.status).toBe(429);
			expect(Number(fourth.headers.get('Retry-After'))).toBeGreaterThan(0);
			const comments = await apiCaller(h).op('listIdeaComments', {
				params: { id: target },
				query: { limit: 2 }
			});
			expect(comments.body.data.map((c: { body_html: string }) => c.body_html)).toEqual([
				'<p>Comment 1</p>\n',
				'<p>Comment 2</p>\n'
			]);
			const rest = await apiCaller(h).op('listIdeaComments', {
				params: { id: target },
				query: { limit: 2, cursor: comments.body.next_cursor }
			});
			expect(rest.body.data.map((c: { body_html: string }) => c.body_html)).toEqual([
				'<p>Comment 3</p>\n'
			]);
			expect(rest.body.next_cursor).toBeNull();
		});

		it('let a reply name its parent, and refuse a parent that is not in the idea', async () => {
			const target = await idea('Replies in the API');
			const api = apiCaller(h, { token: await tokenFor(h, staff, ['read', 'write']) });
			const first = await api.op('createIdeaComment', {
				params: { id: target },
				body: { body: 'Thread start' }
			});
			const reply = await api.op('createIdeaComment', {
				params: { id: target },
				body: { body: 'A reply', parent_id: first.body.data.id }
			});
			expect(reply.status).toBe(201);
			const listed = await api.op('listIdeaComments', { params: { id: target } });
			expect(listed.body.data.map((c: { parent_id: number | null }) => c.parent_id)).toEqual([
				null,
				first.body.data.id
			]);
			expect(listed.body.data[0].official).toBe(true);
			const wrong = await api.op('createIdeaComment', {
				params: { id: target },
				body: { body: 'Lost', parent_id: 999_999 }
			});
			expect(wrong.status).toBe(422);
			expect(wrong.body.error.fields).toHaveProperty('parent_id');
		});
	});

	describe('staff operations', () => {
		it('change an idea’s status through the same rules as the idea page', async () => {
			const id = await idea('Ship the status API');
			const token = await tokenFor(h, staff, ['read', 'staff']);
			const api = apiCaller(h, { token });
			const statuses = await api.op('listStatuses');
			const planned = statuses.body.data.find((s: { slug: string }) => s.slug === 'planned');
			const moved = await api.op('changeIdeaStatus', {
				params: { id },
				body: { status: planned.id, message: 'Coming in **May**.' }
			});
			expect(moved.status).toBe(200);
			expect(moved.body.data.status.slug).toBe('planned');
			expect(moved.body.data.status_history.at(-1)).toMatchObject({
				to: planned.name,
				message_html: expect.stringContaining('<strong>May</strong>')
			});
			const same = await api.op('changeIdeaStatus', {
				params: { id },
				body: { status: planned.id }
			});
			expect(same.status).toBe(409);
			const unknown = await api.op('changeIdeaStatus', {
				params: { id },
				body: { status: 999_999 }
			});
			expect(unknown.status).toBe(422);
			expect(unknown.body.error.fields).toHaveProperty('status');
			const missing = await api.op('changeIdeaStatus', {
				params: { id: 999_999 },
				body: { status: planned.id }
			});
			expect(missing.status).toBe(404);
		});

		it('list companies with the tier from the admins’ thresholds', async () => {
			for (const [slug, mrr] of [
				[`big-${backend}`, 5_000],
				[`small-${backend}`, 100]
			] as const) {
				await db().insertInto('company').values({ name: slug, slug, mrr }).execute();
			}
			// Platinum from 4,000 a month: the 5,000 company is platinum, not gold as by default.
			await saveSiteSettings(db(), admin, {
				...DEFAULT_SETTINGS,
				tierPlatinum: 4_000,
				tierGold: 1_000,
				tierIron: 200
			});
			const api = apiCaller(h, { token: await tokenFor(h, staff, ['read', 'staff']) });
			const page = await api.op('listCompanies', { query: { limit: 1 } });
			expect(page.body.data).toHaveLength(1);
			const all = [...page.body.data];
			const next = await api.op('listCompanies', { query: { cursor: page.body.next_cursor } });
			all.push(...next.body.data);
			expect(all.find((c) => c.slug === `big-${backend}`).tier).toBe('platinum');
			expect(all.find((c) => c.slug === `small-${backend}`).tier).toBe('lead');
		});
	});

	describe('products and reviews', () => {
		it('list products and a product’s reviews, hiding held reviews from members', async () => {
			const own = await createProduct(db(), { name: 'Reviewed' });
			const reviewers = await Promise.all([createUser(db()), createUser(db()), createUser(db())]);
			const ids: number[] = [];
			for (const [i, reviewer] of reviewers.entries()) {
				const written = await writeReview(db(), reviewer, own.id, {
					rating: (3 + i) as 3 | 4 | 5,
					title: `Review ${i}`,
					body: 'A long enough review body for the minimum length.',
					review: null
				});
				if (!written.ok) {
					throw new Error('review');
				}
				ids.push(written.id);
			}
			await db()
				.updateTable('post')
				.set({ visibility: 'pending' })
				.where('id', '=', ids[0]!)
				.execute();
			const api = apiCaller(h);
			const products = await api.op('listProducts', { query: { limit: 100 } });
			expect(products.body.data.map((p: { slug: string }) => p.slug)).toContain(own.slug);
			const detail = await api.op('getProduct', { params: { slug: own.slug } });
			// Visible reviews rate 4 and 5: (4 + 5) / 2 = 4.5.
			expect(detail.body.data.rating).toMatchObject({ count: 2, average: 4.5 });
			const page = await api.op('listProductReviews', {
				params: { slug: own.slug },
				query: { limit: 1 }
			});
			expect(page.body.data.map((r: { id: number }) => r.id)).toEqual([ids[2]]);
			const rest = await api.op('listProductReviews', {
				params: { slug: own.slug },
				query: { limit: 1, cursor: page.body.next_cursor }
			});
			expect(rest.body.data.map((r: { id: number }) => r.id)).toEqual([ids[1]]);
			expect(rest.body.next_cursor).toBeNull();
			expect((await api.op('getReview', { params: { id: ids[0]! } })).status).toBe(404);
			expect((await api.op('getReview', { params: { id: ids[1]! } })).body.data).toMatchObject({
				rating: 4,
				product: { slug: own.slug }
			});
			expect((await api.op('getProduct', { params: { slug: 'no-such-product' } })).status).toBe(
				404
			);
		});
	});

	describe('discussions', () => {
		it('start threads, reply, and list both with cursors', async () => {
			const api = apiCaller(h, { token: await tokenFor(h, staff, ['read', 'write']) });
			const bad = await api.op('createDiscussion', {
				body: {
					title: 'Hi',
					body: '',
					category: categoryId,
					poll: { question: 'Which?', options: ['One'] }
				}
			});
			expect(bad.status).toBe(400);
			expect(Object.keys(bad.body.error.fields).sort()).toEqual(['body', 'poll.options', 'title']);
			const started = await api.op('createDiscussion', {
				body: {
					title: 'How do you export?',
					body: 'Tell me.',
					category: categoryId,
					question: true
				}
			});
			expect(started.status).toBe(201);
			const id = started.body.data.id;
			for (const body of ['First answer', 'Second answer']) {
				expect(
					(await api.op('createDiscussionReply', { params: { id }, body: { body } })).status
				).toBe(201);
			}
			const thread = await api.op('getDiscussion', { params: { id } });
			expect(thread.body.data).toMatchObject({ title: 'How do you export?', is_question: true });
			const replies = await api.op('listDiscussionReplies', {
				params: { id },
				query: { limit: 1 }
			});
			expect(replies.body.data.map((r: { body_html: string }) => r.body_html)).toEqual([
				'<p>First answer</p>\n'
			]);
			const more = await api.op('listDiscussionReplies', {
				params: { id },
				query: { limit: 1, cursor: replies.body.next_cursor }
			});
			expect(more.body.data.map((r: { body_html: string }) => r.body_html)).toEqual([
				'<p>Second answer</p>\n'
			]);
			const threads = await api.op('listDiscussions', {
				query: { category: `general-${backend}` }
			});
			expect(threads.body.data[0]).toMatchObject({ id, reply_count: 2 });
			const unknown = await api.op('listDiscussions', { query: { category: 'nope' } });
			expect(unknown.status).toBe(422);

			await db()
				.updateTable('discussion')
				.set({ locked_at: new Date() })
				.where('post_id', '=', id)
				.execute();
			const locked = await api.op('createDiscussionReply', {
				params: { id },
				body: { body: 'Too late' }
			});
			expect(locked.status).toBe(409);
		});
	});

	describe('the router', () => {
		it('answers unknown paths and wrong methods in the one error shape', async () => {
			const api = apiCaller(h);
			const missing = await api.raw('GET', '/api/v1/nothing-here');
			expect(missing.status).toBe(404);
			const wrong = await api.raw('PATCH', '/api/v1/ideas');
			expect(wrong.status).toBe(405);
			expect(wrong.headers.get('Allow')).toContain('GET');
		});

		it('serves the OpenAPI document to anyone, unmetered', async () => {
			const doc = await apiCaller(h).op('getOpenApiDocument');
			expect(doc.status).toBe(200);
			expect(doc.body.openapi).toBe('3.1.0');
			expect(doc.headers.get('RateLimit-Limit')).toBeNull();
		});
	});
});
