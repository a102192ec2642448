// `npm run bench:insights`: times each insights query and the whole dashboard load on the
// database at BENCH_DATABASE_URL (filled by `npm run bench:seed`) for a 90-day and a 12-month
// range, and the staff customer page for the most active customer and a typical one: p50/p95
// over BENCH_RUNS runs after a warm-up, then EXPLAIN (ANALYZE, BUFFERS) of the slowest query.
// The target (issue 7): each whole load under 300 ms. Not part of `npm test`.
import fs from 'node:fs';
import os from 'node:os';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import { presetRange, type DateRange } from '$lib/domain/insights';
import { DEFAULT_TIER_THRESHOLDS } from '$lib/domain/tiers';
import pg from 'pg';
import type { Db } from '$lib/server/db/index';
import { typeParsers } from '$lib/server/db/types';
import type { Database } from '$lib/server/db/schema';
import { customerByHandle } from '$lib/server/customers/directory';
import { advocacyFor } from '$lib/server/customers/advocacy';
import { customerOverview } from '$lib/server/customers/overview';
import { activityPerWeek, participationOf } from '$lib/server/customers/participation';
import { memberPoints } from '$lib/server/customers/points';
import { timelineOf } from '$lib/server/customers/timeline';
import { latestNpsScores } from '$lib/server/surveys/nps';
import { loadInsights } from '$lib/server/insights';
import {
	atRiskCustomers,
	contributorsByWeek,
	firstResponseByPeriod,
	loopClosureByPeriod,
	ratingsByPeriod,
	surveysByPeriod
} from '$lib/server/insights/queries';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TARGET_MS = 300;

const CASES: { name: string; run: (db: Db, range: DateRange) => Promise<unknown> }[] = [
	{ name: 'contributorsByWeek', run: contributorsByWeek },
	{ name: 'surveysByPeriod', run: (db, r) => surveysByPeriod(db, r) },
	{ name: 'firstResponseByPeriod', run: (db, r) => firstResponseByPeriod(db, r) },
	{ name: 'loopClosureByPeriod', run: (db, r) => loopClosureByPeriod(db, r) },
	{ name: 'ratingsByPeriod', run: (db, r) => ratingsByPeriod(db, r) },
	{
		name: 'atRiskCustomers',
		run: (db, r) =>
			atRiskCustomers(db, r, {
				thresholds: DEFAULT_TIER_THRESHOLDS,
				npsIntervalDays: 90,
				limit: 50
			})
	},
	{ name: 'loadInsights (whole page)', run: loadInsights }
];

function quantile(sorted: number[], q: number): number {
	const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
	return sorted[Math.max(0, index)]!;
}

/**
 * CPU milliseconds used so far by this process and by the database's server processes for this
 * database (read from /proc: works when PostgreSQL runs on this machine, else null). Unlike wall
 * time, CPU time does not grow when other programs compete for the cores, so it shows what a
 * query costs on a quiet machine.
 */
async function cpuMs(db: Db): Promise<number | null> {
	const { rows } = await sql<{ pid: number }>`
		select pid from pg_stat_activity where datname = current_database()`.execute(db);
	let ticks = 0;
	for (const { pid } of rows) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			// utime and stime: fields 14 and 15 of stat, 12 and 13 after the name.
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			return null;
		}
	}
	const own = process.cpuUsage();
	return (ticks * 1000) / CLOCK_TICKS + (own.user + own.system) / 1000;
}

const CLOCK_TICKS = 100;

async function time(
	db: Db,
	run: () => Promise<unknown>
): Promise<{ p50: number; p95: number; cpu: number | null }> {
	for (let i = 0; i < 2; i++) {
		await run();
	}
	const samples: number[] = [];
	const cpuBefore = await cpuMs(db);
	for (let i = 0; i < RUNS; i++) {
		const started = performance.now();
		await run();
		samples.push(performance.now() - started);
	}
	const cpuAfter = await cpuMs(db);
	samples.sort((a, b) => a - b);
	return {
		p50: quantile(samples, 0.5),
		p95: quantile(samples, 0.95),
		cpu: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / RUNS
	};
}

async function main() {
	const url = process.env.BENCH_DATABASE_URL;
	if (!url) {
		console.error('Set BENCH_DATABASE_URL to the database bench:seed filled.');
		process.exit(2);
	}
	// Like openDatabase, but idle connections stay open: a server process that exited would take
	// its CPU time out of the sum.
	const pool = new pg.Pool({
		connectionString: url,
		max: 10,
		idleTimeoutMillis: 0,
		types: typeParsers
	});
	const db: Db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	const handle = { pool, close: () => db.destroy() };
	try {
		const counts = await sql<{ members: number; activity: number }>`
			select (select count(*) from app_user)::int as members,
				(select count(*) from activity)::int as activity`.execute(db);
		console.log(
			`Database: ${counts.rows[0]!.members} accounts, ${counts.rows[0]!.activity} activity rows; ${RUNS} runs each\n`
		);
		const results: {
			range: string;
			name: string;
			p50: number;
			p95: number;
			cpu: number | null;
		}[] = [];
		for (const preset of ['90d', '12m'] as const) {
			const range = presetRange(preset);
			for (const c of CASES) {
				const t = await time(db, () => c.run(db, range));
				results.push({ range: preset, name: c.name, ...t });
			}
		}
		// The customer page as its load runs it: the profile row, then the overview. The most
		// active customer has the longest timeline and the most weeks to count; the median one is
		// what staff usually open.
		const ranked = await sql<{ handle: string; acts: number }>`
			select u.handle, count(*)::int as acts from activity a join app_user u on u.id = a.user_id
			where u.role = 'member' group by u.handle order by acts desc`.execute(db);
		const picks = [
			{ label: 'most active', row: ranked.rows[0] },
			{ label: 'median', row: ranked.rows[Math.floor(ranked.rows.length / 2)] }
		];
		for (const pick of picks) {
			if (!pick.row) {
				continue;
			}
			const handle = pick.row.handle;
			const t = await time(db, async () => {
				const customer = await customerByHandle(db, handle, DEFAULT_TIER_THRESHOLDS);
				await customerOverview(db, customer!.id, { activityPage: 1 });
			});
			results.push({
				range: '—',
				name: `customer page (${pick.label}, ${pick.row.acts} acts)`,
				...t
			});
			if (pick.label !== 'most active') {
				continue;
			}
			// Its parts, for the customer with the most to count.
			const id = (await customerByHandle(db, handle, DEFAULT_TIER_THRESHOLDS))!.id;
			const parts: [string, () => Promise<unknown>][] = [
				['participationOf', () => participationOf(db, id)],
				['advocacyFor', () => advocacyFor(db, id)],
				['memberPoints', () => memberPoints(db, id)],
				['latestNpsScores', () => latestNpsScores(db, { userIds: [id] })],
				['activityPerWeek', () => activityPerWeek(db, id, { weeks: 26 })],
				['timelineOf', () => timelineOf(db, id, { viewer: 'staff', page: 1 })]
			];
			for (const [name, run] of parts) {
				results.push({ range: '—', name: `  ${name}`, ...(await time(db, run)) });
			}
		}
		const load = fs.existsSync('/proc/loadavg')
			? fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]
			: '?';
		console.log(`Load average after measuring: ${load} (cores: ${os.availableParallelism()})\n`);
		console.log(
			`${'range'.padEnd(6)} ${'query'.padEnd(44)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'cpu ms/run'.padStart(11)}`
		);
		for (const r of results) {
			console.log(
				`${r.range.padEnd(6)} ${r.name.padEnd(44)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${(r.cpu === null ? 'n/a' : r.cpu.toFixed(1)).padStart(11)}`
			);
		}
		const whole = results.filter(
			(r) => r.name.startsWith('loadInsights') || r.name.startsWith('customer page')
		);
		const worst = Math.max(...whole.map((r) => r.p95));
		const cpu = Math.max(...whole.map((r) => r.cpu ?? 0));
		console.log(
			`\nWorst whole page p95: ${worst.toFixed(1)} ms wall (target < ${TARGET_MS} ms): ${worst < TARGET_MS ? 'OK' : 'TOO SLOW'}; ` +
				`CPU per load (app + database): ${cpu.toFixed(1)} ms`
		);

		// The slowest single query function: capture its SQL and show the plan of each statement.
		const slowest = results
			.filter((r) => CASES.some((c) => c.name === r.name) && !r.name.startsWith('loadInsights'))
			.reduce((a, b) => (b.p95 > a.p95 ? b : a));
		const captured: CompiledQuery[] = [];
		const logging = new Kysely<Database>({
			dialect: new PostgresDialect({ pool: handle.pool }),
			log: (event) => {
				if (event.level === 'query') {
					captured.push(event.query);
				}
			}
		});
		await CASES.find((c) => c.name === slowest.name)!.run(
			logging,
			presetRange(slowest.range as '90d' | '12m')
		);
		for (const query of captured) {
			const client = await handle.pool.connect();
			try {
				const plan = await client.query(
					`explain (analyze, buffers) ${query.sql}`,
					query.parameters as unknown[]
				);
				console.log(
					`\nEXPLAIN (ANALYZE, BUFFERS) — ${slowest.name}, ${slowest.range}:\n${query.sql}\n`
				);
				console.log(plan.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n'));
			} finally {
				client.release();
			}
		}
	} finally {
		await handle.close();
	}
}

await main();
