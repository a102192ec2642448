// The built server and CLI as processes: start-up, the data-dir lock, SIGTERM, migrations from
// the build. Needs `npm run build` first (npm test builds).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// Each test starts real processes on a new embedded database (create, migrate, seed): seconds
// each, and many more on a busy CI machine.
vi.setConfig({ testTimeout: 120_000 });

const root = path.resolve(import.meta.dirname, '../..');
const serverEntry = path.join(root, 'build/index.js');
const cliEntry = path.join(root, 'build/cli/cli.js');
const migrationNames = fs
	.readdirSync(path.join(root, 'migrations'))
	.filter((file) => file.endsWith('.ts'))
	.map((file) => file.replace(/\.ts$/, ''))
	.sort();
const appliedAll = `Applied ${migrationNames.length} migration(s): ${migrationNames.join(', ')}`;

interface Running {
	child: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

function run(entry: string, args: string[], env: Record<string, string>): Running {
	const child = spawn(process.execPath, [entry, ...args], {
		cwd: root,
		env: { PATH: process.env.PATH, NODE_ENV: 'production', SHUTDOWN_TIMEOUT: '3', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	started.push(child);
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, output: () => output, exited };
}

async function waitFor(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

function serve(env: Record<string, string>): Running & { port: () => number } {
	const server = run(serverEntry, [], { PORT: '0', HOST: '127.0.0.1', ...env });
	return {
		...server,
		port: () => Number(/Listening on http:\/\/[^:]+:(\d+)/.exec(server.output())?.[1])
	};
}

async function listening(server: ReturnType<typeof serve>): Promise<number> {
	await waitFor(() => server.port() > 0 || server.child.exitCode !== null, 'the server to listen');
	expect(server.output()).toContain('Listening on');
	return server.port();
}

function tempDir(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-process-'));
}

beforeAll(() => {
	if (!fs.existsSync(serverEntry) || !fs.existsSync(cliEntry)) {
		throw new Error('No build: run `npm run build` first (npm test does).');
	}
});

afterEach(() => {
	for (const child of started.splice(0)) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
		}
	}
});

describe('the built server on the embedded database', () => {
	it('seeds a new database, refuses a second process on the same folder, and stops on SIGTERM within 5 s', async () => {
		const dataDir = tempDir();
		const server = serve({ DATA_DIR: dataDir });
		const port = await listening(server);
		expect(server.output()).toMatch(/Demo accounts/);
		expect(server.output()).toMatch(/admin\s+admin@roundtable\.example\s+\S+\s+\S{16,}/);
		const home = await fetch(`http://127.0.0.1:${port}/`);
		expect(await home.text()).toContain('Roundtable Analytics');
		// The home page reads the catalog: its statements are counted in Server-Timing.
		expect(home.headers.get('server-timing')).toMatch(
			/^db;dur=\d+\.\d;desc="[1-9]\d* quer(y|ies)"$/
		);
		expect(fs.existsSync(path.join(dataDir, 'roundtable.lock'))).toBe(true);

		const second = serve({ DATA_DIR: dataDir });
		const startedAt = Date.now();
		expect(await second.exited).toBe(1);
		expect(Date.now() - startedAt).toBeLessThan(5_000);
		expect(second.output()).toContain(
			`Roundtable could not start: The embedded database in ${path.resolve(dataDir)} is in use by another Roundtable process (pid ${server.child.pid})`
		);
		expect(second.output()).not.toMatch(/\n\s+at /); // one clear line, no stack trace

		const stopping = Date.now();
		server.child.kill('SIGTERM');
		expect(await server.exited).toBe(0);
		expect(Date.now() - stopping).toBeLessThan(5_000);
		expect(server.output()).toContain('Database closed.');
		expect(fs.existsSync(path.join(dataDir, 'roundtable.lock'))).toBe(false);

		// Reopened: the data is still there, and the demo is not seeded twice.
		const again = serve({ DATA_DIR: dataDir });
		const portAgain = await listening(again);
		expect(again.output()).not.toMatch(/Demo accounts/);
		expect(await (await fetch(`http://127.0.0.1:${portAgain}/`)).text()).toContain(
			'Roundtable Analytics'
		);
		again.child.kill('SIGTERM');
		expect(await again.exited).toBe(0);
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it('takes over a lock left by a process that died', async () => {
		const dataDir = tempDir();
		const dead = spawn(process.execPath, ['-e', '0']);
		await new Promise((resolve) => dead.on('exit', resolve));
		fs.writeFileSync(path.join(dataDir, 'roundtable.lock'), String(dead.pid));
		const result = run(cliEntry, ['migrate'], { DATA_DIR: dataDir });
		expect(await result.exited).toBe(0);
		expect(result.output()).toContain(appliedAll);
		fs.rmSync(dataDir, { recursive: true, force: true });
	});
});

describe('npm run db:migrate (the built CLI)', () => {
	it('migrates a new embedded database, then finds it up to date', async () => {
		const dataDir = tempDir();
		const first = run(cliEntry, ['migrate'], { DATA_DIR: dataDir });
		expect(await first.exited).toBe(0);
		expect(first.output()).toContain(appliedAll);
		const second = run(cliEntry, ['migrate'], { DATA_DIR: dataDir });
		expect(await second.exited).toBe(0);
		expect(second.output()).toContain('The schema is up to date.');
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it('rejects an unknown command with its usage', async () => {
		const result = run(cliEntry, ['frobnicate'], { DATA_DIR: tempDir() });
		expect(await result.exited).toBe(2);
		expect(result.output()).toContain('usage: cli.js migrate | seed');
	});
});

describe.runIf(process.env.TEST_DATABASE_URL)('on a PostgreSQL server', () => {
	const name = `rt_proc_${process.pid}_${Date.now().toString(36)}`;
	const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
	let url = '';

	beforeAll(async () => {
		await admin.connect();
		await admin.query(`create database ${name}`);
		const u = new URL(process.env.TEST_DATABASE_URL!);
		u.pathname = `/${name}`;
		url = u.toString();
	});

	afterAll(async () => {
		await admin.query(`drop database if exists ${name} with (force)`);
		await admin.end();
	});

	it('migrates safely when several processes start together', async () => {
		const runs = [1, 2, 3].map(() => run(cliEntry, ['migrate'], { DATABASE_URL: url }));
		expect(await Promise.all(runs.map((r) => r.exited))).toEqual([0, 0, 0]);
		const applied = runs.filter((r) => r.output().includes(appliedAll));
		expect(applied).toHaveLength(1);
		const db = new pg.Client({ connectionString: url });
		await db.connect();
		const { rows } = await db.query('select name from kysely_migration order by name');
		await db.end();
		expect(rows.map((r) => r.name)).toEqual(migrationNames);
	});

	it('serves without seeding the demo unless asked', async () => {
		const server = serve({ DATABASE_URL: url });
		const port = await listening(server);
		expect(server.output()).not.toMatch(/Demo accounts/);
		expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain('No products yet');
		server.child.kill('SIGTERM');
		expect(await server.exited).toBe(0);

		const seed = run(cliEntry, ['seed'], { DATABASE_URL: url });
		expect(await seed.exited).toBe(0);
		expect(seed.output()).toMatch(/Demo accounts/);
	});
});
