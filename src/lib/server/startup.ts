// What the server does once before its first request: open and migrate the database, seed the
// demo on a new embedded database, and close the database again on shutdown.
import { config } from './config';
import { startDatabase, stopDatabase } from './db/app';
import { formatCredentials, seedDemo } from './seed/demo';

let shutdownRegistered = false;

export async function startServer(): Promise<void> {
	const { handle, applied } = await startDatabase();
	if (applied.length > 0) {
		console.log(`Applied ${applied.length} migration(s): ${applied.join(', ')}`);
	}
	// The embedded database gets the demo until it has data of its own (seedDemo never touches a
	// site that has any); a PostgreSQL database only when SEED_DEMO asks for it.
	const seedAsked = config().SEED_DEMO;
	if (seedAsked ?? handle.backend === 'pglite') {
		const result = await seedDemo(handle.db);
		if (result.seeded) {
			console.log(formatCredentials(result));
		} else if (seedAsked) {
			console.log(`Demo not seeded: ${result.reason}`);
		}
	}
	if (!shutdownRegistered) {
		shutdownRegistered = true;
		// adapter-node emits this after SIGTERM/SIGINT once the HTTP server has closed.
		process.once('sveltekit:shutdown' as 'exit', () => {
			void stopDatabase().then(
				() => console.log('Database closed.'),
				(error: unknown) => console.error('Closing the database failed:', error)
			);
		});
	}
}
