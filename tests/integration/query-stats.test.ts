// The per-request query tally behind the Server-Timing header (src/lib/server/db/query-stats.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
	appendStatementLog,
	currentQueryStats,
	serverTimingEntry,
	trackQueries
} from '$lib/server/db/query-stats';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('query stats on %s', (backend) => {
	const t = useTestDatabase(backend);

	it('counts each statement sent inside the tracked call, and its time', async () => {
		const { stats, result } = trackQueries(async () => {
			await sql`select 1`.execute(t.db);
			await t.db.selectFrom('app_user').select('id').limit(1).execute();
			return 'done';
		});
		expect(await result).toBe('done');
		expect(stats.count).toBe(2);
		expect(stats.durationMs).toBeGreaterThan(0);
		expect(stats.statements).toBeUndefined();
	});

	it('counts the BEGIN and COMMIT of a transaction', async () => {
		const { stats, result } = trackQueries(() =>
			t.db.transaction().execute(async (trx) => {
				await sql`select 1`.execute(trx);
			})
		);
		await result;
		expect(stats.count).toBe(3);
	});

	it('keeps concurrent requests apart', async () => {
		const one = trackQueries(async () => {
			await sql`select 1`.execute(t.db);
		});
		const three = trackQueries(async () => {
			await Promise.all([1, 2, 3].map(() => sql`select 1`.execute(t.db)));
		});
		await Promise.all([one.result, three.result]);
		expect(one.stats.count).toBe(1);
		expect(three.stats.count).toBe(3);
	});

	it('counts nothing outside a tracked call', async () => {
		expect(currentQueryStats()).toBeUndefined();
		await sql`select 1`.execute(t.db);
		expect(currentQueryStats()).toBeUndefined();
	});

	it('keeps the statements and their parameters when asked, and logs them as JSON lines', async () => {
		const { stats, result } = trackQueries(async () => {
			await t.db.selectFrom('app_user').select('id').where('handle', '=', 'nobody').execute();
		}, true);
		await result;
		expect(stats.statements).toEqual([
			{ sql: expect.stringContaining('from "app_user"'), parameters: ['nobody'] }
		]);
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stmts-')), 'log.jsonl');
		appendStatementLog(file, { method: 'GET', path: '/ideas' }, stats);
		const line = JSON.parse(fs.readFileSync(file, 'utf8').trim());
		expect(line).toMatchObject({ method: 'GET', path: '/ideas', count: 1 });
		expect(line.statements[0].parameters).toEqual(['nobody']);
	});
});

describe('serverTimingEntry', () => {
	it('says the count and the summed time', () => {
		expect(serverTimingEntry({ count: 4, durationMs: 12.34 })).toBe('db;dur=12.3;desc="4 queries"');
		expect(serverTimingEntry({ count: 1, durationMs: 0.5 })).toBe('db;dur=0.5;desc="1 query"');
	});
});
