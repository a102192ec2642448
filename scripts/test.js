// `npm test`: every test. Types and lint, then vitest (unit tests, and integration tests on
// PGlite and, when TEST_DATABASE_URL is set, PostgreSQL), then Playwright in Chromium against
// the built server. Ends with one line that adds up all the results.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIfNeeded } from './build-if-needed.js';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
	console.error(
		`No Chromium at ${chromium}: install it with "apt-get install -y chromium" or set CHROMIUM_PATH.`
	);
	process.exit(1);
}

const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-test-'));
const vitestReport = path.join(reports, 'vitest.json');
const playwrightReport = path.join(reports, 'playwright.json');

/** @param {string} title @param {[string, ...string[]]} command @param {Record<string, string>} [env] */
function run(title, [program, ...args], env = {}) {
	console.log(`\n== ${title}`);
	const result = spawnSync(program, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	return result.status === 0;
}

buildIfNeeded();
const results = {
	types:
		run('svelte-kit sync', ['npx', 'svelte-kit', 'sync']) &&
		run('svelte-check', [
			'npx',
			'svelte-check',
			'--tsconfig',
			'./tsconfig.json',
			'--threshold',
			'error'
		]),
	lint: run('prettier and eslint', ['npm', 'run', '--silent', 'lint']),
	vitest: run('vitest', [
		'npx',
		'vitest',
		'run',
		'--reporter=default',
		'--reporter=json',
		`--outputFile.json=${vitestReport}`
	]),
	e2e: run('playwright', ['npx', 'playwright', 'test', '--reporter=list,json'], {
		PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightReport
	})
};

/** @param {string} file */
function readJson(file) {
	return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
}
const vitest = readJson(vitestReport);
const e2e = readJson(playwrightReport);
const passed =
	(vitest?.numPassedTests ?? 0) + (e2e?.stats?.expected ?? 0) + (e2e?.stats?.flaky ?? 0);
const failed = (vitest?.numFailedTests ?? 0) + (e2e?.stats?.unexpected ?? 0);
const skipped =
	(vitest?.numPendingTests ?? 0) + (vitest?.numTodoTests ?? 0) + (e2e?.stats?.skipped ?? 0);
fs.rmSync(reports, { recursive: true, force: true });

const failedSteps = Object.entries(results)
	.filter(([, ok]) => !ok)
	.map(([name]) => name);
console.log(`\nSteps: ${failedSteps.length ? `failed: ${failedSteps.join(', ')}` : 'all passed'}`);
console.log(
	`Total: ${passed} passed, ${failed + (failedSteps.length && !failed ? 1 : 0)} failed, ${skipped} skipped`
);
process.exit(failedSteps.length ? 1 : 0);
