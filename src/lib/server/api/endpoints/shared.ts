// What several operations share: the refusal of a suspended member's writes, the posting check
// with the API's error shape, and finding an idea or thread the caller may see.
import { getIdeaDetail } from '../../ideas';
import { loadIdeaFacts } from '../../ideas/facts';
import { getThreadDetail, loadThreadFacts } from '../../discussions';
import { checkPosting, suspensionRefusal, type PostingKind } from '../../moderation/posting';
import {
	canModerateThreads,
	canSeeUnlisted,
	canViewDeletedIdea,
	type Actor,
	type UserActor
} from '../../policy';
import type { ApiContext } from '../endpoint';
import { ApiError, notFound, postingRefusal } from '../errors';

/** The person writing: signed in (a token) and not suspended, or a 401/403 that says why. */
export function participant(actor: Actor): UserActor {
	if (actor.kind !== 'user') {
		throw new ApiError('unauthorized', 'Send a personal API token to write.');
	}
	const suspended = suspensionRefusal(actor);
	if (suspended) {
		throw new ApiError('suspended', suspended);
	}
	return actor;
}

/** The moderation posting check (limits, links, approval) for a post or comment about to be written. */
export async function allowPosting(
	ctx: Pick<ApiContext<unknown, unknown, unknown>, 'db' | 'pool' | 'actor'>,
	input: { kind: PostingKind; body: string }
) {
	const allowed = await checkPosting(ctx.db, ctx.pool, ctx.actor, input);
	if (!allowed.ok) {
		throw postingRefusal(allowed);
	}
	return allowed.visibility;
}

/**
 * An idea as its page shows it, or a 404: deleted ideas only for staff, hidden or pending ones
 * only for their author and moderators (the idea page's rules).
 */
export async function findVisibleIdea(
	ctx: Pick<ApiContext<unknown, unknown, unknown>, 'db' | 'actor'>,
	id: number
) {
	const [idea, facts] = await Promise.all([getIdeaDetail(ctx.db, id), loadIdeaFacts(ctx.db, id)]);
	if (
		!idea ||
		!facts ||
		(idea.deletedAt !== null && !canViewDeletedIdea(ctx.actor)) ||
		(idea.visibility !== 'visible' && !canSeeUnlisted(ctx.actor, idea))
	) {
		throw notFound('idea');
	}
	return { idea, facts };
}

/** A discussion the caller may see (the thread page's rules), or a 404. */
export async function findVisibleThread(
	ctx: Pick<ApiContext<unknown, unknown, unknown>, 'db' | 'actor'>,
	id: number
) {
	const [thread, facts] = await Promise.all([
		getThreadDetail(ctx.db, id),
		loadThreadFacts(ctx.db, id)
	]);
	if (
		!thread ||
		!facts ||
		(thread.deleted && !canModerateThreads(ctx.actor)) ||
		(thread.visibility !== 'visible' && !canSeeUnlisted(ctx.actor, { authorId: thread.author.id }))
	) {
		throw notFound('discussion');
	}
	return { thread, facts };
}
