// `npm run bench:load`: HTTP load on the built server (docs/performance.md, "HTTP load").
//
// Starts `node build/index.js` on loopback against BENCH_DATABASE_URL (one process, production),
// signs members and a staff member in by writing sessions straight into the database, and runs
// autocannon against each page for BENCH_DURATION seconds. For every page it prints requests/s,
// p50/p95/p99 latency, non-2xx and errors, statements per request (the Server-Timing header),
// response size and the app's peak memory; then the two ceilings from the same run: the render
// ceiling (a minimal SvelteKit page of the same size, bench/ceiling/) and the database ceiling
// (pgbench running the statements the page sent, captured with SQL_STATEMENT_LOG).
// The vote is checked exactly: N successful votes by N distinct members raise vote_count and
// the vote table by exactly N.
//
// Environment: BENCH_DATABASE_URL (required; seeded by `npm run bench:seed`), BENCH_DURATION (s,
// default 10), BENCH_CONNECTIONS (default 10), BENCH_PORT (default 3311; the ceiling app uses the
// next port), BENCH_PAGES (comma-separated names to run a subset), BENCH_URL (load an already
// running server instead; BENCH_PID then names its process for memory; no database ceiling),
// BENCH_SEARCH (the search words, default "idea 42"), BENCH_VOTES (votes by as many distinct members,
// default 5,000; the vote runs until all are answered, not for BENCH_DURATION).
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const env = process.env;
const databaseUrl = env.BENCH_DATABASE_URL;
if (!databaseUrl) {
	console.error('Set BENCH_DATABASE_URL to a database filled by `npm run bench:seed`.');
	process.exit(1);
}
const DURATION = Number(env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 10);
const PORT = Number(env.BENCH_PORT ?? 3311);
const CEILING_PORT = PORT + 1;
const POOL_SIZE = Number(env.DATABASE_POOL_SIZE ?? 10);
const SEARCH = env.BENCH_SEARCH ?? 'idea 42';
const VOTES = Number(env.BENCH_VOTES ?? 5_000);
const VOTERS = VOTES + 10;
const VOTE_IDEAS = 20;
const COMMENTED = 200;
const ONLY = env.BENCH_PAGES ? env.BENCH_PAGES.split(',').map((s) => s.trim()) : null;
const SESSION_MARK = 'bench:load';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-load-'));

const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const q = async (text, params = []) => (await pool.query(text, params)).rows;

// --- processes ----------------------------------------------------------------------------------

const children = [];
process.on('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => process.exit(130));
}

async function startServer(entry, port, extraEnv = {}) {
	const child = spawn(process.execPath, [entry], {
		cwd: root,
		env: {
			PATH: env.PATH,
			NODE_ENV: 'production',
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: `http://127.0.0.1:${port}`,
			DATABASE_URL: databaseUrl,
			DATABASE_POOL_SIZE: String(POOL_SIZE),
			SEED_DEMO: 'false',
			...extraEnv
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	children.push(child);
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const deadline = Date.now() + 60_000;
	while (!output.includes('Listening on')) {
		if (child.exitCode !== null || Date.now() > deadline) {
			throw new Error(`${entry} did not start:\n${output}`);
		}
		await sleep(100);
	}
	return {
		child,
		output: () => output,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				// Requests autocannon gave up on may still be running: do not wait for them long.
				const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
				await exited;
				clearTimeout(force);
			}
		}
	};
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function npm(args, cwd = root) {
	execFileSync('npm', args, { cwd, stdio: 'inherit' });
}

function ensureBuilds() {
	if (!fs.existsSync(path.join(root, 'build/index.js'))) {
		console.log('Building the app (npm run build)…');
		npm(['run', 'build']);
	}
	const ceiling = path.join(root, 'bench/ceiling');
	if (!fs.existsSync(path.join(ceiling, 'build/index.js'))) {
		console.log('Building the render ceiling (bench/ceiling)…');
		execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
			cwd: ceiling,
			stdio: 'inherit'
		});
	}
}

/** VmHWM and VmRSS of a process, in MB (Linux /proc). */
function memoryOf(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
		return { hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
	} catch {
		return null;
	}
}

// --- data the pages need ------------------------------------------------------------------------

function newToken() {
	return crypto.randomBytes(20).toString('hex');
}

/** Sessions written straight into the table, as createSession stores them: sha256(token) in hex. */
async function signIn(userIds) {
	const tokens = userIds.map(() => newToken());
	const ids = tokens.map((t) => crypto.createHash('sha256').update(t).digest('hex'));
	// 29 days ahead: past the renewal window, so no request rewrites its session.
	await q(
		`insert into user_session (id, user_id, expires_at, user_agent)
		 select id, user_id, now() + interval '29 days', $3
		 from unnest($1::text[], $2::bigint[]) as s(id, user_id)`,
		[ids, userIds, SESSION_MARK]
	);
	return tokens;
}

async function prepare() {
	await q(`delete from user_session where user_agent = $1`, [SESSION_MARK]);
	const [staff] = await q(
		`select id from app_user where role = 'staff' and suspended_until is null order by id limit 1`
	);
	if (!staff) {
		throw new Error('No staff account: fill the database with `npm run bench:seed` first.');
	}
	const readers = await q(
		`select id from app_user where role = 'member' and suspended_until is null
		 order by id desc limit 50`
	);

	// The idea page: the open idea with the most comments, topped up to 200 (idempotent).
	const [commented] = await q(
		`select p.id, count(c.id)::int as comments from post p
		 join idea_status st on st.id = p.status_id and st.is_default
		 left join comment c on c.post_id = p.id and c.deleted_at is null and c.visibility = 'visible'
		 where p.kind = 'idea' and p.deleted_at is null and p.visibility = 'visible'
		   and p.challenge_id is null and p.merged_into_id is null
		 group by p.id order by count(c.id) desc, p.id limit 1`
	);
	if (commented.comments < COMMENTED) {
		await q(
			`insert into comment (post_id, author_id, body_source, body_html, is_official, created_at)
			 select $1, u.id, 'Benchmark comment ' || g, '<p>Benchmark comment ' || g || '</p>', false,
			   now() - (g || ' minutes')::interval
			 from generate_series(1, $2::int) g
			 join lateral (select id from app_user where role = 'member' order by id offset g limit 1) u on true`,
			[commented.id, COMMENTED - commented.comments]
		);
	}
	await q(
		`update post set comment_count = (select count(*) from comment
		   where post_id = $1 and deleted_at is null and visibility = 'visible') where id = $1`,
		[commented.id]
	);

	// The vote: 20 open ideas with the fewest votes, and members who voted on none of them.
	const voteIdeas = (
		await q(
			`select p.id from post p join idea_status st on st.id = p.status_id and st.is_default
			 where p.kind = 'idea' and p.deleted_at is null and p.visibility = 'visible'
			   and p.challenge_id is null and p.merged_into_id is null and p.id <> $1
			 order by p.vote_count, p.id limit $2`,
			[commented.id, VOTE_IDEAS]
		)
	).map((r) => Number(r.id));
	const voters = (
		await q(
			`select u.id from app_user u where u.role = 'member' and u.suspended_until is null
			   and not exists (select 1 from vote v where v.user_id = u.id and v.post_id = any($1::bigint[]))
			 order by u.id limit $2`,
			[voteIdeas, VOTERS + 1]
		)
	).map((r) => Number(r.id));

	// The customer page: the 100th most active member (the busiest are far beyond real customers).
	const [customer] = await q(
		`select u.handle from app_user u
		 join (select user_id, count(*) from activity group by user_id order by count(*) desc
		       offset 99 limit 1) a on a.user_id = u.id`
	);

	const [staffToken] = await signIn([Number(staff.id)]);
	const readerTokens = await signIn(readers.map((r) => Number(r.id)));
	const voterTokens = await signIn(voters);
	return {
		staffToken,
		readerTokens,
		voterTokens,
		commentedId: Number(commented.id),
		commentedBefore: commented.comments,
		voteIdeas,
		customerHandle: customer.handle
	};
}

async function voteTotals(ideaIds) {
	const [row] = await q(
		`select (select coalesce(sum(vote_count), 0) from post where id = any($1::bigint[]))::int as counted,
		        (select count(*) from vote where post_id = any($1::bigint[]))::int as rows`,
		[ideaIds]
	);
	return row;
}

// --- pages --------------------------------------------------------------------------------------

function pages(setup) {
	let reader = 0;
	const asReader = () => `session=${setup.readerTokens[reader++ % setup.readerTokens.length]}`;
	const asStaff = () => `session=${setup.staffToken}`;
	return [
		{ name: 'ideas list', path: '/ideas', cookie: asReader },
		{ name: 'idea page', path: `/ideas/${setup.commentedId}`, cookie: asReader },
		{ name: 'vote', vote: true },
		{ name: 'search', path: `/ideas?q=${encodeURIComponent(SEARCH)}`, cookie: asReader },
		{ name: 'triage inbox', path: '/staff/triage', cookie: asStaff },
		{ name: 'customer page', path: `/staff/customers/${setup.customerHandle}`, cookie: asStaff },
		{ name: 'insights', path: '/staff/insights', cookie: asStaff }
	].filter((p) => !ONLY || ONLY.includes(p.name));
}

function parseServerTiming(header) {
	const match = /db;dur=([\d.]+);desc="(\d+) quer/.exec(header ?? '');
	return match ? { queries: Number(match[2]), dbMs: Number(match[1]) } : null;
}

/** One request outside the load: final path (after the canonical-address redirect), size, queries. */
async function sample(base, page, cookie = page.cookie()) {
	let url = base + page.path;
	for (let hops = 0; hops < 3; hops++) {
		const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
		const body = await response.arrayBuffer();
		if (response.status >= 300 && response.status < 400) {
			url = new URL(response.headers.get('location'), url).toString();
			continue;
		}
		return {
			status: response.status,
			path: url.slice(base.length),
			bytes: body.byteLength,
			timing: parseServerTiming(response.headers.get('server-timing'))
		};
	}
	throw new Error(`${page.path} redirects too often`);
}

function voteRequest(base, setup, ideaPaths) {
	let next = 0;
	return (context) => {
		const i = next++;
		const token = setup.voterTokens[i % setup.voterTokens.length];
		const ideaPath = ideaPaths[i % ideaPaths.length];
		return {
			method: 'POST',
			path: `${ideaPath}?/vote`,
			headers: {
				cookie: `session=${token}`,
				origin: base,
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
				'x-sveltekit-action': 'true'
			},
			body: 'importance=',
			context
		};
	};
}

function percentile(sorted, p) {
	if (sorted.length === 0) {
		return NaN;
	}
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** autocannon for DURATION seconds; latencies from every response, peak memory of `pid`. */
async function load(base, { requests, amount, pid, connections = CONNECTIONS }) {
	const latencies = [];
	let peakRss = 0;
	const watch = pid
		? setInterval(() => {
				const mem = memoryOf(pid);
				if (mem) {
					peakRss = Math.max(peakRss, mem.rss);
				}
			}, 200)
		: null;
	const instance = autocannon({
		url: base,
		connections,
		...(amount ? { amount } : { duration: DURATION }),
		requests,
		timeout: 30
	});
	instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
	const result = await new Promise((resolve, reject) =>
		instance.once('done', resolve).once('error', reject)
	);
	if (watch) {
		clearInterval(watch);
	}
	latencies.sort((a, b) => a - b);
	const seconds = result.duration;
	return {
		rps: result.requests.total / seconds,
		total: result.requests.total,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		p99: percentile(latencies, 99),
		ok: result['2xx'],
		non2xx: result.non2xx,
		errors: result.errors + result.timeouts,
		bytesPerResponse: result.requests.total ? result.throughput.total / result.requests.total : 0,
		peakRss
	};
}

// --- the database ceiling -----------------------------------------------------------------------

function literal(value) {
	if (value === null || value === undefined) {
		return 'NULL';
	}
	if (typeof value === 'number' || typeof value === 'boolean') {
		return String(value);
	}
	if (Array.isArray(value)) {
		const items = value.map((v) =>
			v === null ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
		);
		return literal(`{${items.join(',')}}`);
	}
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return `'${text.replace(/'/g, "''")}'`;
}

/** A pgbench script of the statements one request sent, parameters inlined; writes end in ROLLBACK. */
function pgbenchScript(statements) {
	const lines = statements.map(({ sql, parameters }) => {
		const inlined = sql.replace(/\$(\d+)/g, (_, n) => literal(parameters[Number(n) - 1]));
		const oneLine = inlined.replace(/\s+/g, ' ').trim();
		// Keeps the data as it was: the vote's transaction is rolled back (its commit's WAL flush is
		// then not measured).
		return /^commit$/i.test(oneLine) ? 'rollback;' : `${oneLine};`;
	});
	return lines.join('\n') + '\n';
}

function pgbench(file) {
	const bin = [
		'/usr/lib/postgresql/17/bin',
		'/usr/lib/postgresql/16/bin',
		'/usr/lib/postgresql/15/bin'
	]
		.map((dir) => path.join(dir, 'pgbench'))
		.find((p) => fs.existsSync(p));
	if (!bin) {
		return { error: 'pgbench not found (apt-get install postgresql-client or postgresql)' };
	}
	try {
		const out = execFileSync(
			bin,
			['-n', '-f', file, '-c', String(POOL_SIZE), '-j', '2', '-T', String(DURATION), databaseUrl],
			{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
		);
		const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
		const latency = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
		const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
		return { tps, latency, failed };
	} catch (error) {
		return {
			error: String(error.stderr ?? error.message)
				.split('\n')
				.slice(0, 3)
				.join(' ')
		};
	}
}

// --- run ----------------------------------------------------------------------------------------

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

async function main() {
	const target = env.BENCH_URL?.replace(/\/$/, '');
	if (!target) {
		ensureBuilds();
	}
	console.log(
		`Load average at start: ${os
			.loadavg()
			.map((l) => l.toFixed(2))
			.join(' ')}`
	);
	const setup = await prepare();
	console.log(
		`Idea page: idea ${setup.commentedId} (had ${setup.commentedBefore} comments, topped up to ${COMMENTED}); ` +
			`votes on ${setup.voteIdeas.length} ideas by up to ${setup.voterTokens.length} distinct members; ` +
			`customer ${setup.customerHandle}; search "${SEARCH}".`
	);
	const list = pages(setup);

	// 1. Statements per page, captured from a server that logs them (not the measured one).
	const statements = new Map();
	let ideaPaths = setup.voteIdeas.map((id) => `/ideas/${id}`);
	if (!target) {
		const logFile = path.join(work, 'statements.jsonl');
		const capture = await startServer('build/index.js', PORT, { SQL_STATEMENT_LOG: logFile });
		const base = `http://127.0.0.1:${PORT}`;
		ideaPaths = await resolveIdeaPaths(base, ideaPaths);
		for (const page of list) {
			fs.writeFileSync(logFile, '');
			if (page.vote) {
				// A vote by a member outside the measured run (the last voter).
				const token = setup.voterTokens.pop();
				await fetch(`${base}${ideaPaths[0]}?/vote`, {
					method: 'POST',
					headers: {
						cookie: `session=${token}`,
						origin: base,
						'content-type': 'application/x-www-form-urlencoded',
						accept: 'application/json',
						'x-sveltekit-action': 'true'
					},
					body: 'importance='
				});
			} else {
				const cookie = page.cookie();
				await sample(base, page, cookie); // warm
				fs.writeFileSync(logFile, '');
				await sample(base, page, cookie);
			}
			const lines = fs.readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean);
			const last = JSON.parse(lines.at(-1));
			statements.set(page.name, last.statements);
		}
		await capture.stop();
	}

	// 2. The app under load.
	const app = target ? null : await startServer('build/index.js', PORT);
	const base = target ?? `http://127.0.0.1:${PORT}`;
	const pid = app?.child.pid ?? (env.BENCH_PID ? Number(env.BENCH_PID) : null);
	if (target) {
		ideaPaths = await resolveIdeaPaths(base, ideaPaths);
	}
	const results = [];
	for (const page of list) {
		const loadAverage = os.loadavg()[0];
		if (page.vote) {
			// One vote by a fresh member first, for its Server-Timing (kept out of the exact check).
			const probe = await voteProbe(base, setup.voterTokens.pop(), ideaPaths[0]);
			const before = await voteTotals(setup.voteIdeas);
			let redirected = 0;
			const make = voteRequest(base, setup, ideaPaths);
			const r = await load(base, {
				pid,
				// A fixed number, each answered before the counts are read again: a request cut off at
				// the end of a timed run may still commit, and the check would not be exact.
				amount: Math.min(VOTES, setup.voterTokens.length),
				requests: [
					{
						setupRequest: (_req, context) => make(context),
						onResponse: (status, body) => {
							if (status === 200 && body.includes('"type":"redirect"')) {
								redirected++;
							}
						}
					}
				]
			});
			const after = await voteTotals(setup.voteIdeas);
			const rise = { counted: after.counted - before.counted, rows: after.rows - before.rows };
			const exact = rise.counted === redirected && rise.rows === redirected;
			results.push({
				page,
				r,
				loadAverage,
				sample: probe,
				check: `${redirected} votes accepted; vote_count +${rise.counted}, vote rows +${rise.rows}: ${exact ? 'exact' : 'MISMATCH'}`
			});
		} else {
			// The same member twice: a first visit may do one-off work (the survey offer).
			const cookie = page.cookie();
			await sample(base, page, cookie);
			const s = await sample(base, page, cookie);
			const r = await load(base, {
				pid,
				requests: [
					{
						setupRequest: (req) => ({
							...req,
							path: s.path,
							headers: { ...req.headers, cookie: page.cookie() }
						})
					}
				]
			});
			results.push({ page, r, loadAverage, sample: s });
		}
		console.log(`  ${page.name}: ${fmt(results.at(-1).r.rps)} req/s`);
	}
	const memory = pid ? memoryOf(pid) : null;
	await app?.stop();

	// 3. Render ceiling: the same sizes from a minimal SvelteKit page.
	const ceilings = new Map();
	if (!target || fs.existsSync(path.join(root, 'bench/ceiling/build/index.js'))) {
		const ceiling = await startServer('bench/ceiling/build/index.js', CEILING_PORT);
		const cbase = `http://127.0.0.1:${CEILING_PORT}`;
		const overhead = (await (await fetch(`${cbase}/?bytes=0`)).arrayBuffer()).byteLength;
		for (const { page, sample: s } of results) {
			const bytes = Math.max((s?.bytes ?? 0) - overhead, 0);
			const r = await load(cbase, { requests: [{ path: `/?bytes=${bytes}` }] });
			ceilings.set(page.name, { render: r });
		}
		await ceiling.stop();
	}

	// 4. Database ceiling: pgbench running each page's statements.
	for (const { page } of results) {
		const stmts = statements.get(page.name);
		if (!stmts?.length) {
			continue;
		}
		const file = path.join(work, `${page.name.replace(/\W+/g, '-')}.sql`);
		fs.writeFileSync(file, pgbenchScript(stmts));
		const entry = ceilings.get(page.name) ?? {};
		entry.db = pgbench(file);
		entry.dbFile = file;
		ceilings.set(page.name, entry);
	}

	// 5. The table.
	console.log(
		`\nHTTP load: ${DURATION} s per page, ${CONNECTIONS} connections, one app process (pool ${POOL_SIZE}); load average ${os
			.loadavg()
			.map((l) => l.toFixed(2))
			.join(' ')} at the end; ${os.cpus().length} CPUs.\n`
	);
	const header = [
		'page',
		'req/s',
		'p50 ms',
		'p95 ms',
		'p99 ms',
		'non-2xx',
		'errors',
		'queries',
		'db ms',
		'KB',
		'render ceiling req/s',
		'db ceiling tps',
		'rps/render',
		'rps/db',
		'load avg'
	];
	const rows = results.map(({ page, r, sample: s, loadAverage }) => {
		const c = ceilings.get(page.name) ?? {};
		return [
			page.name,
			fmt(r.rps),
			fmt(r.p50, 1),
			fmt(r.p95, 1),
			fmt(r.p99, 1),
			String(r.non2xx),
			String(r.errors),
			s?.timing ? String(s.timing.queries) : '—',
			s?.timing ? fmt(s.timing.dbMs, 1) : '—',
			fmt((s?.bytes ?? r.bytesPerResponse) / 1024, 1),
			fmt(c.render?.rps),
			c.db?.error ? 'error' : fmt(c.db?.tps),
			c.render ? fmt(r.rps / c.render.rps, 2) : '—',
			c.db?.tps ? fmt(r.rps / c.db.tps, 2) : '—',
			fmt(loadAverage, 1)
		];
	});
	printTable(header, rows);
	console.log('');
	for (const { check, r } of results) {
		if (check) {
			console.log(
				`Vote check: ${check} (${r.total} answered, ${r.non2xx} non-2xx, ${r.errors} errors).`
			);
		}
	}
	if (pid) {
		console.log(
			`App memory: peak RSS sampled under load ${fmt(Math.max(...results.map((x) => x.r.peakRss)))} MB; ` +
				`VmHWM ${fmt(memory?.hwm)} MB; VmRSS at the end ${fmt(memory?.rss)} MB.`
		);
	}
	for (const [name, c] of ceilings) {
		if (c.db?.error) {
			console.log(`pgbench for ${name} failed: ${c.db.error} (script ${c.dbFile})`);
		} else if (c.db) {
			console.log(
				`pgbench ${name}: ${fmt(c.db.tps)} tps, latency average ${fmt(c.db.latency, 2)} ms, ${statements.get(name).length} statements (${c.dbFile})`
			);
		}
	}
	await q(`delete from user_session where user_agent = $1`, [SESSION_MARK]);
	await pool.end();
}

/** The ideas' canonical addresses (`/ideas/<id>-<slug>`), which the vote form posts to. */
async function resolveIdeaPaths(base, paths) {
	return Promise.all(
		paths.map(async (p) => {
			const response = await fetch(base + p, { redirect: 'manual' });
			await response.arrayBuffer();
			const location = response.headers.get('location');
			return location ? new URL(location, base).pathname : p;
		})
	);
}

/** One vote, for its size and Server-Timing. */
async function voteProbe(base, token, ideaPath) {
	const response = await fetch(`${base}${ideaPath}?/vote`, {
		method: 'POST',
		headers: {
			cookie: `session=${token}`,
			origin: base,
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'application/json',
			'x-sveltekit-action': 'true'
		},
		body: 'importance='
	});
	const body = await response.arrayBuffer();
	return {
		status: response.status,
		bytes: body.byteLength,
		timing: parseServerTiming(response.headers.get('server-timing'))
	};
}

function printTable(header, rows) {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells) =>
		`| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
	console.log(line(header));
	console.log(
		`| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : '-'.repeat(w - 1) + ':')).join(' | ')} |`
	);
	rows.forEach((r) => console.log(line(r)));
}

main().catch(async (error) => {
	console.error(error);
	await Promise.all(children.map((c) => c.exitCode === null && c.kill('SIGTERM')));
	process.exit(1);
});
