// Builds the app (server and CLI) when there is no build yet or a source is newer than it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const stamp = path.join(root, 'build', '.built-at');
const inputs = [
	'src',
	'migrations',
	'static',
	'messages',
	'project.inlang/settings.json',
	'package-lock.json',
	'svelte.config.js',
	'vite.config.ts',
	'vite.cli.config.ts'
];

/** @param {string} entry @returns {number} */
function newestChange(entry) {
	const stat = fs.statSync(entry, { throwIfNoEntry: false });
	if (!stat) {
		return 0;
	}
	if (!stat.isDirectory()) {
		return stat.mtimeMs;
	}
	let newest = stat.mtimeMs;
	for (const child of fs.readdirSync(entry)) {
		newest = Math.max(newest, newestChange(path.join(entry, child)));
	}
	return newest;
}

export function buildIfNeeded() {
	const built = fs.statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
	const changed = Math.max(...inputs.map((entry) => newestChange(path.join(root, entry))));
	if (built > changed) {
		return;
	}
	console.log(
		built ? 'Sources changed since the last build: building…' : 'Building the app (first run)…'
	);
	const started = Date.now();
	const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) {
		console.error('The build failed; see above.');
		process.exit(result.status ?? 1);
	}
	fs.writeFileSync(stamp, new Date().toISOString());
	console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
