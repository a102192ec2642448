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
	| {
			url: string;
			poolSize?: number;
			/** How long to wait for a connection (a new one, or a free one of the pool). */
			connectTimeoutMs?: number;
	  }
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
			// While the server is down or every connection is busy, a request fails after this long
			// (answered 503, hooks.server.ts) instead of waiting without end.
			connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
			types: typeParsers
		});
		// A connection's network error must not crash the process, whether the connection is idle
		// in the pool or checked out (in a transaction, between two statements): an 'error' event
		// nobody listens to ends the process, and the pool listens only to idle connections. The
		// failed statement rejects on its own; the pool drops the broken connection and opens a
		// new one for the next query, so the app recovers by itself when the server is back.
		pool.on('connect', (client) => {
			client.on('error', (error) => console.error('PostgreSQL connection lost:', error.message));
		});
		// Also re-emitted by the pool for idle connections: already logged just above.
		pool.on('error', () => {});
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
