// Rate limits kept in PostgreSQL (rate-limiter-flexible's store on the shared `rate_limit`
// table), so every app process sees the same counts.
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from './config';
import type { Db } from './db';

export interface RateLimits {
	/** Failed sign-ins per account. */
	signInAccount: RateLimiterPostgres;
	/** Failed sign-ins per client IP. */
	signInIp: RateLimiterPostgres;
	/** Accounts created per client IP. */
	signUpIp: RateLimiterPostgres;
	/** Password-reset emails per address. */
	resetEmail: RateLimiterPostgres;
	/** Password-reset requests per client IP. */
	resetIp: RateLimiterPostgres;
	/** Verification emails a member asks to be sent again, per account. */
	verifyEmail: RateLimiterPostgres;
}

export interface Limited {
	retryAfterSeconds: number;
}

function limiter(
	pool: pg.Pool,
	keyPrefix: string,
	points: number,
	durationSeconds: number
): RateLimiterPostgres {
	return new RateLimiterPostgres({
		storeClient: pool,
		storeType: 'pool',
		tableName: 'rate_limit',
		tableCreated: true, // by the foundation migration
		keyPrefix,
		points,
		duration: durationSeconds,
		// Expired rows are purged by the hourly `rate-limit-purge` job (purgeExpiredRateLimits).
		clearExpiredByTimeout: false
	});
}

export function createRateLimits(
	pool: pg.Pool,
	cfg: Pick<Config, 'SIGNIN_FAILURES_PER_IP' | 'SIGNUPS_PER_IP'>
): RateLimits {
	return {
		signInAccount: limiter(pool, 'signin-account', 5, 15 * 60),
		signInIp: limiter(pool, 'signin-ip', cfg.SIGNIN_FAILURES_PER_IP, 15 * 60),
		signUpIp: limiter(pool, 'signup-ip', cfg.SIGNUPS_PER_IP, 60 * 60),
		resetEmail: limiter(pool, 'reset-email', 3, 60 * 60),
		resetIp: limiter(pool, 'reset-ip', 10, 60 * 60),
		verifyEmail: limiter(pool, 'verify-email', 3, 60 * 60)
	};
}

/**
 * The `rate-limit-purge` job: deletes the rows of the shared table that expired over an hour
 * ago (the limiters ignore expired rows anyway; this only keeps the table small).
 */
export async function purgeExpiredRateLimits(db: Db, now = Date.now()): Promise<number> {
	const result = await db
		.deleteFrom('rate_limit')
		.where('expire', '<', now - 60 * 60 * 1000)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

function limitedFor(res: RateLimiterRes): Limited {
	return { retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/** Whether `key` is already over the limit, without counting this attempt. */
export async function checkLimit(
	limiter: RateLimiterPostgres,
	key: string
): Promise<Limited | null> {
	const res = await limiter.get(key);
	return res && res.consumedPoints >= limiter.points ? limitedFor(res) : null;
}

/** Counts one attempt for `key`; says so when that went over the limit. */
export async function hitLimit(limiter: RateLimiterPostgres, key: string): Promise<Limited | null> {
	try {
		await limiter.consume(key);
		return null;
	} catch (rejection) {
		if (rejection instanceof RateLimiterRes) {
			return limitedFor(rejection);
		}
		throw rejection;
	}
}

/** Takes back one attempt counted for `key` (an attempt that turned out to be allowed). */
export async function refundLimit(limiter: RateLimiterPostgres, key: string): Promise<void> {
	await limiter.reward(key);
}

export async function resetLimit(limiter: RateLimiterPostgres, key: string): Promise<void> {
	await limiter.delete(key);
}

/** "in 14 minutes", "in 40 seconds": for messages that say when to retry. */
export function retryPhrase(seconds: number): string {
	if (seconds < 90) {
		return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
	}
	const minutes = Math.ceil(seconds / 60);
	return `in ${minutes} minutes`;
}

const byPool = new WeakMap<pg.Pool, RateLimits>();

/** The limiters over a database's pool, created once per pool. */
export function rateLimitsFor(
	pool: pg.Pool,
	cfg: Pick<Config, 'SIGNIN_FAILURES_PER_IP' | 'SIGNUPS_PER_IP'>
): RateLimits {
	let limits = byPool.get(pool);
	if (!limits) {
		limits = createRateLimits(pool, cfg);
		byPool.set(pool, limits);
	}
	return limits;
}
