// Demo roadmap and changelog: ideas customers voted for, placed by staff in Planned and In
// progress (ordered, some with a target quarter), and two published changelog entries that
// shipped ideas, told their voters and left a status history, as if the team had used the site.
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { changelogPath, changelogSlug } from '../changelog';
import { autoFollow } from '../follows';
import { changeIdeaStatus } from '../ideas/status';
import { renderMarkdown } from '../markdown';
import type { UserActor } from '../policy';
import { addVote } from '../votes';

interface DemoIdea {
	key: string;
	product: 'analytics' | 'mobile-app' | 'api';
	title: string;
	body: string;
	status: 'planned' | 'in-progress' | 'shipped';
	daysAgo: number;
	votes: number;
	quarter?: string;
}

const IDEAS: DemoIdea[] = [
	{
		key: 'dark',
		product: 'analytics',
		title: 'Dark mode for dashboards',
		body: 'Our support team watches dashboards all night. A dark theme would be easier on the eyes.',
		status: 'shipped',
		daysAgo: 70,
		votes: 14
	},
	{
		key: 'csv',
		product: 'analytics',
		title: 'Schedule a CSV export of any report',
		body: 'Finance wants the revenue-by-segment report as CSV in their inbox every Monday.',
		status: 'shipped',
		daysAgo: 55,
		votes: 9
	},
	{
		key: 'webhooks',
		product: 'api',
		title: 'Retry failed webhooks with backoff',
		body: 'When our endpoint is down for a minute we lose events. Please retry with backoff.',
		status: 'shipped',
		daysAgo: 40,
		votes: 7
	},
	{
		key: 'sso',
		product: 'analytics',
		title: 'Single sign-on with SAML',
		body: 'Our security policy needs every tool behind our identity provider (Okta, Azure AD).',
		status: 'in-progress',
		daysAgo: 50,
		votes: 12,
		quarter: '2027-Q1'
	},
	{
		key: 'offline',
		product: 'mobile-app',
		title: 'Offline mode with the last 7 days of data',
		body: 'Field teams lose signal on site. Keep a week of data on the phone.',
		status: 'in-progress',
		daysAgo: 35,
		votes: 8
	},
	{
		key: 'alerts',
		product: 'mobile-app',
		title: 'Quiet hours for push alerts',
		body: 'Threshold alerts at 3 a.m. wake people up for things that can wait until morning.',
		status: 'planned',
		daysAgo: 30,
		votes: 6,
		quarter: '2027-Q1'
	},
	{
		key: 'python',
		product: 'api',
		title: 'Async client in the Python library',
		body: 'We call the API from asyncio services and wrap every call in a thread today.',
		status: 'planned',
		daysAgo: 25,
		votes: 4,
		quarter: '2027-Q2'
	},
	{
		key: 'annotations',
		product: 'analytics',
		title: 'Annotate charts with release notes',
		body: 'Mark the day we shipped something on the chart, so a jump in a metric explains itself.',
		status: 'planned',
		daysAgo: 20,
		votes: 10
	}
];

const ENTRIES = [
	{
		title: 'Dark mode and scheduled CSV exports',
		product: 'analytics' as const,
		daysAgo: 32,
		ideas: ['dark', 'csv'],
		body: [
			'Two of your most requested features are here.',
			'',
			'- **Dark mode**: choose it under *Settings → Appearance*, or follow your system setting.',
			'- **Scheduled exports**: open any report, choose *Export → Schedule*, and pick a day and',
			'  the people who should get the CSV.',
			'',
			'Thank you to everyone who voted and told us how you would use them.'
		].join('\n')
	},
	{
		title: 'Webhooks now retry for up to a day',
		product: 'api' as const,
		daysAgo: 6,
		ideas: ['webhooks'],
		body: [
			'A webhook that fails is now retried with exponential backoff: after 1 minute, then 5,',
			'30, 2 hours and 12 hours. Every attempt is listed under *API → Webhooks → Deliveries*,',
			'and you can replay any delivery by hand.'
		].join('\n')
	}
];

const DAY = 24 * 60 * 60 * 1000;

export interface DemoRoadmapInput {
	staff: UserActor;
	/** Product ids by slug. */
	products: Map<string, number>;
	/** Customer ids, to author ideas and vote. */
	customers: number[];
	now?: Date;
}

/** Seeds the demo roadmap and changelog inside the demo seed's transaction. */
export async function seedRoadmapAndChangelog(trx: Db, input: DemoRoadmapInput): Promise<void> {
	const now = input.now ?? new Date();
	const ago = (days: number) => new Date(now.getTime() - days * DAY);
	const statuses = new Map(
		(await trx.selectFrom('idea_status').select(['id', 'slug']).execute()).map((s) => [
			s.slug,
			s.id
		])
	);
	const openId = statuses.get('open')!;
	const ideaIds = new Map<string, number>();

	for (const [i, idea] of IDEAS.entries()) {
		const productId = input.products.get(idea.product)!;
		const author = input.customers[(i * 5) % input.customers.length]!;
		const createdAt = ago(idea.daysAgo);
		const post = await trx
			.insertInto('post')
			.values({
				kind: 'idea',
				product_id: productId,
				author_id: author,
				title: idea.title,
				body_source: idea.body,
				body_html: renderMarkdown(idea.body),
				status_id: openId,
				created_at: createdAt,
				last_activity_at: createdAt,
				target_quarter: idea.quarter ?? null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		ideaIds.set(idea.key, post.id);
		await recordActivity(trx, { userId: author, kind: 'idea_posted', postId: post.id, productId });
		for (let v = 0; v < idea.votes; v++) {
			const voter = v === 0 ? author : input.customers[(i * 5 + v * 3) % input.customers.length]!;
			if (await addVote(trx, { postId: post.id, userId: voter })) {
				await autoFollow(trx, voter, post.id);
				await recordActivity(trx, {
					userId: voter,
					kind: 'vote_cast',
					postId: post.id,
					productId,
					data: { importance: null }
				});
			}
		}
		if (idea.status !== 'shipped') {
			await changeIdeaStatus(trx, input.staff, {
				ideaId: post.id,
				statusId: statuses.get(idea.status)!
			});
		}
	}

	// Staff order within the columns: the order in IDEAS, not the votes.
	for (const status of ['planned', 'in-progress'] as const) {
		const keys = IDEAS.filter((idea) => idea.status === status).map((idea) => idea.key);
		for (const [position, key] of keys.entries()) {
			await trx
				.updateTable('post')
				.set({ roadmap_position: position + 1 })
				.where('id', '=', ideaIds.get(key)!)
				.execute();
		}
	}

	for (const entry of ENTRIES) {
		const publishedAt = ago(entry.daysAgo);
		const row = await trx
			.insertInto('changelog_entry')
			.values({
				title: entry.title,
				body_source: entry.body,
				body_html: renderMarkdown(entry.body),
				product_id: input.products.get(entry.product)!,
				author_id: input.staff.id,
				created_at: publishedAt,
				updated_at: publishedAt
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const slug = changelogSlug(row.id, entry.title);
		await trx
			.updateTable('changelog_entry')
			.set({ slug, published_at: publishedAt })
			.where('id', '=', row.id)
			.execute();
		for (const key of entry.ideas) {
			const ideaId = ideaIds.get(key)!;
			await trx
				.insertInto('changelog_entry_idea')
				.values({ entry_id: row.id, post_id: ideaId })
				.execute();
			await changeIdeaStatus(trx, input.staff, {
				ideaId,
				statusId: statuses.get('shipped')!,
				changelog: { title: entry.title, path: changelogPath(slug) }
			});
		}
		await recordActivity(trx, {
			userId: input.staff.id,
			kind: 'changelog_published',
			productId: input.products.get(entry.product)!,
			data: { entryId: row.id, shipped: entry.ideas.map((key) => ideaIds.get(key)) }
		});
	}

	// History as it would have happened: each change dated a while after the idea was posted.
	for (const idea of IDEAS) {
		const id = ideaIds.get(idea.key)!;
		const entry = ENTRIES.find((e) => e.ideas.includes(idea.key));
		const at = entry ? ago(entry.daysAgo) : ago(Math.floor(idea.daysAgo / 2));
		await trx
			.updateTable('status_change')
			.set({ created_at: at })
			.where('post_id', '=', id)
			.execute();
		await trx
			.updateTable('notification')
			.set({ created_at: at, read_at: entry ? at : null })
			.where('post_id', '=', id)
			.execute();
		await trx.updateTable('post').set({ last_activity_at: at }).where('id', '=', id).execute();
	}
}
