// Runs once before the vitest suite: prepares a migrated template for each backend, so each test
// file gets a fresh database in well under a second instead of migrating from scratch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/lib/server/db/index';
import { migrateToLatest } from '../../src/lib/server/db/migrator';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
		postgresTemplate: string | null;
	}
}

async function pgliteTemplate(dir: string): Promise<string> {
	const handle = await openDatabase({ dataDir: 'memory://template' });
	await migrateToLatest(handle.db);
	const dump = await handle.pglite!.dumpDataDir('none');
	const file = path.join(dir, 'template.tar');
	fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
	await handle.close();
	return file;
}

async function postgresTemplate(url: string): Promise<{ name: string; drop(): Promise<void> }> {
	// Test databases are named after their template, so a run drops only its own.
	const name = `rt_t${process.pid}x${Date.now().toString(36)}`;
	const admin = new pg.Client({ connectionString: url });
	await admin.connect();
	await admin.query(`create database ${name}`);
	const templateUrl = new URL(url);
	templateUrl.pathname = `/${name}`;
	const handle = await openDatabase({ url: templateUrl.toString(), poolSize: 1 });
	await migrateToLatest(handle.db);
	await handle.close();
	return {
		name,
		async drop() {
			const { rows } = await admin.query<{ datname: string }>(
				`select datname from pg_database where datname like $1 order by datname = $2`,
				[`${name}%`, name]
			);
			// The template last: it cannot be dropped while copies are being made from it.
			for (const row of rows) {
				await admin.query(`drop database if exists ${row.datname} with (force)`);
			}
			await admin.end();
		}
	};
}

export default async function setup(project: TestProject) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-test-'));
	project.provide('pgliteTemplate', await pgliteTemplate(dir));
	const url = process.env.TEST_DATABASE_URL;
	const postgres = url ? await postgresTemplate(url) : null;
	project.provide('postgresTemplate', postgres?.name ?? null);
	return async () => {
		await postgres?.drop();
		fs.rmSync(dir, { recursive: true, force: true });
	};
}
