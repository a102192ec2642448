// Background jobs on pg-boss, in the app's own database (PostgreSQL or the embedded PGlite).
// pg-boss never opens a connection of its own here: every query goes through our pool (or the
// caller's transaction), which is what makes it work on PGlite's single connection. The queues
// and their retry policies are created by the migration `2026-11-23T0900_jobs_email`.
import { CompiledQuery, sql } from 'kysely';
import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Db } from '../db';

export const QUEUES = [
	'notification-email',
	'password-reset-email',
	'digest-email',
	'digest-weekly',
	'rate-limit-purge',
	'webhook-delivery',
	'verify-email'
] as const;
export type QueueName = (typeof QUEUES)[number];

/** Cron schedules (UTC) of the scheduled queues. */
export const SCHEDULES: Partial<Record<QueueName, string>> = {
	// Mondays 08:00 UTC: the week that just ended.
	'digest-weekly': '0 8 * * 1',
	// Hourly: expired rate-limit rows.
	'rate-limit-purge': '17 * * * *'
};

/** pg-boss's query interface over a Kysely instance or transaction. */
function executorFor(db: Db): PgBoss.Db {
	return {
		async executeSql(text: string, values: unknown[] = []) {
			const result = await db.executeQuery(CompiledQuery.raw(text, values));
			return { rows: result.rows as unknown[] as never[] };
		}
	};
}

function executorForPool(pool: pg.Pool): PgBoss.Db {
	return {
		async executeSql(text: string, values?: unknown[]) {
			const result = await pool.query(text, values);
			return { rows: result.rows };
		}
	};
}

// Only builds the insert statements: it is never started, and every call passes its own `db`.
const producer = new PgBoss({
	db: {
		executeSql: () => Promise.reject(new Error('jobs are enqueued with a transaction'))
	}
});

export interface NewJob {
	name: QueueName;
	data: Record<string, unknown>;
	/** Not before this time. */
	startAfter?: Date;
}

/**
 * Enqueues jobs with the given transaction, so they exist exactly when the act that caused them
 * commits. Retries and their backoff come from the queue (see the migration).
 */
export async function enqueue(trx: Db, jobs: NewJob[]): Promise<void> {
	if (jobs.length === 0) {
		return;
	}
	// pg-boss's batch insert skips, silently, a job whose queue does not exist: check first
	// rather than lose mail (the queues come from the migration).
	const names = [...new Set(jobs.map((job) => job.name))];
	const known = await sql<{
		name: string;
	}>`select name from pgboss.queue where name = any(${names})`.execute(trx);
	const missing = names.filter((name) => !known.rows.some((row) => row.name === name));
	if (missing.length > 0) {
		throw new Error(`No job queue named ${missing.join(', ')}: is the database migrated?`);
	}
	await producer.insert(
		jobs.map((job) => ({ name: job.name, data: job.data, startAfter: job.startAfter })),
		{ db: executorFor(trx) }
	);
}

/** The attempt of a job a handler runs: pg-boss's job id and how many times it was retried. */
export interface JobRun {
	id: string;
	retryCount: number;
}

export type JobHandler = (data: Record<string, unknown>, run: JobRun) => Promise<void>;
export type JobHandlers = Record<QueueName, JobHandler>;

export interface JobWorker {
	/** Stops fetching, waits (up to `timeoutMs`) for running jobs, and clears every timer. */
	stop(timeoutMs?: number): Promise<void>;
}

export interface WorkerOptions {
	/** How often each queue is polled (pg-boss's minimum is 0.5). */
	pollingIntervalSeconds?: number;
	/** Registers the cron schedules (the app does; tests that drive jobs directly need not). */
	schedule?: boolean;
	/** Jobs fetched per poll of a queue (worked one after another). */
	batchSize?: number;
	/**
	 * Puts back every job left `active` (for a retry now) before working: only for a database no
	 * other process can work, i.e. the embedded one, where such a job's worker has died.
	 */
	reclaimActive?: boolean;
	onError?: (error: Error) => void;
}

/**
 * Starts pg-boss over the pool and works every queue with its handler. A handler that throws
 * fails its job, which pg-boss retries with exponential backoff until the queue's retry limit;
 * the other jobs of the batch go on.
 */
export async function startJobWorker(
	pool: pg.Pool,
	handlers: JobHandlers,
	options: WorkerOptions = {}
): Promise<JobWorker> {
	const schedule = options.schedule ?? true;
	const boss = new PgBoss({
		db: executorForPool(pool),
		schedule,
		supervise: true,
		migrate: true
	});
	boss.on('error', options.onError ?? ((error) => console.error('Job queue:', error.message)));
	await boss.start();
	if (options.reclaimActive) {
		const reclaimed = await pool.query(
			`update pgboss.job
			set state = case when retry_count < retry_limit then 'retry' else 'failed' end::pgboss.job_state,
				start_after = now()
			where state = 'active'`
		);
		if (reclaimed.rowCount) {
			console.log(`Jobs: ${reclaimed.rowCount} left running by a stopped process will run again.`);
		}
	}
	try {
		for (const name of QUEUES) {
			const handler = handlers[name];
			await boss.work<Record<string, unknown>>(
				name,
				{
					pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
					batchSize: options.batchSize ?? 10,
					includeMetadata: true
				},
				async (jobs) => {
					// One at a time, each completed or failed as soon as it ends, so a worker that dies
					// mid-batch leaves only the unfinished jobs to run again (pg-boss would complete
					// the whole batch once this returns; it skips jobs no longer active).
					for (const job of jobs) {
						try {
							await handler(job.data ?? {}, { id: job.id, retryCount: job.retryCount });
							await boss.complete(name, job.id);
						} catch (error) {
							const reason = error instanceof Error ? error.message : String(error);
							await boss.fail(name, job.id, { message: reason });
						}
					}
				}
			);
		}
		if (schedule) {
			for (const [name, cron] of Object.entries(SCHEDULES)) {
				await boss.schedule(name, cron, {}, { tz: 'UTC' });
			}
		}
	} catch (error) {
		await boss.stop({ graceful: false, wait: true });
		throw error;
	}
	return {
		async stop(timeoutMs = 10_000) {
			await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
		}
	};
}
