// PostgreSQL goes away under load (issue 9, fault 6): the built server, with its database behind a
// TCP proxy the test cuts and restores, answers 503 with Retry-After while the database is gone
// (never hangs, never crashes), serves again by itself once it is back, and every idea it
// acknowledged is in the database, whole. The real `pg_ctl stop` version is `npm run bench:faults`.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DatabaseHandle } from '$lib/server/db/index';
import {
	CuttableProxy,
	createPostgresDatabase,
	ideasOf,
	listening,
	postIdea,
	prepareWriter,
	serverEntry,
	startServer,
	type Outcome,
	type ServerProcess,
	type Writer
} from './faults-support';

vi.setConfig({ testTimeout: 120_000 });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(process.env.TEST_DATABASE_URL)('PostgreSQL stops answering under load', () => {
	let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
	let handle: DatabaseHandle;
	let writer: Writer;
	let proxy: CuttableProxy;
	let server: ServerProcess;
	let port = 0;

	beforeAll(async () => {
		if (!fs.existsSync(serverEntry)) {
			throw new Error('No build: run `npm run build` first (npm test does).');
		}
		database = await createPostgresDatabase();
		handle = await openDatabase({ url: database.url, poolSize: 2 });
		writer = await prepareWriter(handle.db);
		const target = new URL(database.url);
		proxy = new CuttableProxy(target.hostname, Number(target.port || 5432));
		const proxied = new URL(database.url);
		proxied.hostname = '127.0.0.1';
		proxied.port = String(await proxy.listen());
		server = startServer({ DATABASE_URL: proxied.toString() });
		port = await listening(server);
	});

	afterAll(async () => {
		server?.stop();
		await proxy?.close();
		await handle?.close();
		await database?.drop();
	});

	it('answers 503 with Retry-After while it is gone, recovers by itself, and keeps every acknowledged idea', async () => {
		const outcomes: (Outcome & { phase: string })[] = [];
		let phase = 'before';
		let running = true;
		let n = 0;
		const worker = async () => {
			while (running) {
				const asked = phase;
				const outcome = await postIdea(port, writer, `Outage test idea ${n++}`);
				outcomes.push({ ...outcome, phase: asked });
				if (outcome.status !== 201) {
					await sleep(25);
				}
			}
		};
		const workers = [1, 2, 3, 4].map(() => worker());
		const acked = () => outcomes.filter((o) => o.status === 201).length;

		// Some ideas are written, and more are on their way, when the database goes.
		while (acked() < 8) {
			await sleep(20);
		}
		await proxy.cut();
		phase = 'outage';
		await sleep(300);
		const alive = (what: string) => (error: unknown) => {
			throw new Error(`${what} failed (${error}); the server said:\n${server.output()}`);
		};
		const page = await fetch(`http://127.0.0.1:${port}/`, {
			headers: { 'accept-language': 'de' }
		}).catch(alive('GET / during the outage'));
		const api = await fetch(`http://127.0.0.1:${port}/api/v1/ideas`).catch(
			alive('GET /api/v1/ideas during the outage')
		);
		// A signed-in reader fails earlier, in the session lookup of hooks.server.ts.
		const signedIn = await fetch(`http://127.0.0.1:${port}/ideas`, {
			headers: { cookie: `session=${'a'.repeat(32)}` }
		}).catch(alive('GET /ideas with a session during the outage'));
		// A client-side navigation reads JSON.
		const navigation = await fetch(`http://127.0.0.1:${port}/__data.json`).catch(
			alive('GET /__data.json during the outage')
		);
		await sleep(1200);

		await proxy.restore();
		phase = 'after';
		const restoredAt = Date.now();
		// Recovered without a restart: new ideas are written again.
		while (!outcomes.some((o) => o.phase === 'after' && o.status === 201)) {
			expect(Date.now() - restoredAt, 'no idea written after the database came back').toBeLessThan(
				30_000
			);
			await sleep(50);
		}
		await sleep(300);
		running = false;
		await Promise.all(workers);

		expect(server.child.exitCode, server.output()).toBeNull();

		// A page: 503, Retry-After, in the reader's language.
		expect(page.status).toBe(503);
		expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(page.headers.get('content-type')).toContain('text/html');
		expect(await page.text()).toContain('erreicht ihre Datenbank gerade nicht');
		expect(signedIn.status).toBe(503);
		expect(await signedIn.text()).toContain('cannot reach its database');
		expect(navigation.status).toBe(503);
		expect(navigation.headers.get('content-type')).toContain('application/json');
		expect(((await navigation.json()) as { message: string }).message).toContain(
			'cannot reach its database'
		);
		// The API: 503 in its own error shape.
		expect(api.status).toBe(503);
		expect(Number(api.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(((await api.json()) as { error: { code: string } }).error.code).toBe('unavailable');

		// Every answer was a write or a 503 with Retry-After: no 500, no hang, no dropped connection.
		const unexpected = outcomes.filter(
			(o) => o.status !== 201 && !(o.status === 503 && Number(o.retryAfter) > 0)
		);
		expect(unexpected, JSON.stringify(unexpected.slice(0, 3))).toEqual([]);
		expect(outcomes.filter((o) => o.phase === 'outage' && o.status === 503).length).toBeGreaterThan(
			0
		);

		// Every acknowledged idea is there, with the vote, activity and subscription written with it;
		// and no idea (acknowledged or cut off mid-way) is there in part.
		const stored = await ideasOf(handle.db, writer);
		const storedIds = new Set(stored.map((idea) => idea.id));
		const ackedIds = outcomes.flatMap((o) => (o.id === undefined ? [] : [o.id]));
		expect(ackedIds.filter((id) => !storedIds.has(id))).toEqual([]);
		for (const idea of stored) {
			expect(idea, `idea ${idea.id} is not whole`).toMatchObject({
				votes: 1,
				posted: 1,
				voteActivity: 1,
				follows: 1
			});
		}
		expect(server.output()).toContain('database unavailable');
	});
});
