// `npm run bench:plans`: the query plans of the hot queries on the database at BENCH_DATABASE_URL
// (filled by `npm run bench:seed`). Each case calls the domain functions a page's load (or the
// vote action) calls, on a Kysely whose `log` captures every statement with its parameters;
// then each statement runs again under EXPLAIN (ANALYZE, BUFFERS) inside a transaction that is
// rolled back. Migrates the database first (an index added since seeding counts). Prints each plan, then a summary: per statement its time, rows and any sequential
// scan of a large table. Not part of `npm test`.
//
// PLANS_CASE=search prints only the cases whose name contains the word; PLANS_SUMMARY=1 prints
// the summary only. The vote case casts a real vote (and removes it again, so the counts do not
// move; the ledger keeps a vote_cast and a vote_removed row) to capture the statements.
import os from 'node:os';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { presetRange } from '$lib/domain/insights';
import type { Db } from '$lib/server/db/index';
import { migrateToLatest } from '$lib/server/db/migrator';
import { typeParsers } from '$lib/server/db/types';
import type { Database } from '$lib/server/db/schema';
import type { UserActor } from '$lib/server/policy';
import { listComments } from '$lib/server/comments';
import { customerByHandle } from '$lib/server/customers/directory';
import { customerOverview } from '$lib/server/customers/overview';
import { isFollowing } from '$lib/server/follows';
import { getIdeaDetail } from '$lib/server/ideas';
import { loadIdeaFacts } from '$lib/server/ideas/facts';
import {
	findSimilarIdeas,
	listIdeaFilterOptions,
	listIdeas,
	searchIdeas
} from '$lib/server/ideas/queries';
import { loadInsights } from '$lib/server/insights';
import { openFlagsBy } from '$lib/server/moderation/flags';
import { getSiteSettings, tierThresholds } from '$lib/server/moderation/settings';
import { listCompanies, listMergedInto, listStaff, triageQueue } from '$lib/server/triage';
import { listStatuses } from '$lib/server/triage/statuses';
import { castVote, findVote, listVoters, removeVote } from '$lib/server/votes';

/** Tables large enough that reading all of them for one page is a bug. */
const LARGE = ['post', 'vote', 'comment', 'activity', 'app_user', 'subscription', 'ship_notice'];

interface Context {
	ideaId: number;
	product: string;
	member: UserActor;
	staff: UserActor;
	busiest: string;
	median: string;
}

interface Case {
	name: string;
	run: (db: Db, ctx: Context) => Promise<unknown>;
}

const CASES: Case[] = [
	{
		name: 'ideas list: trending, first page',
		run: async (db) => {
			await listIdeaFilterOptions(db);
			await listIdeas(db, { sort: 'trending' });
		}
	},
	{
		name: 'ideas list: trending, second page',
		run: async (db) => {
			const first = await listIdeas(db, { sort: 'trending' });
			await listIdeas(db, { sort: 'trending', cursor: first.nextCursor });
		}
	},
	{
		name: 'ideas list: trending, one product',
		run: (db, ctx) => listIdeas(db, { sort: 'trending', productSlug: ctx.product })
	},
	{
		name: 'idea page (200 comments), signed in',
		run: async (db, ctx) => {
			const [idea, facts] = await Promise.all([
				getIdeaDetail(db, ctx.ideaId),
				loadIdeaFacts(db, ctx.ideaId)
			]);
			const comments = await listComments(db, ctx.member, facts!);
			await openFlagsBy(db, ctx.member.id, {
				postIds: [ctx.ideaId],
				commentIds: comments.flatMap((c) => [c.id, ...c.replies.map((r) => r.id)])
			});
			await Promise.all([
				findVote(db, ctx.ideaId, ctx.member.id),
				isFollowing(db, ctx.member.id, ctx.ideaId),
				listVoters(db, ctx.ideaId, 5)
			]);
			await findSimilarIdeas(db, {
				title: idea!.title,
				productId: idea!.product.id,
				excludeId: ctx.ideaId
			});
			await listMergedInto(db, ctx.ideaId);
		}
	},
	{
		name: 'vote cast',
		run: (db, ctx) => castVote(db, ctx.member, { postId: ctx.ideaId })
	},
	{
		name: 'search: common word',
		run: (db) => searchIdeas(db, { q: 'export' })
	},
	{
		name: 'search: rare word',
		run: (db) => searchIdeas(db, { q: 'kerberos' })
	},
	{
		name: 'search: two words',
		run: (db) => searchIdeas(db, { q: 'dashboard filter' })
	},
	{
		name: 'triage inbox',
		run: (db, ctx) =>
			Promise.all([
				triageQueue(db, ctx.staff, { view: 'untriaged', page: 1 }),
				listIdeaFilterOptions(db),
				listCompanies(db),
				listStatuses(db),
				listStaff(db)
			])
	},
	{
		name: 'customer page: busiest customer',
		run: (db, ctx) => customerPage(db, ctx.busiest)
	},
	{
		name: 'customer page: median customer',
		run: (db, ctx) => customerPage(db, ctx.median)
	},
	{
		name: 'insights dashboard: 90 days',
		run: (db) => loadInsights(db, presetRange('90d'))
	},
	{
		name: 'insights dashboard: 12 months',
		run: (db) => loadInsights(db, presetRange('12m'))
	}
];

async function customerPage(db: Db, handle: string): Promise<void> {
	const thresholds = tierThresholds(await getSiteSettings(db));
	const customer = await customerByHandle(db, handle, thresholds);
	await customerOverview(db, customer!.id, { activityPage: 1 });
}

async function context(db: Db): Promise<Context> {
	const actor = async (where: ReturnType<typeof sql>): Promise<UserActor> => {
		const { rows } = await sql<{
			id: number;
			handle: string;
			display_name: string;
			email: string;
			role: UserActor['role'];
		}>`select id, handle, display_name, email, role from app_user where ${where} order by id limit 1`.execute(
			db
		);
		const row = rows[0]!;
		return {
			kind: 'user',
			id: row.id,
			handle: row.handle,
			displayName: row.display_name,
			email: row.email,
			role: row.role
		};
	};
	// The seed's showcase: the second idea has exactly 200 comments.
	const idea = await sql<{ id: number }>`
		select id from post where kind = 'idea' order by id offset 1 limit 1`.execute(db);
	const ideaId = idea.rows[0]!.id;
	// A member who has not voted on it (the newest members vote least).
	const member = await actor(
		sql`role = 'member' and not exists (select 1 from vote v where v.post_id = ${ideaId}
			and v.user_id = app_user.id) and id > (select max(id) - 1000 from app_user)`
	);
	const staff = await actor(sql`role = 'staff'`);
	const ranked = await sql<{ handle: string; n: number }>`
		with ranked as (
			select user_id, row_number() over (order by count(*) desc, user_id) as n,
				count(*) over () as total
			from activity where user_id is not null group by user_id)
		select u.handle, r.n from ranked r join app_user u on u.id = r.user_id
		where u.role = 'member' and (r.n <= 25 or r.n = r.total / 2) order by r.n`.execute(db);
	const product = await sql<{ slug: string }>`
		select slug from product order by id offset 2 limit 1`.execute(db);
	return {
		ideaId,
		product: product.rows[0]!.slug,
		member,
		staff,
		busiest: ranked.rows[0]!.handle,
		median: ranked.rows.at(-1)!.handle
	};
}

interface Explained {
	sql: string;
	plan: string[];
	ms: number;
	seqScans: string[];
	rows: string;
}

const IGNORED = /^\s*(begin|commit|rollback|savepoint|release)\b/i;

async function explain(pool: pg.Pool, queries: CompiledQuery[]): Promise<Explained[]> {
	const client = await pool.connect();
	const out: Explained[] = [];
	try {
		// Writes run too (ANALYZE executes them): in one transaction, in order, rolled back.
		await client.query('begin');
		for (const query of queries) {
			const result = await client.query(
				`explain (analyze, buffers) ${query.sql}`,
				query.parameters as unknown[]
			);
			const plan = result.rows.map((row: Record<string, string>) => row['QUERY PLAN']!);
			const time = plan.find((line) => line.startsWith('Execution Time'));
			const seqScans = [
				...new Set(
					plan
						.map((line) => /Seq Scan on (\w+)/.exec(line)?.[1])
						.filter((t): t is string => t !== undefined && LARGE.includes(t))
				)
			];
			out.push({
				sql: query.sql,
				plan,
				ms: time ? Number(/([\d.]+) ms/.exec(time)![1]) : NaN,
				seqScans,
				rows: /rows=(\d+)/.exec(plan[0]!.split('(actual')[1] ?? '')?.[1] ?? '?'
			});
		}
	} finally {
		await client.query('rollback');
		client.release();
	}
	return out;
}

function oneLine(text: string, max = 110): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

async function main() {
	const url = process.env.BENCH_DATABASE_URL;
	if (!url) {
		console.error('Set BENCH_DATABASE_URL to the database bench:seed filled.');
		process.exit(2);
	}
	const only = process.env.PLANS_CASE?.toLowerCase();
	const summaryOnly = process.env.PLANS_SUMMARY === '1';
	const pool = new pg.Pool({ connectionString: url, max: 10, types: typeParsers });
	let captured: CompiledQuery[] = [];
	const db: Db = new Kysely<Database>({
		dialect: new PostgresDialect({ pool }),
		log: (event) => {
			if (event.level === 'query' && !IGNORED.test(event.query.sql)) {
				captured.push(event.query);
			}
		}
	});
	try {
		// The plans are of the current schema: apply any migration (an index) added since seeding.
		await migrateToLatest(db);
		await sql`analyze post`.execute(db);
		const ctx = await context(db);
		console.log(
			`Idea ${ctx.ideaId}, product ${ctx.product}, member ${ctx.member.handle}, staff ${ctx.staff.handle}, ` +
				`customers ${ctx.busiest} (busiest) and ${ctx.median} (median); ` +
				`load average ${os
					.loadavg()
					.map((n) => n.toFixed(1))
					.join(' ')}\n`
		);
		const summary: { name: string; statements: Explained[] }[] = [];
		for (const c of CASES) {
			if (only && !c.name.toLowerCase().includes(only)) {
				continue;
			}
			// Warm the cache once, as a running site is; then capture a run.
			if (c.name !== 'vote cast') {
				await c.run(db, ctx);
			}
			captured = [];
			await c.run(db, ctx);
			// A copy: removing the vote below is logged too, and is not part of the case.
			const queries = [...captured];
			if (c.name === 'vote cast') {
				await removeVote(db, ctx.member, { postId: ctx.ideaId });
			}
			const statements = await explain(pool, queries);
			summary.push({ name: c.name, statements });
			if (summaryOnly) {
				continue;
			}
			console.log(`${'='.repeat(100)}\n${c.name}: ${statements.length} statements\n`);
			statements.forEach((s, i) => {
				console.log(`-- ${i + 1}. ${s.sql.replace(/\s+/g, ' ').trim()}\n`);
				console.log(`${s.plan.join('\n')}\n`);
			});
		}
		console.log(`${'='.repeat(100)}\nSummary (EXPLAIN ANALYZE execution time of each statement)\n`);
		for (const { name, statements } of summary) {
			const total = statements.reduce((sum, s) => sum + s.ms, 0);
			console.log(`${name}: ${statements.length} statements, ${total.toFixed(1)} ms in all`);
			statements.forEach((s, i) => {
				const flags = s.seqScans.length ? `  SEQ SCAN: ${s.seqScans.join(', ')}` : '';
				console.log(
					`  ${String(i + 1).padStart(2)}. ${s.ms.toFixed(2).padStart(8)} ms ${s.rows.padStart(6)} rows  ${oneLine(s.sql)}${flags}`
				);
			});
		}
	} finally {
		await db.destroy();
	}
}

await main();
