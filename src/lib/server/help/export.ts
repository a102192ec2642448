// A member's own help threads for their data download: the threads they started, with every
// message in them (the team's answers were written to them) and the thread's history. Threads
// colleagues shared with them are the colleagues' data, not theirs, and stay out.
import type { Db } from '../db';

export async function ownHelpThreads(db: Db, userId: number): Promise<Record<string, unknown>[]> {
	const threads = await db
		.selectFrom('help_thread as t')
		.leftJoin('product as p', 'p.id', 't.product_id')
		.select([
			't.id',
			't.subject',
			't.status',
			't.shared_with_company',
			't.created_at',
			't.closed_at',
			't.converted_kind',
			't.converted_post_id',
			't.converted_at',
			'p.name as product'
		])
		.where('t.author_id', '=', userId)
		.orderBy('t.id')
		.execute();
	if (threads.length === 0) {
		return [];
	}
	const ids = threads.map((t) => t.id);
	const [messages, events] = await Promise.all([
		db
			.selectFrom('help_message as m')
			.leftJoin('app_user as u', 'u.id', 'm.author_id')
			.select([
				'm.thread_id',
				'm.body_source',
				'm.is_official',
				'm.created_at',
				'm.author_id',
				'u.display_name'
			])
			.where('m.thread_id', 'in', ids)
			.orderBy('m.id')
			.execute(),
		db
			.selectFrom('help_event as e')
			.select(['e.thread_id', 'e.kind', 'e.data', 'e.created_at', 'e.actor_id'])
			.where('e.thread_id', 'in', ids)
			.orderBy('e.id')
			.execute()
	]);
	return threads.map((t) => ({
		id: t.id,
		subject: t.subject,
		product: t.product,
		status: t.status,
		sharedWithCompany: t.shared_with_company,
		createdAt: t.created_at,
		closedAt: t.closed_at,
		publishedAs:
			t.converted_kind === null
				? null
				: { kind: t.converted_kind, postId: t.converted_post_id, at: t.converted_at },
		messages: messages
			.filter((m) => m.thread_id === t.id)
			.map((m) => ({
				byYou: m.author_id === userId,
				// Names, not emails or handles: who in the team (or your company) wrote.
				author: m.display_name,
				official: m.is_official,
				body: m.body_source,
				createdAt: m.created_at
			})),
		history: events
			.filter((e) => e.thread_id === t.id)
			.map((e) => ({
				what: e.kind,
				byYou: e.actor_id === userId,
				details: e.data,
				at: e.created_at
			}))
	}));
}
