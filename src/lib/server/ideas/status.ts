// The one way an idea changes status: the history row with its public message, the followers' and
// voters' notifications, the first staff response, the ledger and the audit log, and, when the
// idea ships, the per-voter record of who was told. Runs inside the caller's transaction; the
// caller has already checked `canChangeIdeaStatus`.
import { createNotifications } from '../notifications';
import { sql } from 'kysely';
import { ideaPath, type StatusCategory } from '$lib/domain/ideas';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import { emitWebhookEvent } from '../webhooks';
import { ideaPayload } from '../webhooks/payloads';
import { recordAudit } from '../audit';
import { renderMarkdown } from '../markdown';
import { canChangeIdeaStatus, type Actor, type UserActor } from '../policy';
import { loadIdeaFacts } from './facts';
import { recordFirstResponse } from './response';
import { onIdeaShipped } from './shipped';

/** A public message on a status change is at most this long (markdown source). */
export const STATUS_MESSAGE_MAX = 5_000;

export interface StatusChangeInput {
	ideaId: number;
	statusId: number;
	message?: string | null;
	changelog?: { title: string; path: string } | null;
}

/**
 * Moves the idea to `statusId`. Moving it to the status it has changes nothing (`changed: false`,
 * nothing written). The idea's row is locked first, so a vote in flight waits for the change
 * (and then sees whether voting closed), and two changes of one idea run one after the other.
 */
export async function changeIdeaStatus(
	trx: Db,
	actor: UserActor,
	input: StatusChangeInput
): Promise<{ changed: boolean }> {
	await trx
		.selectFrom('post')
		.select('id')
		.where('id', '=', input.ideaId)
		.where('kind', '=', 'idea')
		.forNoKeyUpdate()
		.executeTakeFirstOrThrow();
	const idea = await trx
		.selectFrom('post')
		.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
		.select([
			'post.id',
			'post.title',
			'post.product_id',
			'post.status_id',
			'idea_status.name as status_name',
			'idea_status.category as status_category'
		])
		.where('post.id', '=', input.ideaId)
		.executeTakeFirstOrThrow();
	if (idea.status_id === input.statusId) {
		return { changed: false };
	}
	const next = await trx
		.selectFrom('idea_status')
		.select(['id', 'name', 'category'])
		.where('id', '=', input.statusId)
		.executeTakeFirstOrThrow();

	const message = input.message?.trim() ? input.message.trim() : null;
	const messageHtml = message === null ? null : renderMarkdown(message);
	const now = new Date();
	await trx
		.updateTable('post')
		.set({
			status_id: next.id,
			last_activity_at: now,
			triaged_at: sql`coalesce(triaged_at, ${now})`
		})
		.where('id', '=', idea.id)
		.execute();
	const change = await trx
		.insertInto('status_change')
		.values({
			post_id: idea.id,
			from_status_id: idea.status_id,
			to_status_id: next.id,
			changed_by_id: actor.id,
			message_source: message,
			message_html: messageHtml
		})
		.returning('id')
		.executeTakeFirstOrThrow();

	// Followers and voters hear about it, once each; an explicit unfollow is respected.
	const recipients = await trx
		.selectFrom('subscription')
		.select('user_id')
		.where('post_id', '=', idea.id)
		.where('following', '=', true)
		.union(
			trx
				.selectFrom('vote')
				.select('vote.user_id')
				.where('vote.post_id', '=', idea.id)
				.where(({ not, exists, selectFrom }) =>
					not(
						exists(
							selectFrom('subscription')
								.select('subscription.user_id')
								.whereRef('subscription.user_id', '=', 'vote.user_id')
								.where('subscription.post_id', '=', idea.id)
								.where('subscription.following', '=', false)
						)
					)
				)
		)
		.execute();
	const data: Record<string, unknown> = {
		from: idea.status_name,
		to: next.name,
		category: next.category,
		...(messageHtml === null ? {} : { message_html: messageHtml }),
		...(input.changelog ? { changelog: input.changelog } : {})
	};
	const rows = await createNotifications(
		trx,
		[...new Set(recipients.map((r) => r.user_id))]
			.filter((id) => id !== actor.id)
			.map((userId) => ({
				userId,
				kind: 'status_change' as const,
				postId: idea.id,
				commentId: null,
				actorId: actor.id,
				data
			}))
	);
	/** Who was told: user id → their notification (the ship record keeps it). */
	const notified = new Map(rows.map((row) => [row.userId, row.id]));

	await emitWebhookEvent(trx, 'idea.status_changed', async () => {
		const ideaNow = await ideaPayload(trx, idea.id);
		return (
			ideaNow && {
				idea: ideaNow,
				from: { name: idea.status_name, category: idea.status_category },
				to: { name: next.name, category: next.category },
				message
			}
		);
	});
	await recordActivity(trx, {
		userId: actor.id,
		kind: 'status_changed',
		postId: idea.id,
		productId: idea.product_id,
		data: { from: idea.status_name, to: next.name, category: next.category }
	});
	await recordAudit(trx, actor, {
		action: 'idea.status_changed',
		targetType: 'post',
		targetId: idea.id,
		details: {
			from: idea.status_name,
			to: next.name,
			category: next.category,
			message: message !== null,
			notified: notified.size
		}
	});
	await recordFirstResponse(trx, actor, {
		postId: idea.id,
		kind: 'status_change',
		statusChangeId: change.id
	});
	if (next.category === 'done' && (idea.status_category as StatusCategory) !== 'done') {
		await onIdeaShipped(trx, {
			ideaId: idea.id,
			statusChangeId: change.id,
			notified,
			path: ideaPath(idea)
		});
	}
	return { changed: true };
}

export type MoveStatusResult =
	{ ok: true } | { ok: false; reason: 'not_found' | 'unknown_status' | 'refused' | 'same' };

/**
 * A staff member moves an idea to a status, checking everything a request must: the status
 * exists, the idea exists, the policy allows it (staff; not merged or deleted), and it is a
 * change. The idea page's form and the API both come here; `changeIdeaStatus` does the work.
 */
export async function moveIdeaToStatus(
	db: Db,
	actor: Actor,
	input: { ideaId: number; statusId: number; message: string | null }
): Promise<MoveStatusResult> {
	const status = await db
		.selectFrom('idea_status')
		.select('id')
		.where('id', '=', input.statusId)
		.executeTakeFirst();
	if (!status) {
		return { ok: false, reason: 'unknown_status' };
	}
	return db.transaction().execute(async (trx): Promise<MoveStatusResult> => {
		const idea = await loadIdeaFacts(trx, input.ideaId);
		if (!idea) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canChangeIdeaStatus(actor, idea)) {
			return { ok: false, reason: 'refused' };
		}
		const result = await changeIdeaStatus(trx, actor, {
			ideaId: input.ideaId,
			statusId: status.id,
			message: input.message
		});
		return result.changed ? { ok: true } : { ok: false, reason: 'same' };
	});
}
