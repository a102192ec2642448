// Rate limits on help: new threads per member per hour, messages per member per minute, in the
// shared PostgreSQL limiter table (so every app process counts together). Staff are not limited.
import type pg from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { HELP_MESSAGES_PER_MINUTE, HELP_THREADS_PER_HOUR } from '$lib/domain/help';
import { checkLimit, hitLimit, type Limited } from '../rate-limit';
import type { UserActor } from '../policy';

const byPool = new WeakMap<
	pg.Pool,
	{ thread: RateLimiterPostgres; message: RateLimiterPostgres }
>();

function limiter(pool: pg.Pool, keyPrefix: string, points: number, duration: number) {
	return new RateLimiterPostgres({
		storeClient: pool,
		storeType: 'pool',
		tableName: 'rate_limit',
		tableCreated: true,
		keyPrefix,
		points,
		duration,
		clearExpiredByTimeout: false
	});
}

function limitersFor(pool: pg.Pool) {
	let limiters = byPool.get(pool);
	if (!limiters) {
		limiters = {
			thread: limiter(pool, 'help-thread', HELP_THREADS_PER_HOUR, 60 * 60),
			message: limiter(pool, 'help-message', HELP_MESSAGES_PER_MINUTE, 60)
		};
		byPool.set(pool, limiters);
	}
	return limiters;
}

/** Counts one new thread or message by `actor`; says when to retry once over the limit. */
export async function hitHelpLimit(
	pool: pg.Pool,
	actor: UserActor,
	what: 'thread' | 'message'
): Promise<Limited | null> {
	if (actor.role === 'staff' || actor.role === 'admin') {
		return null;
	}
	const limiter = limitersFor(pool)[what];
	const key = `user:${actor.id}`;
	return (await checkLimit(limiter, key)) ?? (await hitLimit(limiter, key));
}
