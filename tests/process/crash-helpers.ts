// Shared by the crash tests: the built server as a child process, and an embedded data folder
// prepared from the migrated test template (no demo: seconds faster than a first start).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db/index';

export const root = path.resolve(import.meta.dirname, '../..');
export const serverEntry = path.join(root, 'build/index.js');

export interface Server {
	child: ChildProcess;
	output: () => string;
	exited: Promise<void>;
	port: () => number;
}

const started: ChildProcess[] = [];

/** The built server on `dataDir` (no demo), with `env` on top. */
export function serve(dataDir: string, env: Record<string, string> = {}): Server {
	const child = spawn(process.execPath, [serverEntry], {
		cwd: root,
		env: {
			PATH: process.env.PATH,
			NODE_ENV: 'production',
			SHUTDOWN_TIMEOUT: '3',
			PORT: '0',
			HOST: '127.0.0.1',
			ORIGIN: 'http://127.0.0.1',
			DATA_DIR: dataDir,
			SEED_DEMO: 'false',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	started.push(child);
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
	return {
		child,
		output: () => output,
		exited,
		port: () => Number(/Listening on http:\/\/[^:]+:(\d+)/.exec(output)?.[1])
	};
}

export async function listening(server: Server): Promise<number> {
	const deadline = Date.now() + 60_000;
	while (!(server.port() > 0)) {
		if (server.child.exitCode !== null || Date.now() > deadline) {
			throw new Error(`the server did not start:\n${server.output()}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	return server.port();
}

export async function stop(server: Server): Promise<void> {
	server.child.kill('SIGTERM');
	await server.exited;
}

/** Kills every server still running (afterEach). */
export function killAll(): void {
	for (const child of started.splice(0)) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
		}
	}
}

/** A new data folder holding the migrated template, after `setup` has run on it. */
export async function prepareDataDir<T>(setup: (db: Db) => Promise<T>): Promise<[string, T]> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-crash-'));
	const dump = fs.readFileSync(inject('pgliteTemplate'));
	const handle = await openDatabase({ dataDir, loadDataDir: new Blob([dump]) });
	try {
		return [dataDir, await setup(handle.db)];
	} finally {
		await handle.close();
	}
}

/** Runs `read` on the (stopped) server's data folder. */
export async function readDataDir<T>(dataDir: string, read: (db: Db) => Promise<T>): Promise<T> {
	const handle = await openDatabase({ dataDir });
	try {
		return await read(handle.db);
	} finally {
		await handle.close();
	}
}
