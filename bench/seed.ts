// `npm run bench:seed`: fills the PostgreSQL database at BENCH_DATABASE_URL with a large,
// realistic data set for the benchmarks (docs/performance.md): members in companies, products,
// ideas with first responses and ship notices, votes, reviews, survey answers and the activity
// ledger, spread over the last ~14 months. Set-based SQL (`insert … select generate_series`), so
// 2,000,000 activity rows take seconds, not hours.
//
// Sizes come from SIZES (override any with an env var, e.g. BENCH_ACTIVITY=500000). A later
// benchmark adds its own step to STEPS (comments, threads and replies...) and its sizes here.
// The insights roll-up trigger is disabled during the bulk load and the roll-ups rebuilt once.
import { sql } from 'kysely';
import { openDatabase, type Db } from '$lib/server/db/index';
import { migrateToLatest } from '$lib/server/db/migrator';

export const SIZES = {
	companies: size('BENCH_COMPANIES', 2_000),
	members: size('BENCH_MEMBERS', 100_000),
	staff: size('BENCH_STAFF', 20),
	products: size('BENCH_PRODUCTS', 5),
	ideas: size('BENCH_IDEAS', 5_000),
	votes: size('BENCH_VOTES', 200_000),
	comments: size('BENCH_COMMENTS', 20_000),
	reviews: size('BENCH_REVIEWS', 10_000),
	npsAnswers: size('BENCH_NPS', 60_000),
	csatAnswers: size('BENCH_CSAT', 30_000),
	activity: size('BENCH_ACTIVITY', 2_000_000),
	/** How far back the data goes. */
	days: size('BENCH_DAYS', 430)
};

function size(name: string, fallback: number): number {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isSafeInteger(value) || value < 1) {
		throw new Error(`${name} must be a positive whole number`);
	}
	return value;
}

type Sizes = typeof SIZES;

/** A random moment in the last `days`, denser towards now (p > 1 skews recent). */
const recent = (days: number, p = 1.4) =>
	sql.raw(`now() - (power(random(), ${p}) * interval '${days} days')`);

// Members are ids offset by the team: staff first (ids 1..staff), then members.
const STEPS: { name: string; run: (db: Db, s: Sizes) => Promise<unknown> }[] = [
	{
		name: 'companies',
		run: (db, s) =>
			sql`
			insert into company (name, slug, plan, mrr, created_at)
			select 'Company ' || i, 'company-' || i,
				(array['starter', 'growth', 'enterprise'])[1 + (i % 3)],
				-- A long tail: a few large accounts, many small ones.
				round((50 + 30000 * power(random(), 4))::numeric, 2),
				now() - interval '800 days' * random()
			from generate_series(1, ${s.companies}) i`.execute(db)
	},
	{
		name: 'products',
		run: (db, s) =>
			sql`
			insert into product (name, slug, description)
			select 'Product ' || i, 'product-' || i, 'Benchmark product ' || i
			from generate_series(1, ${s.products}) i`.execute(db)
	},
	{
		name: 'team',
		run: (db, s) =>
			sql`
			insert into app_user (email, handle, display_name, password_hash, role, created_at)
			select 'staff' || i || '@bench.example', 'staff' || i, 'Staff ' || i, 'x',
				case when i = 1 then 'admin' else 'staff' end, now() - interval '900 days'
			from generate_series(1, ${s.staff}) i`.execute(db)
	},
	{
		name: 'members',
		run: (db, s) =>
			sql`
			insert into app_user (email, handle, display_name, password_hash, role, company_id, created_at)
			select 'member' || i || '@bench.example', 'member' || i, 'Member ' || i, 'x', 'member',
				-- Four in five belong to a company.
				case when i % 5 = 0 then null else (select min(id) from company) + (i % ${s.companies}) end,
				${recent(s.days + 200, 1)}
			from generate_series(1, ${s.members}) i`.execute(db)
	},
	{
		name: 'ideas',
		run: (db, s) =>
			sql`
			insert into post (kind, product_id, author_id, title, body_source, body_html, status_id,
				created_at, last_activity_at, vote_count)
			select 'idea', p.first + (i % ${s.products}), u.first + floor(power(random(), 2) * ${s.members})::bigint,
				'Benchmark idea ' || i, 'Body ' || i, '<p>Body ' || i || '</p>',
				case when i % 10 = 0 then (select id from idea_status where slug = 'shipped')
					when i % 4 = 0 then (select id from idea_status where slug = 'planned')
					else (select id from idea_status where is_default) end,
				t.at, t.at, 0
			from generate_series(1, ${s.ideas}) i
			cross join (select min(id) as first from product) p
			cross join (select min(id) as first from app_user where role = 'member') u
			cross join lateral (select ${recent(s.days)} + i * interval '0 second' as at) t`.execute(db)
	},
	{
		name: 'first responses',
		run: (db) =>
			sql`
			insert into idea_first_response (post_id, responded_at, kind, responder_id)
			select p.id, least(now(), p.created_at + interval '1 hour' * (1 + power(random(), 3) * 24 * 40)),
				'status_change', (select min(id) from app_user where role = 'staff')
			from post p where p.kind = 'idea' and random() < 0.85`.execute(db)
	},
	{
		name: 'votes',
		run: (db, s) =>
			sql`
			insert into vote (post_id, user_id, created_at)
			select i.first + floor(power(random(), 1.5) * ${s.ideas})::bigint,
				u.first + floor(random() * ${s.members})::bigint, ${recent(s.days)}
			from generate_series(1, ${s.votes}) g
			cross join (select min(id) as first from post where kind = 'idea') i
			cross join (select min(id) as first from app_user where role = 'member') u
			on conflict do nothing`.execute(db)
	},
	{
		name: 'vote counts',
		run: (db) =>
			sql`
			update post set vote_count = v.n
			from (select post_id, count(*) as n from vote group by post_id) v
			where v.post_id = post.id`.execute(db)
	},
	{
		name: 'ship notices',
		run: (db) =>
			sql`
			insert into ship_notice (post_id, user_id, notified, created_at)
			select v.post_id, v.user_id, random() < 0.92,
				least(now(), p.created_at + interval '1 day' * (20 + random() * 80))
			from vote v join post p on p.id = v.post_id
			join idea_status st on st.id = p.status_id and st.slug = 'shipped'`.execute(db)
	},
	{
		name: 'comments',
		run: (db, s) =>
			sql`
			insert into comment (post_id, author_id, body_source, body_html, is_official, created_at)
			select i.first + floor(random() * ${s.ideas})::bigint,
				u.first + floor(power(random(), 2) * ${s.members})::bigint,
				'Comment ' || g, '<p>Comment ' || g || '</p>', false, ${recent(s.days)}
			from generate_series(1, ${s.comments}) g
			cross join (select min(id) as first from post where kind = 'idea') i
			cross join (select min(id) as first from app_user where role = 'member') u`.execute(db)
	},
	{
		name: 'reviews',
		run: async (db, s) => {
			// One review per member and product: member i reviews product i % products.
			await sql`
				insert into post (kind, product_id, author_id, title, body_source, body_html,
					created_at, last_activity_at)
				select 'review', p.first + (g % ${s.products}), u.first + g, 'Review ' || g,
					'Review body ' || g, '<p>Review body ' || g || '</p>', t.at, t.at
				from generate_series(0, ${s.reviews - 1}) g
				cross join (select min(id) as first from product) p
				cross join (select min(id) as first from app_user where role = 'member') u
				cross join lateral (select ${recent(s.days)} + g * interval '0 second' as at) t`.execute(db);
			await sql`
				insert into review (post_id, rating)
				select id, (array[1, 2, 3, 3, 4, 4, 4, 5, 5, 5])[1 + floor(random() * 10)::int]
				from post where kind = 'review'`.execute(db);
		}
	},
	{
		name: 'survey answers',
		run: async (db, s) => {
			await sql`
				insert into survey_response (user_id, kind, score, created_at)
				select u.first + floor(random() * ${s.members})::bigint, 'nps',
					(array[0, 2, 4, 5, 6, 6, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10])[1 + floor(random() * 16)::int],
					${recent(s.days, 1)}
				from generate_series(1, ${s.npsAnswers}) g
				cross join (select min(id) as first from app_user where role = 'member') u`.execute(db);
			await sql`
				insert into survey_response (user_id, kind, score, created_at)
				select u.first + floor(random() * ${s.members})::bigint, 'csat',
					(array[1, 2, 3, 4, 4, 5, 5, 5])[1 + floor(random() * 8)::int], ${recent(s.days, 1)}
				from generate_series(1, ${s.csatAnswers}) g
				cross join (select min(id) as first from app_user where role = 'member') u`.execute(db);
		}
	},
	{
		name: 'activity',
		run: async (db, s) => {
			await sql`alter table activity disable trigger activity_insights_rollup`.execute(db);
			try {
				// A power law over members (a few very active, a long tail), mostly votes, more
				// recent than old; a few outcome kinds and the team's own acts mixed in.
				await sql`
					insert into activity (user_id, kind, created_at)
					select case when g % 50 = 0 then t.first + (g % ${s.staff})
							else u.first + floor(power(random(), 3) * ${s.members})::bigint end,
						(array['vote_cast', 'vote_cast', 'vote_cast', 'vote_cast', 'comment_posted',
							'comment_posted', 'idea_posted', 'review_posted', 'thread_posted',
							'reply_posted', 'reply_posted', 'like_given', 'like_given', 'poll_voted',
							'survey_answered', 'helpful_received', 'vote_removed', 'answer_accepted'])
							[1 + floor(random() * 18)::int],
						${recent(s.days)}
					from generate_series(1, ${s.activity}) g
					cross join (select min(id) as first from app_user where role = 'member') u
					cross join (select min(id) as first from app_user) t`.execute(db);
			} finally {
				await sql`alter table activity enable trigger activity_insights_rollup`.execute(db);
			}
		}
	},
	{ name: 'insights roll-ups', run: (db) => sql`select insights_rebuild_rollups()`.execute(db) },
	{ name: 'analyze', run: (db) => sql`analyze`.execute(db) }
];

async function main() {
	const url = process.env.BENCH_DATABASE_URL;
	if (!url) {
		console.error('Set BENCH_DATABASE_URL to an empty PostgreSQL database (it will be filled).');
		process.exit(2);
	}
	const handle = await openDatabase({ url, poolSize: 2 });
	const { db } = handle;
	try {
		await migrateToLatest(db);
		const { rows } = await sql<{ n: number }>`select count(*)::int as n from app_user`.execute(db);
		if (rows[0]!.n > 0) {
			console.error('The database is not empty: give bench:seed a fresh one (createdb).');
			process.exit(2);
		}
		console.log('Seeding', JSON.stringify(SIZES));
		const started = performance.now();
		for (const step of STEPS) {
			const t = performance.now();
			await step.run(db, SIZES);
			console.log(
				`${step.name.padEnd(20)} ${((performance.now() - t) / 1000).toFixed(1).padStart(7)} s`
			);
		}
		console.log(
			`${'total'.padEnd(20)} ${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s`
		);
	} finally {
		await handle.close();
	}
}

await main();
