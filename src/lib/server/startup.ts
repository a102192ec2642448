// What the server does once before its first request: open and migrate the database, seed the
// demo on a new embedded database, start the job worker, and stop both again on shutdown.
import { config } from './config';
import { startDatabase, stopDatabase } from './db/app';
import { startJobWorker, type JobWorker } from './jobs';
import { jobHandlers } from './jobs/handlers';
import { formatCredentials, seedDemo } from './seed/demo';

let shutdownRegistered = false;
let worker: JobWorker | undefined;

/** Stops the job worker (letting a running job finish, up to a few seconds), then the database. */
export async function stopServer(): Promise<void> {
	const stopping = worker;
	worker = undefined;
	try {
		await stopping?.stop(3000);
	} finally {
		await stopDatabase();
	}
}

/**
 * The process ends by itself once nothing is left to do. If something still holds it (a request
 * cut off by SHUTDOWN_TIMEOUT still waiting for a database connection, say), it is ended a moment
 * later: a stop must stay bounded, and everything of ours is closed by now.
 */
function exitSoon(code: number): void {
	process.exitCode = code;
	setTimeout(() => process.exit(code), 1000).unref();
}

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
	// The worker shares the app's pool; in the embedded database it takes its turn on the one
	// connection like any request. The embedded database has one process (the data-dir lock), so
	// a job still `active` there was left by a process that died: it runs again now rather than
	// after its expiry. PostgreSQL may have other live workers: there, expiry decides.
	worker ??= await startJobWorker(handle.pool, jobHandlers(handle.db), {
		reclaimActive: handle.backend === 'pglite'
	});
	if (!shutdownRegistered) {
		shutdownRegistered = true;
		// adapter-node emits this after SIGTERM/SIGINT once the HTTP server has closed.
		process.once('sveltekit:shutdown' as 'exit', () => {
			void stopServer().then(
				() => {
					console.log('Job worker stopped. Database closed.');
					exitSoon(0);
				},
				(error: unknown) => {
					console.error('Closing the database failed:', error);
					exitSoon(1);
				}
			);
		});
	}
}
