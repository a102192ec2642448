// Reviews on both databases: writing and re-writing (versions kept, one live review per member
// and product), bad input refused with nothing stored (domain and page actions), helpful votes,
// the official reply, "tracked in" and the follow-up when the idea ships, the verified badge,
// and aggregates that are exact under concurrent writes and drop hidden or deleted reviews.
import { isActionFailure, isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle, Db } from '$lib/server/db/index';
import { postIdea } from '$lib/server/ideas';
import { changeIdeaStatus } from '$lib/server/ideas/status';
import { listNotifications, openNotification } from '$lib/server/notifications';
import type { Actor, UserActor } from '$lib/server/policy';
import {
	replyToReview,
	setHelpful,
	trackReview,
	writeReview,
	type ReviewInput
} from '$lib/server/reviews';
import { notifyReviewersIdeaShipped } from '$lib/server/reviews/followup';
import {
	findOwnReview,
	getReviewDetail,
	listReviews,
	rankProducts,
	ratingSummary
} from '$lib/server/reviews/queries';
import { createProduct, createUser, setIdeaStatus } from '../helpers/factories';
import { backends, createTestDatabase } from '../helpers/test-db';
import {
	actions as productActions,
	load as productLoad
} from '../../src/routes/products/[slug]/+page.server';
import { actions as reviewActions } from '../../src/routes/reviews/[id]/+page.server';

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

let batch = 0;

const BODY = 'Solid dashboards, the weekly digest saves me an hour every Monday.';

function input(rating: number, over: Partial<ReviewInput> = {}): ReviewInput {
	return {
		rating: rating as ReviewInput['rating'],
		title: `Rated ${rating}`,
		body: BODY,
		review: null,
		...over
	};
}

type Outcome =
	| { kind: 'failure'; status: number; data: unknown }
	| { kind: 'redirect'; status: number; location: string }
	| { kind: 'error'; status: number; message: string }
	| { kind: 'returned'; value: unknown };

async function runAction(
	action: (event: RequestEvent) => unknown,
	actor: Actor,
	path: string,
	params: Record<string, string>,
	fields: Record<string, string>
): Promise<Outcome> {
	const url = new URL(`http://localhost${path}`);
	const event = {
		locals: { actor },
		params,
		url,
		request: new Request(url, { method: 'POST', body: new URLSearchParams(fields) })
	} as unknown as RequestEvent;
	try {
		const value = await action(event);
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

describe.each(backends)('reviews on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = () => handle.db;

	beforeAll(async () => {
		// A pool of 20 so concurrent writes really run side by side on PostgreSQL; PGlite is one
		// connection and queues them by design.
		handle = await createTestDatabase(backend, 20);
		app.db = handle.db;
		app.handle = handle;
	});
	afterAll(async () => {
		app.db = undefined;
		app.handle = undefined;
		await handle?.close();
	});

	async function createMembers(n: number): Promise<UserActor[]> {
		const prefix = `r${(batch++).toString(36)}${Date.now().toString(36)}`;
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

	async function review(actor: UserActor, productId: number, rating: number, over = {}) {
		const result = await writeReview(db(), actor, productId, input(rating, over));
		if (!result.ok) {
			throw new Error(`review refused: ${result.reason}`);
		}
		return result;
	}

	async function newIdea(productId: number, title = 'Export dashboards as PDF') {
		const author = await createUser(db());
		const result = await postIdea(db(), author, {
			title,
			body: 'Our board wants the monthly numbers on paper.',
			product: productId,
			tags: []
		});
		if (!result.ok) {
			throw new Error('could not post the idea');
		}
		return { id: result.id, title, path: result.path };
	}

	/** Everything stored about reviews of a product: rows, versions, ledger. */
	async function stored(productId: number) {
		const [posts, versions, ledger] = await Promise.all([
			db()
				.selectFrom('post')
				.select(sql<number>`count(*)`.as('n'))
				.where('kind', '=', 'review')
				.where('product_id', '=', productId)
				.executeTakeFirstOrThrow(),
			db()
				.selectFrom('review_version')
				.innerJoin('post', 'post.id', 'review_version.post_id')
				.select(sql<number>`count(*)`.as('n'))
				.where('post.product_id', '=', productId)
				.executeTakeFirstOrThrow(),
			db()
				.selectFrom('activity')
				.select(['kind', 'user_id', 'post_id', 'data'])
				.where('product_id', '=', productId)
				.where('kind', 'in', ['review_posted', 'review_updated'])
				.orderBy('id')
				.execute()
		]);
		return { posts: posts.n, versions: versions.n, ledger };
	}

	describe('writing and re-writing', () => {
		it('stores a review with its rating and the review_posted ledger row', async () => {
			const product = await createProduct(db());
			const [member] = await createMembers(1);
			const result = await review(member!, product.id, 4);
			expect(result).toMatchObject({ created: true, changed: true, path: `/reviews/${result.id}` });
			const summary = await ratingSummary(db(), product.id);
			expect(summary.count).toBe(1);
			expect(summary.average).toBe(4);
			expect(summary.distribution.find((d) => d.rating === 4)?.count).toBe(1);
			const { ledger } = await stored(product.id);
			expect(ledger).toEqual([
				{ kind: 'review_posted', user_id: member!.id, post_id: result.id, data: { rating: 4 } }
			]);
		});

		it('writing again edits the review and keeps the earlier version', async () => {
			const product = await createProduct(db());
			const [member] = await createMembers(1);
			const first = await review(member!, product.id, 2, { title: 'Slow at first' });
			const second = await review(member!, product.id, 5, {
				title: 'Fast after the update',
				body: 'The new query engine made every dashboard load in a second.',
				review: first.id
			});
			expect(second).toMatchObject({ id: first.id, created: false, changed: true });
			const own = await findOwnReview(db(), product.id, member!.id);
			expect(own).toMatchObject({ rating: 5, title: 'Fast after the update', version: 2 });
			expect(own!.editedAt).not.toBeNull();
			expect((await ratingSummary(db(), product.id)).average).toBe(5);

			const staff = await createUser(db(), { role: 'staff' });
			const detail = await getReviewDetail(db(), staff, first.id);
			expect(detail!.versions).toHaveLength(1);
			expect(detail!.versions[0]).toMatchObject({ version: 1, rating: 2, title: 'Slow at first' });
			// Members do not see earlier versions.
			expect((await getReviewDetail(db(), member!, first.id))!.versions).toEqual([]);

			const { ledger } = await stored(product.id);
			expect(ledger.map((e) => e.kind)).toEqual(['review_posted', 'review_updated']);
			expect(ledger[1]!.data).toEqual({ rating: 5, previousRating: 2, version: 2 });

			// The same text again changes nothing and records nothing.
			const again = await review(member!, product.id, 5, {
				title: 'Fast after the update',
				body: 'The new query engine made every dashboard load in a second.',
				review: first.id
			});
			expect(again).toMatchObject({ changed: false });
			expect(await stored(product.id)).toMatchObject({ posts: 1, versions: 1 });
		});

		it('refuses a second new review and an edit of someone else’s, storing nothing', async () => {
			const product = await createProduct(db());
			const [member, other] = await createMembers(2);
			const first = await review(member!, product.id, 3);
			expect(await writeReview(db(), member!, product.id, input(1))).toEqual({
				ok: false,
				reason: 'duplicate',
				existingId: first.id
			});
			expect(await writeReview(db(), other!, product.id, input(1, { review: first.id }))).toEqual({
				ok: false,
				reason: 'stale'
			});
			expect(await stored(product.id)).toMatchObject({ posts: 1, versions: 0 });
			expect((await stored(product.id)).ledger).toHaveLength(1);
			expect((await ratingSummary(db(), product.id)).average).toBe(3);
		});

		it('refuses visitors, suspended members and archived products', async () => {
			const product = await createProduct(db());
			const archived = await createProduct(db(), { archived: true });
			const [member] = await createMembers(1);
			const suspended = { ...member!, suspendedUntil: new Date(Date.now() + 60_000) };
			expect(await writeReview(db(), { kind: 'anonymous' }, product.id, input(4))).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await writeReview(db(), suspended, product.id, input(4))).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await writeReview(db(), member!, archived.id, input(4))).toEqual({
				ok: false,
				reason: 'archived'
			});
			expect(await writeReview(db(), member!, 99_999_999, input(4))).toEqual({
				ok: false,
				reason: 'not_found'
			});
			expect((await stored(product.id)).posts).toBe(0);
			expect((await stored(archived.id)).posts).toBe(0);
		});

		it('a deleted review frees the place for a new one', async () => {
			const product = await createProduct(db());
			const [member] = await createMembers(1);
			const first = await review(member!, product.id, 1);
			await db()
				.updateTable('post')
				.set({ deleted_at: new Date() })
				.where('id', '=', first.id)
				.execute();
			const second = await review(member!, product.id, 4);
			expect(second.id).not.toBe(first.id);
			// And the database itself refuses a second live review.
			await expect(
				db()
					.insertInto('post')
					.values({ kind: 'review', product_id: product.id, author_id: member!.id, title: 'Again' })
					.execute()
			).rejects.toThrow();
		});
	});

	describe('the review form action', () => {
		async function submit(actor: Actor, slug: string, fields: Record<string, string>) {
			return runAction(
				productActions.review as (event: RequestEvent) => unknown,
				actor,
				`/products/${slug}?/review`,
				{ slug },
				fields
			);
		}
		const valid = { rating: '4', title: 'Good tool', body: BODY };

		it('answers bad input with 400 and a message per field, storing nothing', async () => {
			const product = await createProduct(db());
			const [member] = await createMembers(1);
			for (const rating of ['0', '6', '4.5', 'five', '']) {
				const outcome = await submit(member!, product.slug, { ...valid, rating });
				expect(outcome).toMatchObject({
					kind: 'failure',
					status: 400,
					data: { reviewForm: { errors: { rating: 'Choose a rating from 1 to 5 stars.' } } }
				});
			}
			const short = await submit(member!, product.slug, { ...valid, body: 'Too short.' });
			expect(short).toMatchObject({
				kind: 'failure',
				status: 400,
				data: {
					reviewForm: { errors: { body: 'Write at least 20 characters about your experience.' } }
				}
			});
			expect((await stored(product.id)).posts).toBe(0);
		});

		it('publishes, then refuses a crafted second review with 409, then edits', async () => {
			const product = await createProduct(db());
			const [member] = await createMembers(1);
			expect(await submit(member!, product.slug, valid)).toMatchObject({
				kind: 'redirect',
				status: 303,
				location: `/products/${product.slug}?reviewed=1#your-review`
			});
			const second = await submit(member!, product.slug, { ...valid, rating: '1' });
			expect(second).toMatchObject({ kind: 'failure', status: 409 });
			expect(JSON.stringify(second)).toContain('You have already reviewed this product');
			expect(await stored(product.id)).toMatchObject({ posts: 1, versions: 0 });
			const own = await findOwnReview(db(), product.id, member!.id);
			expect(
				await submit(member!, product.slug, { ...valid, rating: '2', review: String(own!.id) })
			).toMatchObject({
				kind: 'redirect',
				location: `/products/${product.slug}?updated=1#your-review`
			});
			expect(await stored(product.id)).toMatchObject({ posts: 1, versions: 1 });
		});

		it('sends a visitor to sign in', async () => {
			const product = await createProduct(db());
			const outcome = await submit({ kind: 'anonymous' }, product.slug, valid);
			expect(outcome).toMatchObject({ kind: 'redirect', status: 303 });
			expect((outcome as { location: string }).location).toMatch(/^\/login\?next=/);
		});
	});

	describe('helpful votes', () => {
		it('toggles, counts, and writes helpful_received / helpful_withdrawn for the author', async () => {
			const product = await createProduct(db());
			const [author, reader] = await createMembers(2);
			const { id } = await review(author!, product.id, 5);
			expect(await setHelpful(db(), reader!, { reviewId: id, helpful: true })).toEqual({
				ok: true,
				changed: true
			});
			expect(await setHelpful(db(), reader!, { reviewId: id, helpful: true })).toEqual({
				ok: true,
				changed: false
			});
			let [view] = (
				await listReviews(db(), reader!, {
					productId: product.id,
					sort: 'helpful',
					stars: null,
					page: 1
				})
			).reviews;
			expect(view).toMatchObject({ helpfulCount: 1, helpfulByViewer: true });
			expect(await setHelpful(db(), reader!, { reviewId: id, helpful: false })).toEqual({
				ok: true,
				changed: true
			});
			[view] = (
				await listReviews(db(), reader!, {
					productId: product.id,
					sort: 'helpful',
					stars: null,
					page: 1
				})
			).reviews;
			expect(view).toMatchObject({ helpfulCount: 0, helpfulByViewer: false });
			const ledger = await db()
				.selectFrom('activity')
				.select(['kind', 'user_id', 'data'])
				.where('post_id', '=', id)
				.where('kind', 'like', 'helpful%')
				.orderBy('id')
				.execute();
			expect(ledger).toEqual([
				{ kind: 'helpful_received', user_id: author!.id, data: { voterId: reader!.id } },
				{ kind: 'helpful_withdrawn', user_id: author!.id, data: { voterId: reader!.id } }
			]);
		});

		it('refuses a vote on one’s own review (400 from the action) and on a hidden one', async () => {
			const product = await createProduct(db());
			const [author, reader] = await createMembers(2);
			const { id } = await review(author!, product.id, 5);
			expect(await setHelpful(db(), author!, { reviewId: id, helpful: true })).toEqual({
				ok: false,
				reason: 'own'
			});
			const outcome = await runAction(
				reviewActions.helpful as (event: RequestEvent) => unknown,
				author!,
				`/reviews/${id}?/helpful`,
				{ id: String(id) },
				{ helpful: '1' }
			);
			expect(outcome).toMatchObject({
				kind: 'failure',
				status: 400,
				data: { helpfulError: 'You cannot mark your own review helpful, so nothing was changed.' }
			});
			await db().updateTable('post').set({ visibility: 'hidden' }).where('id', '=', id).execute();
			expect(await setHelpful(db(), reader!, { reviewId: id, helpful: true })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			const votes = await db().selectFrom('vote').selectAll().where('post_id', '=', id).execute();
			expect(votes).toEqual([]);
		});

		it('the product page offers the button to others and visitors, not to the author', async () => {
			const product = await createProduct(db());
			const [author, reader] = await createMembers(2);
			await review(author!, product.id, 4);
			const load = async (actor: Actor) => {
				const url = new URL(`http://localhost/products/${product.slug}`);
				const data = (await productLoad({
					params: { slug: product.slug },
					url,
					locals: { actor }
				} as never)) as { reviews: { list: { canHelpful: boolean }[] } };
				return data.reviews.list.map((r) => r.canHelpful);
			};
			expect(await load(reader!)).toEqual([true]);
			expect(await load({ kind: 'anonymous' })).toEqual([true]);
			expect(await load(author!)).toEqual([false]);
		});

		it('the action goes back where the form says, on this site only', async () => {
			const product = await createProduct(db());
			const [author, reader] = await createMembers(2);
			const { id } = await review(author!, product.id, 4);
			const back = await runAction(
				reviewActions.helpful as (event: RequestEvent) => unknown,
				reader!,
				`/reviews/${id}?/helpful`,
				{ id: String(id) },
				{ helpful: '1', returnTo: `/products/${product.slug}#review-${id}` }
			);
			expect(back).toMatchObject({
				kind: 'redirect',
				location: `/products/${product.slug}#review-${id}`
			});
			const offsite = await runAction(
				reviewActions.helpful as (event: RequestEvent) => unknown,
				reader!,
				`/reviews/${id}?/helpful`,
				{ id: String(id) },
				{ helpful: '0', returnTo: '//evil.example/' }
			);
			expect(offsite).toMatchObject({ kind: 'redirect', location: `/reviews/${id}` });
		});
	});

	describe('the official reply', () => {
		it('staff reply once (again edits it); the reviewer is notified of the first', async () => {
			const product = await createProduct(db());
			const [author] = await createMembers(1);
			const staff = await createUser(db(), { role: 'staff', displayName: 'Sam Staff' });
			const { id } = await review(author!, product.id, 2, { title: 'Exports time out' });
			const first = await replyToReview(db(), staff, { reviewId: id, body: 'Thanks, **on it**.' });
			expect(first).toMatchObject({ ok: true, created: true });
			const second = await replyToReview(db(), staff, { reviewId: id, body: 'Fixed in 4.2.' });
			expect(second).toMatchObject({ ok: true, created: false });
			const comments = await db()
				.selectFrom('comment')
				.select(['body_source', 'is_official', 'edited_at'])
				.where('post_id', '=', id)
				.execute();
			expect(comments).toHaveLength(1);
			expect(comments[0]).toMatchObject({ body_source: 'Fixed in 4.2.', is_official: true });

			const { items } = await listNotifications(db(), author!.id);
			expect(items).toHaveLength(1);
			expect(items[0]).toMatchObject({
				kind: 'official_reply',
				summary: 'Sam Staff replied officially to your review “Exports time out”'
			});
			expect(await openNotification(db(), author!.id, items[0]!.id)).toBe(
				`/reviews/${id}#comment-${first.ok ? first.commentId : 0}`
			);
			const [view] = (
				await listReviews(db(), author!, {
					productId: product.id,
					sort: 'newest',
					stars: null,
					page: 1
				})
			).reviews;
			expect(view!.reply).toMatchObject({ author: { displayName: 'Sam Staff' } });
			expect(view!.reply!.bodyHtml).toContain('Fixed in 4.2.');
			const audit = await db()
				.selectFrom('audit_log')
				.select('action')
				.where('target_type', '=', 'review')
				.where('target_id', '=', String(id))
				.orderBy('id')
				.execute();
			expect(audit.map((a) => a.action)).toEqual(['review.replied', 'review.reply_edited']);
		});

		it('refuses a reply by a member or moderator (403 from the action), storing nothing', async () => {
			const product = await createProduct(db());
			const [author, other] = await createMembers(2);
			const moderator = await createUser(db(), { role: 'moderator' });
			const { id } = await review(author!, product.id, 3);
			for (const actor of [author!, other!, moderator]) {
				expect(await replyToReview(db(), actor, { reviewId: id, body: 'Official?' })).toEqual({
					ok: false,
					reason: 'forbidden'
				});
			}
			const outcome = await runAction(
				reviewActions.reply as (event: RequestEvent) => unknown,
				other!,
				`/reviews/${id}?/reply`,
				{ id: String(id) },
				{ body: 'I am not staff.' }
			);
			expect(outcome).toMatchObject({
				kind: 'failure',
				status: 403,
				data: { replyForm: { error: 'Only staff can reply officially to a review.' } }
			});
			const staff = await createUser(db(), { role: 'staff' });
			const empty = await runAction(
				reviewActions.reply as (event: RequestEvent) => unknown,
				staff,
				`/reviews/${id}?/reply`,
				{ id: String(id) },
				{ body: '   ' }
			);
			expect(empty).toMatchObject({ kind: 'failure', status: 400 });
			const comments = await db()
				.selectFrom('comment')
				.select('id')
				.where('post_id', '=', id)
				.execute();
			expect(comments).toEqual([]);
			expect((await listNotifications(db(), author!.id)).items).toEqual([]);
		});
	});

	describe('tracked in, and the follow-up when the idea ships', () => {
		it('staff link a review to an idea of the same product only', async () => {
			const product = await createProduct(db());
			const elsewhere = await createProduct(db());
			const [author] = await createMembers(1);
			const staff = await createUser(db(), { role: 'staff' });
			const { id } = await review(author!, product.id, 3);
			const idea = await newIdea(product.id);
			const foreign = await newIdea(elsewhere.id, 'Dark mode everywhere');
			expect(await trackReview(db(), author!, { reviewId: id, ideaId: idea.id })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await trackReview(db(), staff, { reviewId: id, ideaId: foreign.id })).toMatchObject({
				ok: false,
				reason: 'invalid'
			});
			expect(await trackReview(db(), staff, { reviewId: id, ideaId: idea.id })).toMatchObject({
				ok: true,
				notified: 0
			});
			const own = await findOwnReview(db(), product.id, author!.id);
			expect(own!.trackedIn).toMatchObject({ id: idea.id, title: idea.title, path: idea.path });
			expect(await trackReview(db(), staff, { reviewId: id, ideaId: null })).toMatchObject({
				ok: true
			});
			expect((await findOwnReview(db(), product.id, author!.id))!.trackedIn).toBeNull();
		});

		it('a staff status change to a done status invites the tracked reviewer', async () => {
			const product = await createProduct(db());
			const [member] = await createMembers(1);
			const staff = await createUser(db(), { role: 'staff' });
			const idea = await newIdea(product.id);
			const { id } = await review(member!, product.id, 3);
			await trackReview(db(), staff, { reviewId: id, ideaId: idea.id });
			const shipped = await db()
				.selectFrom('idea_status')
				.select('id')
				.where('category', '=', 'done')
				.executeTakeFirstOrThrow();
			await db()
				.transaction()
				.execute((trx) => changeIdeaStatus(trx, staff, { ideaId: idea.id, statusId: shipped.id }));
			const rows = await db()
				.selectFrom('notification')
				.select(['user_id', 'kind'])
				.where('post_id', '=', id)
				.execute();
			expect(rows).toEqual([{ user_id: member!.id, kind: 'review_followup' }]);
		});

		it('notifyReviewersIdeaShipped invites each linked reviewer once, and marks later edits', async () => {
			const product = await createProduct(db());
			const [a, b, c, untracked] = await createMembers(4);
			const staff = await createUser(db(), { role: 'staff' });
			const idea = await newIdea(product.id);
			const reviews: number[] = [];
			for (const member of [a!, b!, c!]) {
				const { id } = await review(member, product.id, 3);
				await trackReview(db(), staff, { reviewId: id, ideaId: idea.id });
				reviews.push(id);
			}
			await review(untracked!, product.id, 4);
			// c's review was deleted: nobody to invite.
			await db()
				.updateTable('post')
				.set({ deleted_at: new Date() })
				.where('id', '=', reviews[2]!)
				.execute();

			await setIdeaStatus(db(), idea.id, 'shipped');
			const notified = await db()
				.transaction()
				.execute((trx) => notifyReviewersIdeaShipped(trx, idea.id));
			expect(notified).toBe(2);
			// Called again (the idea re-enters done), nobody is told twice.
			expect(
				await db()
					.transaction()
					.execute((trx) => notifyReviewersIdeaShipped(trx, idea.id))
			).toBe(0);

			const rows = await db()
				.selectFrom('notification')
				.select(['user_id', 'post_id', 'kind', 'data', 'actor_id'])
				.where('kind', '=', 'review_followup')
				.where('post_id', 'in', reviews)
				.orderBy('user_id')
				.execute();
			expect(rows).toEqual(
				[a!, b!].map((member, i) => ({
					user_id: member.id,
					post_id: reviews[i],
					kind: 'review_followup',
					actor_id: null,
					data: { idea: { id: idea.id, title: idea.title, path: idea.path } }
				}))
			);
			expect((await listNotifications(db(), untracked!.id)).items).toEqual([]);
			const [note] = (await listNotifications(db(), a!.id)).items;
			expect(note!.summary).toContain(`“${idea.title}” shipped`);
			expect(await openNotification(db(), a!.id, note!.id)).toBe(`/reviews/${reviews[0]}`);

			// a updates after the ship: the page can say so; b did not.
			await new Promise((resolve) => setTimeout(resolve, 5));
			await review(a!, product.id, 5, { review: reviews[0], title: 'Exports fixed' });
			const list = (
				await listReviews(db(), a!, { productId: product.id, sort: 'newest', stars: null, page: 1 })
			).reviews;
			expect(list.find((r) => r.id === reviews[0])).toMatchObject({ updatedAfterShipped: true });
			expect(list.find((r) => r.id === reviews[1])).toMatchObject({ updatedAfterShipped: false });
		});

		it('linking to an idea that has already shipped invites the reviewer at once', async () => {
			const product = await createProduct(db());
			const [author] = await createMembers(1);
			const staff = await createUser(db(), { role: 'staff' });
			const idea = await newIdea(product.id);
			await setIdeaStatus(db(), idea.id, 'shipped');
			const { id } = await review(author!, product.id, 2);
			expect(await trackReview(db(), staff, { reviewId: id, ideaId: idea.id })).toMatchObject({
				ok: true,
				notified: 1
			});
			const { items } = await listNotifications(db(), author!.id);
			expect(items.map((n) => n.kind)).toEqual(['review_followup']);
		});
	});

	describe('the verified customer badge', () => {
		it('shows when the reviewer’s company owns the product', async () => {
			const product = await createProduct(db());
			const [customer, stranger] = await createMembers(2);
			const slug = `acme-${Date.now().toString(36)}`;
			const company = await db()
				.insertInto('company')
				.values({ name: `Acme ${slug}`, slug })
				.returning('id')
				.executeTakeFirstOrThrow();
			const other = await db()
				.insertInto('company')
				.values({ name: `Other ${slug}`, slug: `other-${slug}` })
				.returning('id')
				.executeTakeFirstOrThrow();
			await db()
				.updateTable('app_user')
				.set({ company_id: company.id })
				.where('id', '=', customer!.id)
				.execute();
			await db()
				.updateTable('app_user')
				.set({ company_id: other.id })
				.where('id', '=', stranger!.id)
				.execute();
			await db()
				.insertInto('company_product')
				.values({ company_id: company.id, product_id: product.id })
				.execute();
			await review(customer!, product.id, 5);
			await review(stranger!, product.id, 4);
			const list = (
				await listReviews(db(), customer!, {
					productId: product.id,
					sort: 'highest',
					stars: null,
					page: 1
				})
			).reviews;
			expect(list.map((r) => [r.author.handle, r.verified])).toEqual([
				[customer!.handle, true],
				[stranger!.handle, false]
			]);
		});
	});

	describe('lists and aggregates', () => {
		it('filters by stars and sorts by helpful, newest, highest and lowest', async () => {
			const product = await createProduct(db());
			const members = await createMembers(4);
			const ids: number[] = [];
			for (const [i, rating] of [3, 5, 1, 5].entries()) {
				ids.push((await review(members[i]!, product.id, rating)).id);
			}
			const [reader] = await createMembers(1);
			await setHelpful(db(), reader!, { reviewId: ids[2]!, helpful: true });
			const order = async (
				sort: 'helpful' | 'newest' | 'highest' | 'lowest',
				stars: 1 | 5 | null = null
			) =>
				(
					await listReviews(db(), reader!, { productId: product.id, sort, stars, page: 1 })
				).reviews.map((r) => r.id);
			expect(await order('newest')).toEqual([ids[3], ids[2], ids[1], ids[0]]);
			expect(await order('helpful')).toEqual([ids[2], ids[3], ids[1], ids[0]]);
			expect(await order('highest')).toEqual([ids[3], ids[1], ids[0], ids[2]]);
			expect(await order('lowest')).toEqual([ids[2], ids[0], ids[3], ids[1]]);
			expect(await order('newest', 5)).toEqual([ids[3], ids[1]]);
			expect(await order('newest', 1)).toEqual([ids[2]]);
		});

		it('hidden and deleted reviews leave every aggregate and list at once', async () => {
			const product = await createProduct(db());
			const members = await createMembers(3);
			const ids: number[] = [];
			for (const [i, rating] of [5, 1, 3].entries()) {
				ids.push((await review(members[i]!, product.id, rating)).id);
			}
			expect(await ratingSummary(db(), product.id)).toMatchObject({ count: 3, average: 3 });
			await db()
				.updateTable('post')
				.set({ visibility: 'hidden', hidden_reason: 'Spam' })
				.where('id', '=', ids[1]!)
				.execute();
			let summary = await ratingSummary(db(), product.id);
			expect(summary).toMatchObject({ count: 2, average: 4 });
			expect(summary.distribution.find((d) => d.rating === 1)!.count).toBe(0);
			await db()
				.updateTable('post')
				.set({ deleted_at: new Date() })
				.where('id', '=', ids[0]!)
				.execute();
			summary = await ratingSummary(db(), product.id);
			expect(summary).toMatchObject({ count: 1, average: 3 });
			const ranked = (await rankProducts(db())).products.find((p) => p.id === product.id);
			expect(ranked).toMatchObject({ reviewCount: 1, average: 3 });

			const [reader] = await createMembers(1);
			const memberView = await listReviews(db(), reader!, {
				productId: product.id,
				sort: 'newest',
				stars: null,
				page: 1
			});
			expect(memberView.reviews.map((r) => r.id)).toEqual([ids[2]]);
			// Moderators see the hidden one, marked; its author sees it as their own, with the reason.
			const moderator = await createUser(db(), { role: 'moderator' });
			const modView = await listReviews(db(), moderator, {
				productId: product.id,
				sort: 'newest',
				stars: null,
				page: 1
			});
			expect(modView.reviews.map((r) => [r.id, r.visibility])).toEqual([
				[ids[2], 'visible'],
				[ids[1], 'hidden']
			]);
			expect(await findOwnReview(db(), product.id, members[1]!.id)).toMatchObject({
				visibility: 'hidden',
				hiddenReason: 'Spam'
			});
		});

		it('ranks forty 4.6-star reviews above one 5-star review (Bayesian average)', async () => {
			const single = await createProduct(db(), { name: `Single ${Date.now()}` });
			const many = await createProduct(db(), { name: `Many ${Date.now()}` });
			const [one] = await createMembers(1);
			await review(one!, single.id, 5);
			const forty = await createMembers(40);
			for (const [i, member] of forty.entries()) {
				await review(member, many.id, i < 24 ? 5 : 4); // 24 × 5 + 16 × 4 = 184 = 40 × 4.6
			}
			const { products, siteMean } = await rankProducts(db());
			const a = products.find((p) => p.id === single.id)!;
			const b = products.find((p) => p.id === many.id)!;
			expect(b.average).toBeCloseTo(4.6, 10);
			expect(a.average).toBe(5);
			expect(b.score!).toBeGreaterThan(a.score!);
			expect(products.indexOf(b)).toBeLessThan(products.indexOf(a));
			expect(a.score).toBeCloseTo((5 * siteMean + 5) / 6, 10);
		});
	});

	describe('concurrency', () => {
		it('50 members reviewing one product at once: the aggregates equal the rows', async () => {
			const product = await createProduct(db());
			const members = await createMembers(50);
			const ratings = members.map((_, i) => (i % 5) + 1);
			const results = await Promise.all(
				members.map((member, i) => writeReview(db(), member, product.id, input(ratings[i]!)))
			);
			expect(results.every((r) => r.ok && r.created)).toBe(true);
			const summary = await ratingSummary(db(), product.id);
			expect(summary.count).toBe(50);
			expect(summary.average).toBe(3);
			expect(summary.distribution.map((d) => d.count)).toEqual([10, 10, 10, 10, 10]);

			// Now everyone edits at once (to 5 for even members, 1 for odd) while each also sends a
			// crafted second review: one review per member, and the aggregates follow the edits.
			const ids = results.map((r) => (r.ok ? r.id : 0));
			const acts = members.flatMap((member, i) => [
				() =>
					writeReview(
						db(),
						member,
						product.id,
						input(i % 2 ? 1 : 5, { review: ids[i]!, body: `${BODY} Edited.` })
					),
				() => writeReview(db(), member, product.id, input(2))
			]);
			const second = await Promise.all(acts.map((act) => act()));
			expect(second.filter((r) => !r.ok && r.reason === 'duplicate')).toHaveLength(50);
			expect(second.filter((r) => r.ok && r.changed)).toHaveLength(50);
			const after = await ratingSummary(db(), product.id);
			expect(after.count).toBe(50);
			expect(after.distribution.map((d) => d.count)).toEqual([25, 0, 0, 0, 25]);
			expect(after.average).toBe(3);
			expect(await stored(product.id)).toMatchObject({ posts: 50, versions: 50 });
		});

		it('one member submitting a new review 20 times at once stores exactly one', async () => {
			const product = await createProduct(db());
			const [member] = await createMembers(1);
			const results = await Promise.all(
				Array.from({ length: 20 }, (_, i) =>
					writeReview(db(), member!, product.id, input((i % 5) + 1))
				)
			);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			expect(results.filter((r) => !r.ok && r.reason === 'duplicate')).toHaveLength(19);
			expect((await stored(product.id)).posts).toBe(1);
			expect((await ratingSummary(db(), product.id)).count).toBe(1);
		});

		it('concurrent helpful votes count exactly', async () => {
			const product = await createProduct(db());
			const [author] = await createMembers(1);
			const { id } = await review(author!, product.id, 4);
			const readers = await createMembers(30);
			await Promise.all(
				readers.flatMap((reader) => [
					setHelpful(db(), reader, { reviewId: id, helpful: true }),
					setHelpful(db(), reader, { reviewId: id, helpful: true })
				])
			);
			const row = await db()
				.selectFrom('post')
				.select([
					'vote_count',
					sql<number>`(select count(*) from vote where vote.post_id = post.id)`.as('rows')
				])
				.where('id', '=', id)
				.executeTakeFirstOrThrow();
			expect(row).toEqual({ vote_count: 30, rows: 30 });
		});
	});
});
