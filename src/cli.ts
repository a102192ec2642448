// The command-line tool behind `npm run db:migrate` and `npm run seed` (built to build/cli/cli.js).
import { config } from '$lib/server/config';
import { startDatabase, stopDatabase } from '$lib/server/db/app';
import { formatCredentials, seedDemo } from '$lib/server/seed/demo';

const USAGE = 'usage: cli.js migrate | seed';

async function main(command: string | undefined): Promise<number> {
	if (command !== 'migrate' && command !== 'seed') {
		console.error(USAGE);
		return 2;
	}
	const cfg = config();
	console.log(
		cfg.DATABASE_URL
			? 'Database: PostgreSQL (DATABASE_URL)'
			: `Database: embedded, in ${cfg.DATA_DIR}`
	);
	const { handle, applied } = await startDatabase();
	try {
		console.log(
			applied.length > 0
				? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
				: 'The schema is up to date.'
		);
		if (command === 'seed') {
			const result = await seedDemo(handle.db);
			if (!result.seeded) {
				console.error(`Demo not seeded: ${result.reason}`);
				return 1;
			}
			console.log(formatCredentials(result));
		}
		return 0;
	} finally {
		await stopDatabase();
	}
}

main(process.argv[2]).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exitCode = 1;
	}
);
