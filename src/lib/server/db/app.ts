// This process's database: opened, migrated and (on a new embedded database) seeded once at
// start-up by the server's init hook or the CLI, closed on shutdown.
import { config } from '../config';
import { openDatabase, type Db, type DatabaseHandle } from './index';
import { migrateToLatest } from './migrator';

let handle: DatabaseHandle | undefined;

export interface StartResult {
	handle: DatabaseHandle;
	applied: string[];
}

/** Opens and migrates the configured database. Nothing is kept from a failed start: a retry starts over. */
export async function startDatabase(): Promise<StartResult> {
	if (handle) {
		return { handle, applied: [] };
	}
	const cfg = config();
	const opened = await openDatabase(
		cfg.DATABASE_URL
			? { url: cfg.DATABASE_URL, poolSize: cfg.DATABASE_POOL_SIZE }
			: { dataDir: cfg.DATA_DIR }
	);
	try {
		const applied = await migrateToLatest(opened.db);
		handle = opened;
		return { handle, applied };
	} catch (error) {
		await opened.close();
		throw error;
	}
}

export function getDatabase(): DatabaseHandle {
	if (!handle) {
		throw new Error('The database is not started (startDatabase() runs in the init hook)');
	}
	return handle;
}

/** The Kysely instance routes pass to domain functions. */
export function getDb(): Db {
	return getDatabase().db;
}

export async function stopDatabase(): Promise<void> {
	const closing = handle;
	handle = undefined;
	await closing?.close();
}
