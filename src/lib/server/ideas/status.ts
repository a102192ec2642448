// Moving an idea to another status: the post, its status history and the notifications to the
// people who voted for it or follow it, all inside the caller's transaction.
import { sql } from 'kysely';
import type { Db } from '../db';
import { renderMarkdown } from '../markdown';
import type { UserActor } from '../policy';

export interface StatusChangeInput {
	ideaId: number;
	statusId: number;
	message?: string | null;
	changelog?: { title: string; path: string } | null;
}

/**
 * Moves an idea to `statusId`. Nothing is written when it already has that status. Voters and
 * followers (not the actor) are told once each, with kind `status_change`. Throws when the idea
 * or the status does not exist: callers check those first.
 */
export async function changeIdeaStatus(
	trx: Db,
	actor: UserActor,
	input: StatusChangeInput
): Promise<{ changed: boolean }> {
	const idea = await trx
		.selectFrom('post')
		.select(['id', 'status_id'])
		.where('id', '=', input.ideaId)
		.where('kind', '=', 'idea')
		.forUpdate()
		.executeTakeFirst();
	if (!idea) {
		throw new Error(`no idea ${input.ideaId}`);
	}
	if (idea.status_id === input.statusId) {
		return { changed: false };
	}
	const [from, to] = await Promise.all([
		idea.status_id === null
			? undefined
			: trx
					.selectFrom('idea_status')
					.select('name')
					.where('id', '=', idea.status_id)
					.executeTakeFirst(),
		trx
			.selectFrom('idea_status')
			.select(['name', 'category'])
			.where('id', '=', input.statusId)
			.executeTakeFirst()
	]);
	if (!to) {
		throw new Error(`no status ${input.statusId}`);
	}
	const message = input.message?.trim() || null;
	const messageHtml = message === null ? null : renderMarkdown(message);

	await trx
		.updateTable('post')
		.set({ status_id: input.statusId, last_activity_at: new Date() })
		.where('id', '=', idea.id)
		.execute();
	await trx
		.insertInto('status_change')
		.values({
			post_id: idea.id,
			from_status_id: idea.status_id,
			to_status_id: input.statusId,
			changed_by_id: actor.id,
			message_source: message,
			message_html: messageHtml
		})
		.execute();

	const data = JSON.stringify({
		from: from?.name ?? null,
		to: to.name,
		category: to.category,
		...(messageHtml === null ? {} : { message_html: messageHtml }),
		...(input.changelog ? { changelog: input.changelog } : {})
	});
	// Voters and followers, each once; the `union` removes the duplicates.
	await sql`
		insert into notification (user_id, kind, post_id, actor_id, data)
		select audience.user_id, 'status_change', ${idea.id}, ${actor.id}, ${data}::jsonb
		from (
			select user_id from vote where post_id = ${idea.id}
			union
			select user_id from subscription where post_id = ${idea.id} and following
		) audience
		where audience.user_id <> ${actor.id}
	`.execute(trx);
	return { changed: true };
}
