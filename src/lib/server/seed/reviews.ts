// Demo reviews: a handful per demo product from the demo customers, some marked helpful, one
// answered officially by staff, and which demo companies own which products (verified badges).
// Runs inside the demo seed's transaction, after the people and products exist.
import { sql } from 'kysely';
import type { Db } from '../db';
import { renderMarkdown } from '../markdown';

interface DemoReview {
	product: string;
	author: string;
	rating: number;
	title: string;
	body: string;
	helpful: string[];
	reply?: string;
}

// Handles as the demo seed makes them (ASCII, underscores).
const REVIEWS: DemoReview[] = [
	{
		product: 'analytics',
		author: 'priya_raman',
		rating: 5,
		title: 'Retention cohorts our board finally understands',
		body: 'We replaced three spreadsheets with one shared dashboard. The weekly digest lands every Monday and the cohort chart is the first thing our board asks for.',
		helpful: ['marcus_webb', 'olivia_chen', 'grace_kim']
	},
	{
		product: 'analytics',
		author: 'olivia_chen',
		rating: 4,
		title: 'Great dashboards, exports could be faster',
		body: 'Funnels and revenue by segment are excellent. Exporting a full year as CSV takes a few minutes, which is the only thing slowing our month-end close.',
		helpful: ['priya_raman'],
		reply:
			'Thanks Olivia! Faster exports are on the roadmap; we will let you know here when they ship.'
	},
	{
		product: 'analytics',
		author: 'zoe_laurent',
		rating: 3,
		title: 'Powerful, but a learning curve',
		body: 'It does everything we need once set up, but our small team needed a few afternoons to connect the warehouse and learn the query builder.',
		helpful: []
	},
	{
		product: 'mobile-app',
		author: 'chloe_martin',
		rating: 4,
		title: 'Threshold alerts are a lifesaver',
		body: 'Getting a push notification when on-time deliveries dip below target lets our dispatchers act before customers call. Offline mode works well in the warehouse.',
		helpful: ['yusuf_demir']
	},
	{
		product: 'mobile-app',
		author: 'emily_carter',
		rating: 2,
		title: 'Charts are cramped on small phones',
		body: 'On older phones the axis labels overlap and annotations are hard to tap. On a tablet it is fine.',
		helpful: ['jamal_washington', 'mei_ling_zhou']
	},
	{
		product: 'api',
		author: 'rafael_moreno',
		rating: 5,
		title: 'Clean REST API and honest rate limits',
		body: 'The TypeScript client is well typed, webhooks retry sensibly, and the documentation matches what the API actually does. Integration took two days.',
		helpful: ['david_mensah', 'kofi_asante']
	},
	{
		product: 'api',
		author: 'ravi_patel',
		rating: 4,
		title: 'Solid, wish there were a Rust client',
		body: 'Everything we need is there and it is fast. We wrote our own small Rust wrapper; an official one would be welcome.',
		helpful: []
	}
];

// Which customer companies own which demo products (the badge "Verified customer").
const OWNERSHIP: [company: string, product: string][] = [
	['northwind-health', 'analytics'],
	['northwind-health', 'mobile-app'],
	['kestrel-bank', 'analytics'],
	['kestrel-bank', 'api'],
	['bluefin-logistics', 'mobile-app'],
	['alder-schools', 'mobile-app'],
	['pixelmint-games', 'api']
];

/** Seeds the demo reviews; returns how many it wrote. */
export async function seedDemoReviews(trx: Db, staffHandle: string): Promise<number> {
	const [products, users, companies] = await Promise.all([
		trx.selectFrom('product').select(['id', 'slug']).execute(),
		trx.selectFrom('app_user').select(['id', 'handle']).execute(),
		trx.selectFrom('company').select(['id', 'slug']).execute()
	]);
	const productId = new Map(products.map((p) => [p.slug, p.id]));
	const userId = new Map(users.map((u) => [u.handle, u.id]));
	const companyId = new Map(companies.map((c) => [c.slug, c.id]));
	const staffId = userId.get(staffHandle);

	const owned = OWNERSHIP.flatMap(([company, product]) => {
		const c = companyId.get(company);
		const p = productId.get(product);
		return c && p ? [{ company_id: c, product_id: p }] : [];
	});
	if (owned.length > 0) {
		await trx
			.insertInto('company_product')
			.values(owned)
			.onConflict((oc) => oc.columns(['company_id', 'product_id']).doNothing())
			.execute();
	}

	let written = 0;
	for (const [i, review] of REVIEWS.entries()) {
		const product = productId.get(review.product);
		const author = userId.get(review.author);
		if (!product || !author) {
			continue;
		}
		// Spread over the last weeks, so "Newest" means something.
		const createdAt = sql<Date>`now() - ${`${(REVIEWS.length - i) * 3} days`}::interval`;
		const helpers = review.helpful.map((h) => userId.get(h)).filter((id) => id !== undefined);
		const post = await trx
			.insertInto('post')
			.values({
				kind: 'review',
				product_id: product,
				author_id: author,
				title: review.title,
				body_source: review.body,
				body_html: renderMarkdown(review.body),
				vote_count: helpers.length,
				created_at: createdAt,
				last_activity_at: createdAt
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.insertInto('review').values({ post_id: post.id, rating: review.rating }).execute();
		await trx
			.insertInto('activity')
			.values({
				user_id: author,
				kind: 'review_posted',
				post_id: post.id,
				product_id: product,
				data: JSON.stringify({ rating: review.rating }),
				created_at: createdAt
			})
			.execute();
		for (const helper of helpers) {
			await trx.insertInto('vote').values({ post_id: post.id, user_id: helper }).execute();
			await trx
				.insertInto('activity')
				.values({
					user_id: author,
					kind: 'helpful_received',
					post_id: post.id,
					product_id: product,
					data: JSON.stringify({ voterId: helper })
				})
				.execute();
		}
		if (review.reply && staffId) {
			await trx
				.insertInto('comment')
				.values({
					post_id: post.id,
					author_id: staffId,
					body_source: review.reply,
					body_html: renderMarkdown(review.reply),
					is_official: true
				})
				.execute();
			await trx.updateTable('post').set({ comment_count: 1 }).where('id', '=', post.id).execute();
		}
		written++;
	}
	return written;
}
