// The database: Kysely on a pg pool, either to PostgreSQL (DATABASE_URL) or to the embedded
// PGlite. Both go through the same `pg` client, dialect, type parsers and migrations.
import path from 'node:path';
import fs from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { Database } from './schema';
import { typeParsers } from './types';
import { lockDataDir } from './lock';
import { recordQuery } from './query-stats';

export type Db = Kysely<Database>;

/**
 * Holds, until the transaction ends, the lock that serialises whatever must see whether the site
 * is still empty (the first sign-up becomes admin; the demo seeds only an empty site).
 */
export async function lockSiteSetup(trx: Db): Promise<void> {
	await sql`select pg_advisory_xact_lock(hashtext('roundtable:site-setup'))`.execute(trx);
}
export type Backend = 'postgres' | 'pglite';

export interface DatabaseHandle {
	db: Db;
	backend: Backend;
	/** The pg pool under `db`, for libraries that take one (the rate limiter). */
	pool: pg.Pool;
	/** The embedded database itself (PGlite backend only). */
	pglite?: PGlite;
	close(): Promise<void>;
}

export type DatabaseOptions =
	| { url: string; poolSize?: number }
	| {
			/** A folder for the files, or 'memory://' for a throwaway database. */
			dataDir: string;
			/** A dump (PGlite `dumpDataDir`) to start from instead of an empty cluster. */
			loadDataDir?: Blob;
	  };

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
	if ('url' in options) {
		const pool = new pg.Pool({
			connectionString: options.url,
			max: options.poolSize ?? 10,
			types: typeParsers
		});
		// An idle client's network error must not crash the process; the next query reconnects.
		pool.on('error', (error) => console.error('PostgreSQL pool error:', error.message));
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: recordQuery });
		return { db, backend: 'postgres', pool, close: () => db.destroy() };
	}

	const inMemory = options.dataDir.startsWith('memory://');
	const release = inMemory ? () => {} : lockDataDir(options.dataDir);
	try {
		const clusterDir = inMemory ? options.dataDir : path.join(options.dataDir, 'pgdata');
		if (!inMemory) {
			fs.mkdirSync(clusterDir, { recursive: true });
		}
		const pglite = await PGlite.create(clusterDir, {
			extensions: { pg_trgm },
			loadDataDir: options.loadDataDir
		});
		// PGlite is a single connection: a pool of one makes every transaction wait for the
		// previous one instead of interleaving with it.
		const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, types: typeParsers });
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: recordQuery });
		return {
			db,
			backend: 'pglite',
			pool,
			pglite,
			async close() {
				await db.destroy();
				await pglite.close();
				release();
			}
		};
	} catch (error) {
		release();
		throw error;
	}
}
