// Demo discussions: categories, a pinned announcement with a poll, a question with an accepted
// answer, and a conversation with likes. Written inside the demo seed's transaction, with the
// ledger rows and follows the real commands would write.
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { renderMarkdown } from '../markdown';

interface SeedPeople {
	/** The product team: admin, staff member, moderator. */
	team: number[];
	customers: number[];
	products: number[];
}

const at = (daysAgo: number, hour = 10) => {
	const date = new Date();
	date.setUTCDate(date.getUTCDate() - daysAgo);
	date.setUTCHours(hour, 0, 0, 0);
	return date;
};

async function thread(
	trx: Db,
	input: {
		author: number;
		categoryId: number;
		productId: number | null;
		title: string;
		body: string;
		daysAgo: number;
		question?: boolean;
		pinned?: boolean;
		replies: { author: number; body: string; official?: boolean }[];
		likes?: number[];
	}
): Promise<{ id: number; replyIds: number[] }> {
	const created = at(input.daysAgo);
	const post = await trx
		.insertInto('post')
		.values({
			kind: 'discussion',
			product_id: input.productId,
			author_id: input.author,
			title: input.title,
			body_source: input.body,
			body_html: renderMarkdown(input.body),
			created_at: created,
			last_activity_at: created,
			vote_count: input.likes?.length ?? 0
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await trx
		.insertInto('discussion')
		.values({
			post_id: post.id,
			category_id: input.categoryId,
			is_question: input.question ?? false,
			pinned_at: input.pinned ? created : null
		})
		.execute();
	await recordActivity(trx, { userId: input.author, kind: 'thread_posted', postId: post.id });
	const followers = new Set([input.author]);
	const replyIds: number[] = [];
	for (const [i, reply] of input.replies.entries()) {
		const when = new Date(created.getTime() + (i + 1) * 3 * 3600_000);
		const row = await trx
			.insertInto('comment')
			.values({
				post_id: post.id,
				author_id: reply.author,
				body_source: reply.body,
				body_html: renderMarkdown(reply.body),
				is_official: reply.official ?? false,
				created_at: when
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		replyIds.push(row.id);
		followers.add(reply.author);
		await recordActivity(trx, {
			userId: reply.author,
			kind: 'reply_posted',
			postId: post.id,
			commentId: row.id
		});
		await trx
			.updateTable('post')
			.set({ comment_count: i + 1, last_activity_at: when })
			.where('id', '=', post.id)
			.execute();
	}
	for (const userId of input.likes ?? []) {
		await trx.insertInto('vote').values({ post_id: post.id, user_id: userId }).execute();
		await recordActivity(trx, {
			userId,
			kind: 'like_given',
			postId: post.id,
			data: { on: 'thread' }
		});
	}
	await trx
		.insertInto('subscription')
		.values([...followers].map((userId) => ({ user_id: userId, post_id: post.id })))
		.execute();
	return { id: post.id, replyIds };
}

export async function seedDiscussions(trx: Db, people: SeedPeople): Promise<void> {
	const [admin, staff, moderator] = people.team as [number, number, number];
	const c = people.customers;
	const categories = await trx
		.insertInto('discussion_category')
		.values([
			{
				name: 'Announcements',
				slug: 'announcements',
				description: 'News from the product team.',
				position: 0
			},
			{
				name: 'Questions and help',
				slug: 'questions',
				description: 'Ask how to do something; the community and the team answer.',
				position: 1
			},
			{
				name: 'Analytics',
				slug: 'analytics',
				description: 'Dashboards, reports and everything Roundtable Analytics.',
				product_id: people.products[0] ?? null,
				position: 2
			},
			{
				name: 'Show and tell',
				slug: 'show-and-tell',
				description: 'Share what you built.',
				position: 3
			}
		])
		.returning('id')
		.execute();
	const [announcements, questions, analytics, showAndTell] = categories.map((r) => r.id) as [
		number,
		number,
		number,
		number
	];

	const pollThread = await thread(trx, {
		author: staff,
		categoryId: announcements,
		productId: null,
		title: 'Which export format should we build next?',
		body:
			'CSV export is out. We have room for **one** more format this quarter: tell us which ' +
			'one your team would use first.',
		daysAgo: 6,
		pinned: true,
		replies: [
			{ author: c[2]!, body: 'Parquet, please: our warehouse loads it ten times faster.' },
			{ author: c[7]!, body: 'Excel. Our finance people live in spreadsheets.' }
		],
		likes: [c[0]!, c[4]!, c[9]!]
	});
	const poll = await trx
		.insertInto('poll')
		.values({ post_id: pollThread.id, question: 'Which format next?', multiple: false })
		.returning('id')
		.executeTakeFirstOrThrow();
	const options = await trx
		.insertInto('poll_option')
		.values(
			['Parquet', 'Excel (.xlsx)', 'JSON lines', 'Google Sheets sync'].map((label, position) => ({
				poll_id: poll.id,
				label,
				position
			}))
		)
		.returning('id')
		.execute();
	const ballots: [number, number][] = [
		[c[2]!, 0],
		[c[3]!, 0],
		[c[7]!, 1],
		[c[10]!, 1],
		[c[12]!, 0],
		[c[15]!, 3]
	];
	for (const [userId, option] of ballots) {
		await trx.insertInto('poll_ballot').values({ poll_id: poll.id, user_id: userId }).execute();
		await trx
			.insertInto('poll_choice')
			.values({ poll_id: poll.id, user_id: userId, option_id: options[option]!.id })
			.execute();
		await recordActivity(trx, {
			userId,
			kind: 'poll_voted',
			postId: pollThread.id,
			data: { pollId: poll.id, options: [options[option]!.id] }
		});
	}

	const question = await thread(trx, {
		author: c[1]!,
		categoryId: questions,
		productId: null,
		title: 'How do I share a dashboard with someone outside our company?',
		body:
			'Our agency needs to see the weekly funnel, but I do not want to give them an account. ' +
			'Is there a read-only link?',
		daysAgo: 4,
		question: true,
		replies: [
			{ author: c[5]!, body: 'We export a PDF every Monday and mail it. Clunky, but it works.' },
			{
				author: staff,
				official: true,
				body:
					'Yes: open the dashboard, choose **Share → Public link**, and switch on ' +
					'*read-only*. You can revoke the link at any time from the same menu.'
			},
			{ author: c[1]!, body: 'That is exactly it, thank you!' }
		],
		likes: [c[5]!, c[8]!]
	});
	const answerId = question.replyIds[1]!;
	await trx
		.updateTable('discussion')
		.set({ accepted_comment_id: answerId })
		.where('post_id', '=', question.id)
		.execute();
	await recordActivity(trx, {
		userId: staff,
		kind: 'answer_accepted',
		postId: question.id,
		commentId: answerId,
		data: { acceptedBy: c[1]! }
	});
	await trx
		.insertInto('comment_like')
		.values([
			{ comment_id: answerId, user_id: c[1]! },
			{ comment_id: answerId, user_id: c[5]! }
		])
		.execute();

	await thread(trx, {
		author: c[6]!,
		categoryId: analytics,
		productId: people.products[0] ?? null,
		title: 'Cohort charts: weekly or monthly buckets?',
		body: 'We switched our retention cohorts to monthly buckets and the noise went away. Which do you use?',
		daysAgo: 2,
		question: true,
		replies: [
			{ author: c[11]!, body: 'Weekly for the first two months, then monthly.' },
			{
				author: moderator,
				body: 'Same here: weekly buckets show launches, monthly ones show habits.'
			}
		]
	});

	await thread(trx, {
		author: c[13]!,
		categoryId: showAndTell,
		productId: null,
		title: 'Our support team’s morning dashboard',
		body: 'Five charts, one screen: backlog, first response time, CSAT, reopen rate and a heat map.',
		daysAgo: 1,
		replies: [{ author: admin, body: 'Love the heat map. Mind if we use it in the docs?' }],
		likes: [admin, c[0]!, c[2]!]
	});
}
