// Demo help threads: a few private conversations between customers and the staff member, in every
// state (waiting, answered, closed, one shared with the author's company, one with a proposal to
// publish it), so /help and /staff/help have something to show. Runs inside the demo seed's
// transaction, after the people and companies exist. Private: nothing here touches the ledger.
import type { Db } from '../db';
import { renderMarkdown } from '../markdown';

const HOUR_MS = 60 * 60 * 1000;

interface DemoThread {
	subject: string;
	/** Messages oldest first: `staff` ones are the team's official answers. */
	messages: { staff: boolean; body: string; hoursAgo: number }[];
	status: 'open' | 'answered' | 'closed';
	shared?: boolean;
	proposed?: 'discussion' | 'idea';
}

const THREADS: DemoThread[][] = [
	[
		{
			subject: 'Our invoice shows the wrong number of seats',
			messages: [
				{
					staff: false,
					body: 'The November invoice bills us for 48 seats, but we removed 6 people in October. Could you check?',
					hoursAgo: 50
				},
				{
					staff: true,
					body: 'Thanks for spotting this. The seats were removed after the billing run; we have issued a credit note for the difference.',
					hoursAgo: 30
				}
			],
			status: 'answered',
			shared: true
		},
		{
			subject: 'How do we export dashboards as PDF on a schedule?',
			messages: [
				{
					staff: false,
					body: 'Our leadership wants the weekly KPI dashboard as a PDF every Monday. Is there a way to schedule that?',
					hoursAgo: 6
				}
			],
			status: 'open',
			proposed: 'idea'
		}
	],
	[
		{
			subject: 'SSO login loops back to the sign-in page',
			messages: [
				{
					staff: false,
					body: 'Since this morning, signing in with our company SSO sends us straight back to the sign-in page.',
					hoursAgo: 20
				}
			],
			status: 'open'
		}
	],
	[
		{
			subject: 'Can we move our renewal date?',
			messages: [
				{
					staff: false,
					body: 'We would like our renewal to line up with our fiscal year (April).',
					hoursAgo: 200
				},
				{ staff: true, body: 'Done: your next renewal is on 1 April, prorated.', hoursAgo: 190 },
				{ staff: false, body: 'Perfect, thank you!', hoursAgo: 185 }
			],
			status: 'closed'
		}
	]
];

export async function seedDemoHelp(
	trx: Db,
	people: { staffId: number; customers: number[] }
): Promise<void> {
	const now = Date.now();
	for (const [i, threads] of THREADS.entries()) {
		const authorId = people.customers[i];
		if (authorId === undefined) {
			continue;
		}
		for (const thread of threads) {
			const at = (hours: number) => new Date(now - hours * HOUR_MS);
			const first = thread.messages[0]!;
			const last = thread.messages.at(-1)!;
			const waiting = thread.status === 'open' ? at(first.hoursAgo) : null;
			const row = await trx
				.insertInto('help_thread')
				.values({
					author_id: authorId,
					subject: thread.subject,
					shared_with_company: thread.shared ?? false,
					status: thread.status,
					waiting_since: waiting,
					message_count: thread.messages.length,
					last_message_at: at(last.hoursAgo),
					created_at: at(first.hoursAgo),
					closed_at: thread.status === 'closed' ? at(last.hoursAgo - 1) : null,
					closed_by_id: thread.status === 'closed' ? authorId : null,
					proposed_kind: thread.proposed ?? null,
					proposed_by_id: thread.proposed ? people.staffId : null,
					proposed_at: thread.proposed ? at(first.hoursAgo - 1) : null
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('help_message')
				.values(
					thread.messages.map((message) => ({
						thread_id: row.id,
						author_id: message.staff ? people.staffId : authorId,
						body_source: message.body,
						body_html: renderMarkdown(message.body),
						is_official: message.staff,
						created_at: at(message.hoursAgo)
					}))
				)
				.execute();
			const events = [
				...(thread.proposed
					? [
							{
								kind: 'proposed' as const,
								actor: people.staffId,
								data: { kind: thread.proposed },
								hours: first.hoursAgo - 1
							}
						]
					: []),
				...(thread.status === 'closed'
					? [{ kind: 'closed' as const, actor: authorId, data: {}, hours: last.hoursAgo - 1 }]
					: [])
			];
			for (const event of events) {
				await trx
					.insertInto('help_event')
					.values({
						thread_id: row.id,
						actor_id: event.actor,
						kind: event.kind,
						data: JSON.stringify(event.data),
						created_at: at(event.hours)
					})
					.execute();
			}
		}
	}
}
