// Who hears about a staff answer in a help thread: the author and, in a shared thread, the
// colleagues who took part in it — each only if they may read the thread now. The notification
// carries no private text (only the thread's id): the inbox and the email read it at display or
// send time, after asking the policy again.
import { sql } from 'kysely';
import type { Db } from '../db';
import { createNotifications } from '../notifications';
import { canBeNotifiedOfHelpThread, type HelpThreadFacts } from '../policy';

export async function notifyHelpReply(
	trx: Db,
	event: { threadId: number; actorId: number; facts: HelpThreadFacts }
): Promise<void> {
	const people = await trx
		.selectFrom('app_user as u')
		.select(['u.id', 'u.role', 'u.company_id'])
		.where((eb) =>
			eb.or([
				eb('u.id', '=', event.facts.authorId),
				eb(
					'u.id',
					'in',
					eb
						.selectFrom('help_message as m')
						.select(sql<number>`m.author_id`.as('author_id'))
						.where('m.thread_id', '=', event.threadId)
						.where('m.is_official', '=', false)
						.where('m.author_id', 'is not', null)
				)
			])
		)
		.execute();
	const recipients = people.filter(
		(p) =>
			p.id !== event.actorId &&
			p.role !== 'staff' &&
			p.role !== 'admin' &&
			canBeNotifiedOfHelpThread({ id: p.id, role: p.role, companyId: p.company_id }, event.facts)
	);
	await createNotifications(
		trx,
		recipients.map((p) => ({
			userId: p.id,
			kind: 'help_reply' as const,
			postId: null,
			commentId: null,
			actorId: event.actorId,
			helpThreadId: event.threadId
		}))
	);
}
