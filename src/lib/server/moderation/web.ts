// What routes use from moderation: the posting check with its HTTP answer, and the 403 every
// write by a suspended member gets.
import { error, type RequestEvent } from '@sveltejs/kit';
import { getDatabase } from '../db/app';
import type { Actor } from '../policy';
import { checkPosting, suspensionRefusal, type PostingCheck, type PostingKind } from './posting';

export type PostingRefusal = Extract<PostingCheck, { ok: false }>;

/**
 * The one check posting routes call once the form is valid: `{ ok: true, visibility }` to write
 * with, or a refusal with its status and message (a 429 also sets Retry-After). The route shows
 * the message in its form: `fail(refusal.status, …refusal.message…)`.
 */
export async function checkPostingAllowed(
	event: Pick<RequestEvent, 'setHeaders'>,
	actor: Actor,
	input: { kind: PostingKind; body: string }
): Promise<PostingCheck> {
	const { db, pool } = getDatabase();
	const result = await checkPosting(db, pool, actor, input);
	if (!result.ok && result.status === 429) {
		event.setHeaders({ 'Retry-After': String(result.retryAfterSeconds) });
	}
	return result;
}

/** Stops any write by a suspended member with a 403 that says why and until when. */
export function refuseIfSuspended(actor: Actor): void {
	const message = suspensionRefusal(actor);
	if (message) {
		error(403, message);
	}
}
