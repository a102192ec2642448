// The demo's ideas: a realistic spread across the three products — open, under review, planned,
// in progress, shipped and declined — with votes from customers of different companies (so demand
// by company value has something to show), comments, an official answer and status messages.
// Written through the same building blocks as the app (votes, follows, the activity ledger), in
// the seed's transaction.
import { sql } from 'kysely';
import type { Importance } from '$lib/domain/ideas';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { autoFollow } from '../follows';
import { renderMarkdown } from '../markdown';
import { addVote } from '../votes';

export interface DemoIdeaPeople {
	/** Product ids by slug. */
	products: Map<string, number>;
	/** Customer ids, in the order they were seeded. */
	customers: number[];
	/** The staff member who answers and triages. */
	staffId: number;
}

interface DemoComment {
	by: number | 'staff';
	body: string;
	daysAgo: number;
}

interface DemoIdea {
	product: string;
	title: string;
	body: string;
	status: string;
	tags: string[];
	/** Index into the customers list. */
	author: number;
	/** Indexes into the customers list, with an importance for some. */
	voters: [number, Importance | null][];
	daysAgo: number;
	statusMessage?: string;
	comments?: DemoComment[];
}

const TAGS = [
	{ name: 'Reporting', slug: 'reporting' },
	{ name: 'Integrations', slug: 'integrations' },
	{ name: 'Performance', slug: 'performance' },
	{ name: 'Accessibility', slug: 'accessibility' },
	{ name: 'Security', slug: 'security' }
];

const voters = (from: number, count: number, importance: Importance | null = null) =>
	Array.from({ length: count }, (_, i): [number, Importance | null] => [from + i, importance]);

const IDEAS: DemoIdea[] = [
	{
		product: 'analytics',
		title: 'Scheduled PDF exports of dashboards',
		body:
			'Our leadership team wants a **PDF of the revenue dashboard every Monday at 8:00**, ' +
			'not a link they have to open. Ideally per recipient time zone.\n\n' +
			'- weekly or monthly schedule\n- choose the dashboard and the filters\n- send to a list of emails',
		status: 'planned',
		tags: ['reporting'],
		author: 0,
		voters: [...voters(1, 6, 'important'), ...voters(7, 5), ...voters(13, 4, 'critical')],
		daysAgo: 52,
		statusMessage:
			'Thanks for all the detail here. This is **planned for next quarter**; we will start ' +
			'with weekly and monthly schedules and add time zones per recipient after.',
		comments: [
			{
				by: 8,
				body: 'Same for us: our board pack is assembled by hand from screenshots today.',
				daysAgo: 40
			},
			{
				by: 'staff',
				body: 'Would a PNG attachment work for you, or does it have to be a PDF?',
				daysAgo: 30
			},
			{ by: 0, body: 'PDF please: finance archives them.', daysAgo: 29 }
		]
	},
	{
		product: 'analytics',
		title: 'Cohort retention by signup source',
		body: 'Split retention cohorts by the UTM source of the signup, so we can see which channels bring customers who stay.',
		status: 'open',
		tags: ['reporting'],
		author: 9,
		voters: voters(10, 3),
		daysAgo: 6
	},
	{
		product: 'analytics',
		title: 'Snowflake connector',
		body: 'We moved our warehouse to Snowflake. A native connector would save us a nightly copy job.',
		status: 'shipped',
		tags: ['integrations'],
		author: 3,
		voters: [...voters(4, 9, 'critical'), ...voters(20, 3)],
		daysAgo: 120,
		statusMessage:
			'The Snowflake connector is live for every plan. Connect it under Settings → Warehouses.'
	},
	{
		product: 'analytics',
		title: 'Dashboards load slowly with more than 20 charts',
		body: 'Our main dashboard has 26 charts and takes about 15 seconds to load.',
		status: 'under-review',
		tags: ['performance'],
		author: 11,
		voters: voters(12, 5, 'important'),
		daysAgo: 18,
		comments: [
			{
				by: 'staff',
				body: 'Thanks — we can reproduce this and are profiling the chart queries now.',
				daysAgo: 15
			}
		]
	},
	{
		product: 'analytics',
		title: 'Embed dashboards in Notion',
		body: 'An oEmbed endpoint so a dashboard link unfurls as a live chart in Notion pages.',
		status: 'declined',
		tags: ['integrations'],
		author: 22,
		voters: voters(23, 2),
		daysAgo: 90,
		statusMessage:
			'We looked into this carefully and will not build it for now: Notion does not allow ' +
			'live iframes from third parties without a paid integration. Shared links stay the way to go.'
	},
	{
		product: 'mobile-app',
		title: 'Offline mode for field technicians',
		body: 'Our technicians work in basements without signal. Let them read the last synced numbers and add notes offline.',
		status: 'planned',
		tags: ['performance'],
		author: 5,
		voters: [...voters(6, 7, 'critical'), ...voters(18, 4)],
		daysAgo: 33,
		statusMessage: 'Planned: reading offline first, notes after.'
	},
	{
		product: 'mobile-app',
		title: 'Home screen widget with a key metric',
		body: 'An iOS and Android widget showing one metric I choose, updated every 15 minutes.',
		status: 'open',
		tags: [],
		author: 19,
		voters: voters(20, 6),
		daysAgo: 3,
		comments: [{ by: 21, body: 'Yes! Revenue today would be my pick.', daysAgo: 2 }]
	},
	{
		product: 'mobile-app',
		title: 'Larger text support',
		body: 'The app ignores the system text size on Android. Several of our managers rely on larger text.',
		status: 'shipped',
		tags: ['accessibility'],
		author: 24,
		voters: voters(25, 4, 'important'),
		daysAgo: 64,
		statusMessage: 'Shipped in version 4.2: every screen now follows the system text size.'
	},
	{
		product: 'mobile-app',
		title: 'Sign in with a passkey',
		body: 'Passwords on phones are painful. Passkeys would make sign-in one tap.',
		status: 'under-review',
		tags: ['security'],
		author: 1,
		voters: voters(2, 4),
		daysAgo: 11
	},
	{
		product: 'api',
		title: 'Webhooks for metric thresholds',
		body: 'Call our endpoint when a metric crosses a threshold, with the metric, the value and the time.',
		status: 'in-progress',
		tags: ['integrations'],
		author: 7,
		voters: [...voters(8, 5, 'important'), ...voters(26, 3)],
		daysAgo: 41,
		statusMessage: 'In progress: signed payloads and retries included.'
	},
	{
		product: 'api',
		title: 'Official Ruby client',
		body: 'We are a Rails shop. An official gem would save us maintaining our own wrapper.',
		status: 'open',
		tags: ['integrations'],
		author: 28,
		voters: voters(29, 2),
		daysAgo: 9
	},
	{
		product: 'api',
		title: 'Higher rate limits for bulk imports',
		body: 'Backfilling two years of events hits the rate limit within minutes. A bulk endpoint or a higher temporary limit would help.',
		status: 'open',
		tags: ['performance'],
		author: 13,
		voters: [...voters(14, 3, 'critical'), ...voters(0, 2)],
		daysAgo: 1,
		comments: [
			{
				by: 'staff',
				body: 'Until then, the `/v1/events/batch` endpoint takes up to 500 events per call.',
				daysAgo: 0
			}
		]
	}
];

const DAY = 24 * 60 * 60 * 1000;

/** Seeds the tags and ideas; returns how many ideas it wrote. */
export async function seedDemoIdeas(
	trx: Db,
	people: DemoIdeaPeople,
	now = Date.now()
): Promise<number> {
	const tags = await trx.insertInto('tag').values(TAGS).returning(['id', 'slug']).execute();
	const tagIds = new Map(tags.map((t) => [t.slug, t.id]));
	const statuses = await trx
		.selectFrom('idea_status')
		.select(['id', 'slug', 'is_default'])
		.execute();
	const statusIds = new Map(statuses.map((s) => [s.slug, s.id]));
	const defaultStatus = statuses.find((s) => s.is_default)!.id;
	const customer = (index: number) => people.customers[index % people.customers.length]!;
	const at = (daysAgo: number, hours = 0) => new Date(now - daysAgo * DAY + hours * 60 * 60 * 1000);

	for (const idea of IDEAS) {
		const authorId = customer(idea.author);
		const productId = people.products.get(idea.product)!;
		const createdAt = at(idea.daysAgo);
		const post = await trx
			.insertInto('post')
			.values({
				kind: 'idea',
				product_id: productId,
				author_id: authorId,
				title: idea.title,
				body_source: idea.body,
				body_html: renderMarkdown(idea.body),
				status_id: statusIds.get(idea.status) ?? defaultStatus,
				created_at: createdAt,
				last_activity_at: createdAt
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const postId = post.id;
		await recordActivity(trx, { userId: authorId, kind: 'idea_posted', postId, productId });
		if (idea.tags.length > 0) {
			await trx
				.insertInto('post_tag')
				.values(idea.tags.map((slug) => ({ post_id: postId, tag_id: tagIds.get(slug)! })))
				.execute();
		}

		// The author votes on posting, then the others.
		const ballots: [number, Importance | null][] = [[idea.author, null], ...idea.voters];
		for (const [index, importance] of ballots) {
			const userId = customer(index);
			if (await addVote(trx, { postId, userId, importance })) {
				await recordActivity(trx, {
					userId,
					kind: 'vote_cast',
					postId,
					productId,
					data: importance ? { importance } : {}
				});
				await autoFollow(trx, userId, postId);
			}
		}

		for (const comment of idea.comments ?? []) {
			const commenterId = comment.by === 'staff' ? people.staffId : customer(comment.by);
			const createdAt = at(comment.daysAgo, 1);
			const row = await trx
				.insertInto('comment')
				.values({
					post_id: postId,
					author_id: commenterId,
					body_source: comment.body,
					body_html: renderMarkdown(comment.body),
					is_official: comment.by === 'staff',
					created_at: createdAt
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.updateTable('post')
				.set({ comment_count: sql`comment_count + 1`, last_activity_at: createdAt })
				.where('id', '=', postId)
				.execute();
			await recordActivity(trx, {
				userId: commenterId,
				kind: 'comment_posted',
				postId,
				commentId: row.id,
				productId
			});
			await autoFollow(trx, commenterId, postId);
		}

		if (idea.status !== 'open') {
			const message = idea.statusMessage ?? null;
			await trx
				.insertInto('status_change')
				.values({
					post_id: postId,
					from_status_id: defaultStatus,
					to_status_id: statusIds.get(idea.status)!,
					changed_by_id: people.staffId,
					message_source: message,
					message_html: message ? renderMarkdown(message) : null,
					created_at: at(Math.max(0, idea.daysAgo - 7))
				})
				.execute();
		}
	}

	// The ledger and the votes carry the time of the act: spread each vote between its idea's
	// posting and now (the same spread on every run), so charts of activity over time show a shape.
	await sql`update vote set created_at = post.created_at
		+ (now() - post.created_at) * (((vote.user_id * 37 + vote.post_id * 11) % 90) / 100.0)
		from post where post.id = vote.post_id`.execute(trx);
	await sql`update activity set created_at = vote.created_at from vote
		where activity.kind = 'vote_cast' and vote.post_id = activity.post_id
		and vote.user_id = activity.user_id`.execute(trx);
	await sql`update activity set created_at = post.created_at from post
		where activity.kind = 'idea_posted' and post.id = activity.post_id`.execute(trx);
	await sql`update activity set created_at = comment.created_at from comment
		where activity.kind = 'comment_posted' and comment.id = activity.comment_id`.execute(trx);
	return IDEAS.length;
}
