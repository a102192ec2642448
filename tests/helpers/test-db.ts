// A fresh, migrated database per test file on each backend: PGlite always, PostgreSQL when
// TEST_DATABASE_URL is set. Use inside `describe.each(backends)`.
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { openDatabase, type Backend, type DatabaseHandle, type Db } from '$lib/server/db/index';

export const backends: Backend[] = process.env.TEST_DATABASE_URL
	? ['pglite', 'postgres']
	: ['pglite'];

function databaseUrl(name: string): string {
	const url = new URL(process.env.TEST_DATABASE_URL!);
	url.pathname = `/${name}`;
	return url.toString();
}

export async function createTestDatabase(backend: Backend, poolSize = 10): Promise<DatabaseHandle> {
	if (backend === 'pglite') {
		const dump = fs.readFileSync(inject('pgliteTemplate'));
		return openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([dump]) });
	}
	const template = inject('postgresTemplate');
	if (!template) {
		throw new Error('TEST_DATABASE_URL is not set');
	}
	const name = `${template}_${Math.random().toString(36).slice(2, 10)}`;
	const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
	await admin.connect();
	try {
		await admin.query(`create database ${name} template ${template}`);
	} finally {
		await admin.end();
	}
	const handle = await openDatabase({ url: databaseUrl(name), poolSize });
	return {
		...handle,
		async close() {
			await handle.close();
			const cleanup = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
			await cleanup.connect();
			await cleanup.query(`drop database if exists ${name} with (force)`);
			await cleanup.end();
		}
	};
}

/** Opens a test database before the file's tests and closes it after them. */
export function useTestDatabase(backend: Backend): {
	readonly db: Db;
	readonly handle: DatabaseHandle;
} {
	let handle: DatabaseHandle | undefined;
	beforeAll(async () => {
		handle = await createTestDatabase(backend);
	});
	afterAll(async () => {
		await handle?.close();
	});
	return {
		get handle() {
			if (!handle) {
				throw new Error('test database not open yet');
			}
			return handle;
		},
		get db() {
			return this.handle.db;
		}
	};
}
