// Demo challenges: one closed, with its winners announced (their points and badge come from the
// ledger rows written here, as announcing writes them), and one open now, taking entries. Runs
// inside the demo seed's transaction, after the ideas exist: entries are seeded ideas.
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { renderMarkdown } from '../markdown';

const DAY = 24 * 60 * 60 * 1000;

interface DemoChallenge {
	title: string;
	description: string;
	prizes: string;
	product: string;
	startsDaysAgo: number;
	/** Negative: in the future. */
	endsDaysAgo: number;
	entries: string[];
	/** Entry titles in rank order, with staff's note; announced a day after the end. */
	winners?: { title: string; note: string }[];
}

const CHALLENGES: DemoChallenge[] = [
	{
		title: 'What would make the mobile app part of your working day?',
		description:
			'We are planning the next year of **Roundtable Mobile**. Tell us what would make you ' +
			'open it every day: where you are, what you need to see, and what gets in the way today.',
		prizes: 'The winning idea’s author joins our design sprint for it, and gets a year of Pro.',
		product: 'mobile-app',
		startsDaysAgo: 70,
		endsDaysAgo: 20,
		entries: ['Offline mode for field technicians', 'Larger text support'],
		winners: [
			{
				title: 'Offline mode for field technicians',
				note: 'The clearest picture of a real working day: it shaped our plan for offline reading.'
			},
			{
				title: 'Larger text support',
				note: 'A small change that many of you needed; it shipped in version 4.2.'
			}
		]
	},
	{
		title: 'What would help you understand new customers in their first month?',
		description:
			'The first month decides whether a customer stays. Which numbers, cohorts or views ' +
			'would help you see how new customers are doing, and act in time?',
		prizes: '',
		product: 'analytics',
		startsDaysAgo: 7,
		endsDaysAgo: -16,
		entries: ['Cohort retention by signup source']
	}
];

export async function seedChallenges(
	trx: Db,
	people: { staffId: number; products: ReadonlyMap<string, number> },
	now = Date.now()
): Promise<void> {
	for (const challenge of CHALLENGES) {
		const productId = people.products.get(challenge.product);
		if (productId === undefined) {
			continue;
		}
		const endsAt = new Date(now - challenge.endsDaysAgo * DAY);
		const announcedAt = challenge.winners ? new Date(endsAt.getTime() + DAY) : null;
		const row = await trx
			.insertInto('challenge')
			.values({
				title: challenge.title,
				description_source: challenge.description,
				description_html: renderMarkdown(challenge.description),
				prizes_source: challenge.prizes,
				prizes_html: renderMarkdown(challenge.prizes),
				product_id: productId,
				starts_at: new Date(now - challenge.startsDaysAgo * DAY),
				ends_at: endsAt,
				created_by_id: people.staffId,
				created_at: new Date(now - (challenge.startsDaysAgo + 2) * DAY),
				announced_at: announcedAt,
				announced_by_id: announcedAt ? people.staffId : null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const entries = await trx
			.updateTable('post')
			.set({ challenge_id: row.id })
			.where('kind', '=', 'idea')
			.where('product_id', '=', productId)
			.where('title', 'in', challenge.entries)
			.returning(['id', 'title', 'author_id'])
			.execute();
		for (const [index, winner] of (challenge.winners ?? []).entries()) {
			const entry = entries.find((e) => e.title === winner.title);
			if (!entry) {
				continue;
			}
			await trx
				.insertInto('challenge_winner')
				.values({
					challenge_id: row.id,
					post_id: entry.id,
					rank: index + 1,
					note_source: winner.note,
					note_html: renderMarkdown(winner.note),
					created_at: announcedAt!
				})
				.execute();
			await recordActivity(trx, {
				userId: entry.author_id,
				kind: 'challenge_won',
				postId: entry.id,
				productId,
				data: { challengeId: row.id, rank: index + 1 }
			});
			await trx
				.updateTable('activity')
				.set({ created_at: announcedAt! })
				.where('kind', '=', 'challenge_won')
				.where('post_id', '=', entry.id)
				.execute();
		}
	}
}
