// Entering ideas into a challenge: the checks the idea-posting code makes when an idea names a
// challenge (ideas/index.ts calls them; there is no second way to post an idea).
import { challengeState } from '$lib/domain/challenges';
import { formatDateTime } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import { canEnterChallenge, type Actor } from '../policy';
import type { Db } from '../db';

export interface EntryRefusal {
	field: 'challenge' | 'product';
	message: string;
}

/**
 * Why this member's idea cannot be entered into the challenge now (null: it can): the policy's
 * `canEnterChallenge`, the challenge's product, and a message for each. `lock` takes a share lock
 * on the challenge's row, so an edit of its dates waits for the entry's transaction.
 */
export async function checkChallengeEntry(
	db: Db,
	actor: Actor,
	challengeId: number,
	productId: number,
	options: { lock?: boolean; now?: Date } = {}
): Promise<EntryRefusal | null> {
	let query = db
		.selectFrom('challenge')
		.innerJoin('product', 'product.id', 'challenge.product_id')
		.select(['challenge.starts_at', 'challenge.ends_at', 'challenge.product_id', 'product.name'])
		.where('challenge.id', '=', challengeId);
	if (options.lock) {
		query = query.forShare('challenge');
	}
	const challenge = await query.executeTakeFirst();
	if (!challenge) {
		return { field: 'challenge', message: m.challenges_error_no_such() };
	}
	const window = { startsAt: challenge.starts_at, endsAt: challenge.ends_at };
	const now = options.now ?? new Date();
	if (!canEnterChallenge(actor, window, now)) {
		const state = challengeState(window, now);
		return {
			field: 'challenge',
			message:
				state === 'upcoming'
					? m.challenges_error_entry_upcoming({ date: formatDateTime(challenge.starts_at) })
					: state === 'closed'
						? m.challenges_error_entry_closed({ date: formatDateTime(challenge.ends_at) })
						: m.challenges_forbidden()
		};
	}
	if (challenge.product_id !== productId) {
		return {
			field: 'product',
			message: m.challenges_error_entry_product({ product: challenge.name })
		};
	}
	return null;
}

/** An entry keeps its challenge's product: editing it to another is refused (null: fine). */
export async function challengeProductError(
	db: Db,
	postId: number,
	productId: number
): Promise<string | null> {
	const row = await db
		.selectFrom('post')
		.innerJoin('challenge', 'challenge.id', 'post.challenge_id')
		.innerJoin('product', 'product.id', 'challenge.product_id')
		.select(['challenge.product_id', 'product.name'])
		.where('post.id', '=', postId)
		.executeTakeFirst();
	return row && row.product_id !== productId
		? m.challenges_error_entry_product_fixed({ product: row.name })
		: null;
}
