// Polls in threads: one ballot per member (the ballot table's primary key says so), single or
// multiple choice, results shown after voting or once the poll has closed.
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { recordActivity } from '../activity';
import {
	canParticipate,
	canSeePollResults,
	canVoteInPoll,
	isPollOpen,
	type Actor
} from '../policy';
import { loadThreadFacts, type ThreadRecord } from './facts';

export interface PollView {
	id: number;
	question: string;
	multiple: boolean;
	closesAt: Date | null;
	open: boolean;
	voted: boolean;
	canVote: boolean;
	showResults: boolean;
	/** Ballots cast (a member who picks two options is one ballot). */
	ballots: number;
	options: {
		id: number;
		label: string;
		/** Null while results are not shown to this viewer. */
		votes: number | null;
		chosen: boolean;
	}[];
}

export async function getPoll(
	db: Db,
	actor: Actor,
	thread: ThreadRecord,
	now = new Date()
): Promise<PollView | null> {
	const poll = await db
		.selectFrom('poll')
		.select(['id', 'question', 'multiple', 'closes_at'])
		.where('post_id', '=', thread.id)
		.executeTakeFirst();
	if (!poll) {
		return null;
	}
	const viewerId = actor.kind === 'user' ? actor.id : -1;
	const [options, ballots, mine] = await Promise.all([
		db
			.selectFrom('poll_option as o')
			.leftJoin('poll_choice as ch', 'ch.option_id', 'o.id')
			.select(['o.id', 'o.label', (eb) => eb.fn.count<number>('ch.user_id').as('votes')])
			.where('o.poll_id', '=', poll.id)
			.groupBy(['o.id', 'o.label', 'o.position'])
			.orderBy('o.position')
			.execute(),
		db
			.selectFrom('poll_ballot')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('poll_id', '=', poll.id)
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('poll_choice')
			.select('option_id')
			.where('poll_id', '=', poll.id)
			.where('user_id', '=', viewerId)
			.execute()
	]);
	const chosen = new Set(mine.map((r) => r.option_id));
	const voted = chosen.size > 0;
	const open = isPollOpen({ closesAt: poll.closes_at }, thread, now);
	const showResults = canSeePollResults(voted, open);
	return {
		id: poll.id,
		question: poll.question,
		multiple: poll.multiple,
		closesAt: poll.closes_at,
		open,
		voted,
		canVote: !voted && canVoteInPoll(actor, { closesAt: poll.closes_at }, thread, now),
		showResults,
		ballots: ballots.n,
		options: options.map((o) => ({
			id: o.id,
			label: o.label,
			votes: showResults ? Number(o.votes) : null,
			chosen: chosen.has(o.id)
		}))
	};
}

export type BallotResult =
	| { ok: true; path: string }
	| { ok: false; reason: 'not_found' | 'forbidden' | 'closed' | 'already_voted' }
	| { ok: false; reason: 'invalid'; message: string };

/**
 * A member casts their ballot. The ballot row goes in first with `on conflict do nothing`: of
 * two ballots racing, exactly one inserts it; the other finds it taken and stores nothing.
 */
export async function castBallot(
	db: Db,
	actor: Actor,
	input: { postId: number; optionIds: number[] },
	now = new Date()
): Promise<BallotResult> {
	return db.transaction().execute(async (trx): Promise<BallotResult> => {
		const thread = await loadThreadFacts(trx, input.postId);
		if (!thread || thread.deleted) {
			return { ok: false, reason: 'not_found' };
		}
		const poll = await trx
			.selectFrom('poll')
			.select(['id', 'multiple', 'closes_at'])
			.where('post_id', '=', thread.id)
			.executeTakeFirst();
		if (!poll) {
			return { ok: false, reason: 'not_found' };
		}
		if (actor.kind !== 'user') {
			return { ok: false, reason: 'forbidden' };
		}
		if (!canVoteInPoll(actor, { closesAt: poll.closes_at }, thread, now)) {
			return canParticipate(actor, now) && !isPollOpen({ closesAt: poll.closes_at }, thread, now)
				? { ok: false, reason: 'closed' }
				: { ok: false, reason: 'forbidden' };
		}
		const existing = await trx
			.selectFrom('poll_ballot')
			.select('user_id')
			.where('poll_id', '=', poll.id)
			.where('user_id', '=', actor.id)
			.executeTakeFirst();
		if (existing) {
			return { ok: false, reason: 'already_voted' };
		}
		const picked = [...new Set(input.optionIds)];
		if (picked.length === 0) {
			return { ok: false, reason: 'invalid', message: m.discussions_poll_choose_before_voting() };
		}
		if (!poll.multiple && picked.length > 1) {
			return { ok: false, reason: 'invalid', message: m.discussions_poll_one_choice() };
		}
		const known = await trx
			.selectFrom('poll_option')
			.select('id')
			.where('poll_id', '=', poll.id)
			.where('id', 'in', picked)
			.execute();
		if (known.length !== picked.length) {
			return { ok: false, reason: 'invalid', message: m.discussions_poll_choose_options() };
		}
		const ballot = await trx
			.insertInto('poll_ballot')
			.values({ poll_id: poll.id, user_id: actor.id })
			.onConflict((oc) => oc.columns(['poll_id', 'user_id']).doNothing())
			.returning('user_id')
			.executeTakeFirst();
		if (!ballot) {
			return { ok: false, reason: 'already_voted' };
		}
		await trx
			.insertInto('poll_choice')
			.values(
				picked.map((optionId) => ({ poll_id: poll.id, user_id: actor.id, option_id: optionId }))
			)
			.execute();
		await recordActivity(trx, {
			userId: actor.id,
			kind: 'poll_voted',
			postId: thread.id,
			productId: thread.productId,
			data: { pollId: poll.id, options: picked }
		});
		return { ok: true, path: `${thread.path}#poll` };
	});
}
