// An exclusive lock on the embedded database's folder: two processes on one PGlite directory
// would silently diverge and lose rows, so the second one must fail at once instead.
import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
	constructor(dir: string, pid: number) {
		super(
			`The embedded database in ${path.resolve(dir)} is in use by another Roundtable process ` +
				`(pid ${pid}). Stop that process first, or set DATABASE_URL so that several processes ` +
				`share one PostgreSQL server.`
		);
		this.name = 'DataDirLockedError';
	}
}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Takes the lock on `dir` or throws DataDirLockedError; returns the function that releases it. */
export function lockDataDir(dir: string): () => void {
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, 'roundtable.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
			const release = () => {
				process.off('exit', release);
				fs.rmSync(file, { force: true });
			};
			// A crash still runs 'exit' handlers for normal exits; after a kill -9 the pid check
			// below recognises the stale lock.
			process.on('exit', release);
			return release;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
		}
		const holder = Number(fs.readFileSync(file, 'utf8').trim());
		if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
			throw new DataDirLockedError(dir, holder);
		}
		fs.rmSync(file, { force: true });
	}
	throw new Error(`Could not lock ${path.resolve(dir)}`);
}
