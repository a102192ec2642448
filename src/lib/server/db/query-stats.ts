// How many SQL statements a request sent and how long they took, told in its Server-Timing header
// (docs/performance.md, "HTTP load"). Kysely's log hook reports each statement; the request's
// tally lives in an AsyncLocalStorage, so domain code passes nothing around.
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import type { LogEvent } from 'kysely';

export interface QueryStats {
	/** Statements sent, BEGIN and COMMIT of a transaction included. */
	count: number;
	/** Their summed time in milliseconds, from send to answer (concurrent ones overlap). */
	durationMs: number;
	/** The statements themselves, kept only when asked for (`trackQueries(fn, true)`). */
	statements?: { sql: string; parameters: readonly unknown[] }[];
}

const current = new AsyncLocalStorage<QueryStats>();

/** Runs `fn` with a fresh tally that every statement sent inside it adds to. */
export function trackQueries<T>(
	fn: () => T,
	keepStatements = false
): { stats: QueryStats; result: T } {
	const stats: QueryStats = { count: 0, durationMs: 0 };
	if (keepStatements) {
		stats.statements = [];
	}
	return { stats, result: current.run(stats, fn) };
}

/** The tally of the request (or `trackQueries` call) the caller runs in, if any. */
export function currentQueryStats(): QueryStats | undefined {
	return current.getStore();
}

/** Kysely's `log` option: adds each statement to the caller's tally; errors count too. */
export function recordQuery(event: LogEvent): void {
	const stats = current.getStore();
	if (!stats) {
		return;
	}
	stats.count += 1;
	stats.durationMs += event.queryDurationMillis;
	stats.statements?.push({ sql: event.query.sql, parameters: event.query.parameters });
}

/** The Server-Timing entry, e.g. `db;dur=12.3;desc="4 queries"`. */
export function serverTimingEntry(stats: QueryStats): string {
	const noun = stats.count === 1 ? 'query' : 'queries';
	return `db;dur=${stats.durationMs.toFixed(1)};desc="${stats.count} ${noun}"`;
}

/**
 * Appends one request's statements, with their parameters, to `file` as a JSON line
 * (SQL_STATEMENT_LOG: for `npm run bench:load`'s database ceiling and for finding a page's queries;
 * never in production, as parameters hold personal data).
 */
export function appendStatementLog(
	file: string,
	request: { method: string; path: string },
	stats: QueryStats
): void {
	const line = JSON.stringify({ ...request, count: stats.count, statements: stats.statements });
	fs.appendFileSync(file, line + '\n');
}
