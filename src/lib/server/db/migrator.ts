// Applies the migrations in /migrations. They are bundled into the build through Vite's glob
// import, so the built server and the CLI migrate without the TypeScript sources.
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

// Migrations run against whatever the schema is at their point in history, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySchema = Kysely<any>;

const modules = import.meta.glob<Migration>('/migrations/*.ts', { eager: true });

export const migrations: Record<string, Migration> = Object.fromEntries(
	Object.entries(modules).map(([file, migration]) => [
		file.replace(/^.*\//, '').replace(/\.ts$/, ''),
		migration
	])
);

export function createMigrator(db: AnySchema): Migrator {
	return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function failOn(result: MigrationResultSet): string[] {
	if (result.error) {
		const failed = result.results?.find((r) => r.status === 'Error');
		const cause = result.error instanceof Error ? result.error.message : String(result.error);
		throw new Error(`Migration ${failed?.migrationName ?? '(setup)'} failed: ${cause}`, {
			cause: result.error
		});
	}
	return (result.results ?? []).map((r) => r.migrationName);
}

/**
 * Brings the schema up to date; returns the names applied. Safe when several processes start
 * together: Kysely holds a PostgreSQL advisory lock while it migrates.
 */
export async function migrateToLatest(db: AnySchema): Promise<string[]> {
	return failOn(await createMigrator(db).migrateToLatest());
}

export async function migrateDown(db: AnySchema): Promise<string[]> {
	return failOn(await createMigrator(db).migrateDown());
}
