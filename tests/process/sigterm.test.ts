// SIGTERM under load (issue 9, fault 7): the built server gets SIGTERM in the middle of a burst of
// idea posts (each a multi-statement transaction: the idea, its vote, two activity rows, the
// author's subscription). Requests already running finish; every request either was answered 201
// and its idea is in the database, or was refused or cut off and wrote nothing; no idea is there
// in part; and the process exits with code 0 within 10 s. On the embedded database and on PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DatabaseHandle } from '$lib/server/db/index';
import {
	createPostgresDatabase,
	ideasOf,
	listening,
	openEmbeddedDatabase,
	postIdea,
	prepareWriter,
	serverEntry,
	startServer,
	type Outcome,
	type ServerProcess,
	type Writer
} from './faults-support';

vi.setConfig({ testTimeout: 120_000 });

const BURST = 40;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) {
		await cleanup();
	}
});

interface Backend {
	/** Prepares a database with a writer; `env` points the server at it. */
	prepare(): Promise<{
		writer: Writer;
		env: Record<string, string>;
		reopen(): Promise<DatabaseHandle>;
	}>;
}

const embedded: Backend = {
	async prepare() {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-sigterm-'));
		cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
		const handle = await openEmbeddedDatabase(dataDir);
		const writer = await prepareWriter(handle.db);
		// One process per data dir: the server opens it next.
		await handle.close();
		return {
			writer,
			env: { DATA_DIR: dataDir },
			reopen: () => openDatabase({ dataDir })
		};
	}
};

const postgres: Backend = {
	async prepare() {
		const database = await createPostgresDatabase();
		cleanups.push(() => database.drop());
		const handle = await openDatabase({ url: database.url, poolSize: 2 });
		const writer = await prepareWriter(handle.db);
		await handle.close();
		return {
			writer,
			env: { DATABASE_URL: database.url },
			reopen: () => openDatabase({ url: database.url, poolSize: 2 })
		};
	}
};

const backends: [string, Backend][] = [['the embedded database', embedded]];
if (process.env.TEST_DATABASE_URL) {
	backends.push(['PostgreSQL', postgres]);
}

describe.each(backends)('SIGTERM under load on %s', (_, backend) => {
	it('finishes what is running, writes nothing in part, and exits with 0 within 10 s', async () => {
		if (!fs.existsSync(serverEntry)) {
			throw new Error('No build: run `npm run build` first (npm test does).');
		}
		const t0 = Date.now();
		const marks: Record<string, number> = {};
		const { writer, env, reopen } = await backend.prepare();
		marks.prepared = Date.now() - t0;
		const server: ServerProcess = startServer(env);
		cleanups.push(() => server.stop());
		const port = await listening(server);
		marks.listening = Date.now() - t0;
		// Warm up (the first request compiles and caches), so the burst is all in flight at once.
		expect((await postIdea(port, writer, 'SIGTERM warm-up')).status).toBe(201);

		marks.warm = Date.now() - t0;
		const outcomes: (Outcome & { answeredAt: number })[] = [];
		const send = (title: string) =>
			postIdea(port, writer, title).then((outcome) =>
				outcomes.push({ ...outcome, answeredAt: Date.now() })
			);
		const burst = Array.from({ length: BURST }, (_, i) => send(`SIGTERM burst ${i}`));
		// SIGTERM as soon as the first of the burst is answered: the rest are running or queued.
		while (outcomes.length === 0) {
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		const signalledAt = Date.now();
		server.child.kill('SIGTERM');
		// Asked after the signal: refused or answered, never half-written.
		const late = Array.from({ length: 5 }, (_, i) => send(`SIGTERM late ${i}`));
		const exit = await server.exited;
		const exitedAfter = Date.now() - signalledAt;
		await Promise.all([...burst, ...late]);

		expect(exit, server.output()).toEqual({ code: 0, signal: null });
		expect(exitedAfter).toBeLessThan(10_000);
		expect(server.output()).toContain('Database closed.');
		// Requests that were running when the signal came were finished, not dropped.
		expect(
			outcomes.filter((o) => o.status === 201 && o.answeredAt > signalledAt).length
		).toBeGreaterThan(0);

		if (process.env.FAULTS_VERBOSE) {
			const count = (status: Outcome['status']) =>
				outcomes.filter((o) => o.status === status).length;
			console.log(
				`SIGTERM: 201 ×${count(201)}, failed ×${count('failed')}, other ×${outcomes.length - count(201) - count('failed')}; exited after ${exitedAfter} ms; timings ${JSON.stringify(marks)}`,
				outcomes.map((o) => `${o.status} +${o.answeredAt - signalledAt} ${o.error ?? ''}`)
			);
		}
		const handle = await reopen();
		cleanups.push(() => handle.close());
		const stored = await ideasOf(handle.db, writer);
		const storedTitles = new Set(stored.map((idea) => idea.title));
		for (const outcome of outcomes) {
			if (outcome.status === 201) {
				expect(
					stored.some((idea) => idea.id === outcome.id),
					`${outcome.title} was acknowledged`
				).toBe(true);
			} else {
				expect(
					storedTitles.has(outcome.title),
					`${outcome.title} was answered ${outcome.status} (${outcome.error}) but written`
				).toBe(false);
			}
		}
		for (const idea of stored) {
			expect(idea, `idea ${idea.id} is not whole`).toMatchObject({
				votes: 1,
				posted: 1,
				voteActivity: 1,
				follows: 1
			});
		}
	});
});
