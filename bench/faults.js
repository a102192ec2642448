// `npm run bench:faults`: the database and shutdown faults of issue 9 for real, with figures.
// 1. PostgreSQL stopped under load: a throwaway PostgreSQL cluster of its own, the built server
//    on it, writers posting ideas through the API; `pg_ctl stop -m fast` mid-load, a few seconds
//    down, `pg_ctl start`. Prints the answers during the outage (503 with Retry-After or not), how
//    long the app took to serve writes again, and checks every acknowledged idea is there, whole.
// 2. SIGTERM under load: the same writers, SIGTERM to the server mid-load. Prints how long it
//    took to exit and with what code, and checks the same.
// Needs `initdb`/`pg_ctl` (/usr/lib/postgresql/*/bin, Debian's postgresql package) and, as root,
// the postgres user to run them. Settings: BENCH_FAULTS_WRITERS (8), BENCH_FAULTS_OUTAGE (5 s),
// BENCH_FAULTS_PG_PORT (55421), BENCH_FAULTS_PORT (3321).
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildIfNeeded } from '../scripts/build-if-needed.js';

const root = path.resolve(import.meta.dirname, '..');
const WRITERS = Number(process.env.BENCH_FAULTS_WRITERS ?? 8);
const OUTAGE_MS = Number(process.env.BENCH_FAULTS_OUTAGE ?? 5) * 1000;
const PG_PORT = Number(process.env.BENCH_FAULTS_PG_PORT ?? 55421);
const APP_PORT = Number(process.env.BENCH_FAULTS_PORT ?? 3321);
const DB_NAME = 'roundtable_faults';
const url = `postgres://postgres@127.0.0.1:${PG_PORT}/${DB_NAME}`;

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (/** @type {string} */ line) =>
	console.log(`[${new Date().toISOString().slice(11, 23)}] ${line}`);

// --- A PostgreSQL cluster of our own ---------------------------------------------------------

const pgBin = fs
	.readdirSync('/usr/lib/postgresql')
	.sort((a, b) => Number(a) - Number(b))
	.map((version) => `/usr/lib/postgresql/${version}/bin`)
	.filter((dir) => fs.existsSync(`${dir}/pg_ctl`))
	.at(-1);
if (!pgBin) {
	console.error('No PostgreSQL binaries in /usr/lib/postgresql/*/bin: apt-get install postgresql');
	process.exit(1);
}
const asRoot = process.getuid?.() === 0;
const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-faults-pg-'));

/** Runs a PostgreSQL program as the postgres user (initdb refuses root), from / (any cwd). */
function pgRun(/** @type {string} */ program, /** @type {string[]} */ args) {
	const command = asRoot
		? ['runuser', ['-u', 'postgres', '--', `${pgBin}/${program}`, ...args]]
		: [`${pgBin}/${program}`, args];
	const result = spawnSync(
		/** @type {string} */ (command[0]),
		/** @type {string[]} */ (command[1]),
		{
			cwd: '/',
			encoding: 'utf8'
		}
	);
	if (result.status !== 0) {
		throw new Error(`${program} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
	}
	return result.stdout;
}

function pgStart() {
	pgRun('pg_ctl', [
		'-D',
		pgDir,
		'-l',
		path.join(pgDir, 'log'),
		'-w',
		'-o',
		`-p ${PG_PORT} -k /tmp -c listen_addresses=127.0.0.1`,
		'start'
	]);
}

function pgStop(/** @type {string} */ mode) {
	pgRun('pg_ctl', ['-D', pgDir, '-m', mode, '-w', 'stop']);
}

// --- The server --------------------------------------------------------------------------------

/** @type {import('node:child_process').ChildProcess | undefined} */
let server;
let serverOutput = '';

async function startApp() {
	serverOutput = '';
	server = spawn(process.execPath, [path.join(root, 'build/index.js')], {
		cwd: root,
		env: {
			...process.env,
			NODE_ENV: 'production',
			DATABASE_URL: url,
			PORT: String(APP_PORT),
			HOST: '127.0.0.1',
			ORIGIN: `http://127.0.0.1:${APP_PORT}`,
			SHUTDOWN_TIMEOUT: process.env.SHUTDOWN_TIMEOUT ?? '3',
			API_REQUESTS_PER_MINUTE: '100000'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	server.stdout?.on('data', (chunk) => (serverOutput += chunk));
	server.stderr?.on('data', (chunk) => (serverOutput += chunk));
	const deadline = Date.now() + 60_000;
	while (!serverOutput.includes('Listening on')) {
		if (server.exitCode !== null || Date.now() > deadline) {
			throw new Error(`The server did not start:\n${serverOutput}`);
		}
		await sleep(50);
	}
}

// --- A member who may post quickly, by SQL (the bench imports nothing from the app) ------------

/** @returns {Promise<{ token: string, productId: number, userId: number }>} */
async function prepareWriter() {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const suffix = Date.now().toString(36);
		const user = await client.query(
			`insert into app_user (email, handle, display_name, password_hash, role, created_at)
			 values ($1, $2, 'Fault bench', 'not-a-real-hash', 'moderator', now() - interval '30 days')
			 returning id`,
			[`faults_${suffix}@example.com`, `faults_${suffix}`]
		);
		const product = await client.query(
			`insert into product (name, slug) values ($1, $1) returning id`,
			[`faults-${suffix}`]
		);
		// The token format of src/lib/server/api/tokens.ts: rt_ and 32 base32 characters.
		const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
		const token = `rt_${[...randomBytes(32)].map((b) => alphabet[b % 32]).join('')}`;
		await client.query(
			`insert into api_token (user_id, name, token_hash, token_prefix, scopes)
			 values ($1, 'faults bench', $2, $3, '{read,write}')`,
			[user.rows[0].id, createHash('sha256').update(token).digest('hex'), token.slice(0, 10)]
		);
		await client.query(
			`insert into site_setting (key, value) values ('postsPerMinute', '600')
			 on conflict (key) do update set value = excluded.value`
		);
		return { token, productId: Number(product.rows[0].id), userId: Number(user.rows[0].id) };
	} finally {
		await client.end();
	}
}

// --- Writers -----------------------------------------------------------------------------------

/**
 * @typedef {{ title: string, startedAt: number, endedAt: number, status: number | 'failed',
 *   id?: number, retryAfter?: string | null, error?: string }} Outcome
 */

/** @param {{ token: string, productId: number }} writer @param {string} title @returns {Promise<Outcome>} */
async function postIdea(writer, title) {
	const startedAt = Date.now();
	try {
		const response = await fetch(`http://127.0.0.1:${APP_PORT}/api/v1/ideas`, {
			method: 'POST',
			headers: { authorization: `Bearer ${writer.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				product: writer.productId,
				title,
				body: `Written by bench:faults. ${'Some words to render. '.repeat(20)}`,
				tags: []
			}),
			signal: AbortSignal.timeout(30_000)
		});
		const text = await response.text();
		/** @type {Outcome} */
		const outcome = {
			title,
			startedAt,
			endedAt: Date.now(),
			status: response.status,
			retryAfter: response.headers.get('retry-after')
		};
		if (response.status === 201) {
			outcome.id = JSON.parse(text).data.id;
		} else {
			outcome.error = text.slice(0, 200);
		}
		return outcome;
	} catch (error) {
		const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
		return {
			title,
			startedAt,
			endedAt: Date.now(),
			status: 'failed',
			error: `${error instanceof Error ? error.message : error} ${cause}`.trim()
		};
	}
}

/** Writers posting ideas back to back (pausing 50 ms after a refusal) until stopped. */
function load(
	/** @type {{ token: string, productId: number }} */ writer,
	/** @type {string} */ label
) {
	/** @type {Outcome[]} */
	const outcomes = [];
	let running = true;
	let n = 0;
	const loops = Array.from({ length: WRITERS }, async () => {
		while (running) {
			const outcome = await postIdea(writer, `${label} ${n++}`);
			outcomes.push(outcome);
			if (outcome.status !== 201) {
				await sleep(50);
			}
		}
	});
	return {
		outcomes,
		async stop() {
			running = false;
			await Promise.all(loops);
		}
	};
}

/** Every acknowledged idea is stored, and no idea of the writer is stored in part. */
async function checkWrites(
	/** @type {{ userId: number }} */ writer,
	/** @type {Outcome[]} */ outcomes
) {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	const { rows } = await client.query(
		`select p.id, p.title,
			(select count(*) from vote v where v.post_id = p.id and v.user_id = p.author_id)::int as votes,
			(select count(*) from activity a where a.post_id = p.id and a.kind = 'idea_posted')::int as posted,
			(select count(*) from activity a where a.post_id = p.id and a.kind = 'vote_cast')::int as vote_activity,
			(select count(*) from subscription s where s.post_id = p.id and s.user_id = p.author_id)::int as follows
		 from post p where p.author_id = $1 and p.kind = 'idea'`,
		[writer.userId]
	);
	await client.end();
	const ids = new Set(rows.map((row) => Number(row.id)));
	const titles = new Set(rows.map((row) => row.title));
	const acknowledged = outcomes.filter((o) => o.status === 201);
	return {
		acknowledged: acknowledged.length,
		missing: acknowledged.filter((o) => !ids.has(Number(o.id))).length,
		partial: rows.filter(
			(row) => row.votes !== 1 || row.posted !== 1 || row.vote_activity !== 1 || row.follows !== 1
		).length,
		// Refused or cut off, yet written: the commit raced the fault (the client cannot know).
		writtenUnacknowledged: outcomes.filter((o) => o.status !== 201 && titles.has(o.title)).length
	};
}

/** @param {Outcome[]} outcomes */
function tally(outcomes) {
	/** @type {Record<string, number>} */
	const counts = {};
	for (const o of outcomes) {
		const key =
			o.status === 503
				? Number(o.retryAfter) > 0
					? '503+Retry-After'
					: '503 without Retry-After'
				: String(o.status);
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

function percentile(/** @type {number[]} */ values, /** @type {number} */ p) {
	if (values.length === 0) {
		return NaN;
	}
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// --- The scenarios -----------------------------------------------------------------------------

async function databaseStop() {
	const writer = await prepareWriter();
	const run = load(writer, 'Outage bench idea');
	await sleep(3000);
	const stopAt = Date.now();
	pgStop('fast');
	const stoppedAt = Date.now();
	log(`pg_ctl stop -m fast took ${stoppedAt - stopAt} ms; down for ${OUTAGE_MS / 1000} s`);
	await sleep(OUTAGE_MS);
	const startAt = Date.now();
	pgStart();
	const readyAt = Date.now();
	log(`pg_ctl start took ${readyAt - startAt} ms`);
	const deadline = Date.now() + 60_000;
	while (!run.outcomes.some((o) => o.startedAt >= readyAt && o.status === 201)) {
		if (Date.now() > deadline) {
			break;
		}
		await sleep(20);
	}
	await sleep(3000);
	await run.stop();

	const before = run.outcomes.filter((o) => o.endedAt < stopAt);
	const during = run.outcomes.filter((o) => o.endedAt >= stopAt && o.startedAt < readyAt);
	const after = run.outcomes.filter((o) => o.startedAt >= readyAt);
	const firstWrite = after.filter((o) => o.status === 201).sort((a, b) => a.endedAt - b.endedAt)[0];
	const alive = server?.exitCode === null;
	const writes = await checkWrites(writer, run.outcomes);
	console.log(`
== PostgreSQL stopped under load (${WRITERS} writers posting ideas through the API)
before the stop:  ${before.length} requests, ${JSON.stringify(tally(before))}, ${(before.length / 3).toFixed(0)}/s, p95 ${percentile(
		before.map((o) => o.endedAt - o.startedAt),
		95
	)} ms
during the outage (stop → ready again, ${readyAt - stopAt} ms): ${during.length} answers, ${JSON.stringify(tally(during))}
  latency of the answers during the outage: p50 ${percentile(
		during.map((o) => o.endedAt - o.startedAt),
		50
	)} ms, max ${Math.max(0, ...during.map((o) => o.endedAt - o.startedAt))} ms
after ready:      ${after.length} requests, ${JSON.stringify(tally(after))}
recovery:         first idea written ${firstWrite ? `${firstWrite.endedAt - readyAt} ms` : 'NEVER'} after PostgreSQL was ready again, without a restart
server process:   ${alive ? 'still running' : `EXITED (${server?.exitCode})`}
acknowledged ideas: ${writes.acknowledged}, missing: ${writes.missing}, stored in part: ${writes.partial}, written though not acknowledged: ${writes.writtenUnacknowledged}
`);
	const unexpected = during.filter(
		(o) => !(o.status === 503 && Number(o.retryAfter) > 0) && o.status !== 201
	);
	return (
		alive &&
		firstWrite !== undefined &&
		writes.missing === 0 &&
		writes.partial === 0 &&
		unexpected.length === 0 &&
		during.some((o) => o.status === 503)
	);
}

async function sigterm() {
	const writer = await prepareWriter();
	const run = load(writer, 'SIGTERM bench idea');
	await sleep(3000);
	const signalAt = Date.now();
	const exited = new Promise((resolve) =>
		server?.once('exit', (code, signal) => resolve({ code, signal }))
	);
	server?.kill('SIGTERM');
	const exit = await exited;
	const exitedAt = Date.now();
	await run.stop();
	const afterSignal = run.outcomes.filter((o) => o.endedAt >= signalAt);
	const finished = afterSignal.filter((o) => o.status === 201 && o.startedAt < signalAt);
	const writes = await checkWrites(writer, run.outcomes);
	console.log(`
== SIGTERM under load (${WRITERS} writers, SHUTDOWN_TIMEOUT=${process.env.SHUTDOWN_TIMEOUT ?? 3})
exit:             ${JSON.stringify(exit)} after ${exitedAt - signalAt} ms
requests answered after the signal: ${JSON.stringify(tally(afterSignal))}; running ones finished with 201: ${finished.length}
acknowledged ideas: ${writes.acknowledged}, missing: ${writes.missing}, stored in part: ${writes.partial}, written though not acknowledged: ${writes.writtenUnacknowledged}
`);
	return (
		/** @type {{ code: number | null }} */ (exit).code === 0 &&
		exitedAt - signalAt < 10_000 &&
		writes.missing === 0 &&
		writes.partial === 0 &&
		writes.writtenUnacknowledged === 0
	);
}

function cleanup() {
	if (server && server.exitCode === null) {
		server.kill('SIGKILL');
	}
	try {
		pgStop('immediate');
	} catch {
		// not running
	}
	fs.rmSync(pgDir, { recursive: true, force: true });
}

process.on('SIGINT', () => {
	cleanup();
	process.exit(130);
});

let ok = false;
try {
	buildIfNeeded();
	if (asRoot) {
		spawnSync('chown', ['postgres:postgres', pgDir]);
	}
	pgRun('initdb', ['-D', pgDir, '--auth=trust', '-U', 'postgres']);
	pgStart();
	const admin = new pg.Client({
		connectionString: `postgres://postgres@127.0.0.1:${PG_PORT}/postgres`
	});
	await admin.connect();
	await admin.query(`create database ${DB_NAME}`);
	await admin.end();
	log(
		`PostgreSQL ${path.basename(path.dirname(pgBin))} on port ${PG_PORT} (${pgDir}); load average ${os
			.loadavg()
			.map((n) => n.toFixed(1))
			.join(' ')}`
	);
	await startApp();
	log(`server on port ${APP_PORT}`);
	const outage = await databaseStop();
	const stop = await sigterm();
	ok = outage && stop;
	console.log(
		`load average at the end: ${os
			.loadavg()
			.map((n) => n.toFixed(1))
			.join(
				' '
			)}\n${ok ? 'PASS' : 'FAIL'}: database stop ${outage ? 'ok' : 'FAILED'}, SIGTERM ${stop ? 'ok' : 'FAILED'}`
	);
	if (!ok) {
		console.log(`--- server output (last 3000 characters) ---\n${serverOutput.slice(-3000)}`);
	}
} finally {
	cleanup();
}
process.exit(ok ? 0 : 1);
