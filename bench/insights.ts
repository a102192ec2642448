// `npm run bench:insights`: times each insights query and the whole dashboard load on the
// database at BENCH_DATABASE_URL (filled by `npm run bench:seed`) for a 90-day and a 12-month
// range: p50/p95 over BENCH_RUNS runs after a warm-up, then EXPLAIN (ANALYZE, BUFFERS) of the
// slowest query. The target (issue 7): the whole load under 300 ms. Not part of `npm test`.
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import { presetRange, type DateRange } from '$lib/domain/insights';
import { DEFAULT_TIER_THRESHOLDS } from '$lib/domain/tiers';
import { openDatabase, type Db } from '$lib/server/db/index';
import type { Database } from '$lib/server/db/schema';
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

async function time(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
	for (let i = 0; i < 2; i++) {
		await run();
	}
	const samples: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const started = performance.now();
		await run();
		samples.push(performance.now() - started);
	}
	samples.sort((a, b) => a - b);
	return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
}

async function main() {
	const url = process.env.BENCH_DATABASE_URL;
	if (!url) {
		console.error('Set BENCH_DATABASE_URL to the database bench:seed filled.');
		process.exit(2);
	}
	const handle = await openDatabase({ url, poolSize: 10 });
	const { db } = handle;
	try {
		const counts = await sql<{ members: number; activity: number }>`
			select (select count(*) from app_user)::int as members,
				(select count(*) from activity)::int as activity`.execute(db);
		console.log(
			`Database: ${counts.rows[0]!.members} accounts, ${counts.rows[0]!.activity} activity rows; ${RUNS} runs each\n`
		);
		const results: { range: string; name: string; p50: number; p95: number }[] = [];
		for (const preset of ['90d', '12m'] as const) {
			const range = presetRange(preset);
			for (const c of CASES) {
				const t = await time(() => c.run(db, range));
				results.push({ range: preset, name: c.name, ...t });
			}
		}
		console.log(
			`${'range'.padEnd(6)} ${'query'.padEnd(28)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`
		);
		for (const r of results) {
			console.log(
				`${r.range.padEnd(6)} ${r.name.padEnd(28)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)}`
			);
		}
		const whole = results.filter((r) => r.name.startsWith('loadInsights'));
		const worst = Math.max(...whole.map((r) => r.p95));
		console.log(
			`\nWhole load p95: ${worst.toFixed(1)} ms (target < ${TARGET_MS} ms): ${worst < TARGET_MS ? 'OK' : 'TOO SLOW'}`
		);

		// The slowest single query function: capture its SQL and show the plan of each statement.
		const slowest = results
			.filter((r) => !r.name.startsWith('loadInsights'))
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
