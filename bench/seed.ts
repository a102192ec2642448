// `npm run bench:seed`: fills the PostgreSQL database at BENCH_DATABASE_URL with a large,
// realistic data set for the benchmarks (docs/performance.md, "Data at scale"): members in
// companies, products, tagged ideas with worded titles and bodies (so search has common and rare
// words), first responses, status changes and ship notices, votes, comments, reviews, discussion
// threads with replies, follows, survey answers and the activity ledger, spread over the last ~14
// months. Set-based SQL (`insert … select generate_series`), so it takes minutes, not hours.
//
// Sizes come from SIZES (override any with an env var, e.g. BENCH_VOTES=200000); the defaults are
// issue 9's. Every denormalised counter (`post.vote_count`, `comment_count`, `hot_score`,
// `last_activity_at`) is computed from the rows, and the ledger is derived from them (one
// `vote_cast` per vote, one `comment_posted` per comment …) and topped up to BENCH_ACTIVITY with
// the acts the seed does not model (likes, polls, helpful votes). The insights roll-up trigger is
// disabled during the bulk load and the roll-ups rebuilt once. At the end it prints ids the load
// benchmark can use (the idea with exactly 200 comments, a busy and a median customer …).
import os from 'node:os';
import { sql, type RawBuilder } from 'kysely';
import { openDatabase, type Db } from '$lib/server/db/index';
import { migrateToLatest } from '$lib/server/db/migrator';
import { ideaPath } from '$lib/domain/ideas';
import { discussionPath } from '$lib/domain/discussions';

export const SIZES = {
	companies: size('BENCH_COMPANIES', 2_000),
	members: size('BENCH_MEMBERS', 100_000),
	staff: size('BENCH_STAFF', 20),
	products: size('BENCH_PRODUCTS', 5),
	tags: size('BENCH_TAGS', 12),
	ideas: size('BENCH_IDEAS', 20_000),
	votes: size('BENCH_VOTES', 1_000_000),
	comments: size('BENCH_COMMENTS', 200_000),
	reviews: size('BENCH_REVIEWS', 50_000),
	categories: size('BENCH_CATEGORIES', 8),
	threads: size('BENCH_THREADS', 10_000),
	replies: size('BENCH_REPLIES', 200_000),
	npsAnswers: size('BENCH_NPS', 60_000),
	csatAnswers: size('BENCH_CSAT', 30_000),
	/** The whole ledger: the acts derived from the rows above, topped up with other kinds. */
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

/** The idea (by position: the second idea, popular) that gets exactly this many comments. */
export const SHOWCASE_COMMENTS = 200;
/** Search words: one in nearly every idea, one in one idea in a thousand. */
export const COMMON_WORD = 'export';
export const RARE_WORD = 'kerberos';

/** A random moment in the last `days`, denser towards now (p > 1 skews recent). */
const recent = (days: number, p = 1.4) =>
	sql.raw(`now() - (power(random(), ${p}) * interval '${days} days')`);

/** A random moment between `from` (a column) and now, denser towards now. */
const after = (from: string) => sql.raw(`${from} + (now() - ${from}) * power(random(), 0.7)`);

// The first word is the most frequent (in nearly every idea); the draw is skewed so that a few
// words are common and most are rare, like a real product vocabulary.
const VOCABULARY = [
	COMMON_WORD,
	'report',
	'dashboard',
	'filter',
	'notification',
	'email',
	'search',
	'team',
	'project',
	'mobile',
	'calendar',
	'permission',
	'integration',
	'template',
	'import',
	'chart',
	'account',
	'invoice',
	'workflow',
	'comment',
	'attachment',
	'label',
	'archive',
	'schedule',
	'reminder',
	'billing',
	'api',
	'webhook',
	'dark',
	'theme',
	'keyboard',
	'shortcut',
	'bulk',
	'edit',
	'history',
	'audit',
	'sync',
	'offline',
	'language',
	'timezone',
	'currency',
	'pdf',
	'csv',
	'spreadsheet',
	'slack',
	'teams',
	'jira',
	'github',
	'single',
	'sign',
	'saml',
	'password',
	'role',
	'guest',
	'share',
	'link',
	'embed',
	'widget',
	'layout',
	'column',
	'sort',
	'group',
	'board',
	'kanban',
	'gantt',
	'milestone',
	'deadline',
	'recurring',
	'task',
	'subtask',
	'priority',
	'estimate',
	'budget',
	'forecast',
	'metric',
	'goal',
	'survey',
	'form',
	'field',
	'custom',
	'formula',
	'automation',
	'trigger',
	'rule',
	'approval',
	'signature',
	'contract',
	'customer',
	'portal',
	'chat',
	'video',
	'voice',
	'transcript',
	'translation',
	'accessibility',
	'contrast',
	'font',
	'print',
	'backup',
	'restore'
];

/** `min` to `min + spread - 1` words (the count varies with `ref`, a column), Zipf-like. */
function words(min: number, spread: number, ref: string) {
	const list = VOCABULARY.map((w) => `'${w}'`).join(',');
	return sql.raw(`(select string_agg(v.w[1 + floor(power(random(), 2.5) * ${VOCABULARY.length})::int], ' ')
		from generate_series(1, ${min} + (${ref} % ${spread})) n, (select array[${list}] as w) v)`);
}

const firstIdea = sql.raw(`(select min(id) from post where kind = 'idea')`);
const firstMember = sql.raw(`(select min(id) from app_user where role = 'member')`);
const firstStaff = sql.raw(`(select min(id) from app_user where role in ('staff', 'admin'))`);

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
		run: async (db, s) => {
			await sql`
				insert into product (name, slug, description)
				select 'Product ' || i, 'product-' || i, 'Benchmark product ' || i
				from generate_series(1, ${s.products}) i`.execute(db);
			// Each company owns one to three products (the verified-customer badge).
			await sql`
				insert into company_product (company_id, product_id)
				select distinct c.id, p.first + ((c.id + k) % ${s.products})
				from company c cross join generate_series(0, 2) k
				cross join (select min(id) as first from product) p
				where k <= c.id % 3`.execute(db);
		}
	},
	{
		name: 'team',
		run: (db, s) =>
			sql`
			insert into app_user (email, handle, display_name, password_hash, role, created_at,
				email_verified_at)
			select 'staff' || i || '@bench.example', 'staff' || i, 'Staff ' || i, 'x',
				case when i = 1 then 'admin' else 'staff' end, now() - interval '900 days',
				now() - interval '900 days'
			from generate_series(1, ${s.staff}) i`.execute(db)
	},
	{
		name: 'members',
		run: (db, s) =>
			sql`
			insert into app_user (email, handle, display_name, password_hash, role, company_id,
				created_at, email_verified_at)
			select 'member' || i || '@bench.example', 'member' || i, 'Member ' || i, 'x', 'member',
				-- Four in five belong to a company.
				case when i % 5 = 0 then null else (select min(id) from company) + (i % ${s.companies}) end,
				t.at, t.at
			from generate_series(1, ${s.members}) i
			cross join lateral (select ${recent(s.days + 200, 1)} + i * interval '0 second' as at) t`.execute(
				db
			)
	},
	{
		name: 'tags',
		run: (db, s) =>
			sql`
			insert into tag (name, slug)
			select 'Tag ' || i, 'tag-' || i from generate_series(1, ${s.tags}) i`.execute(db)
	},
	{
		name: 'ideas',
		run: (db, s) =>
			sql`
			insert into post (kind, product_id, author_id, title, body_source, body_html, status_id,
				created_at, last_activity_at, vote_count)
			select 'idea', p.first + (i % ${s.products}),
				u.first + floor(power(random(), 2) * ${s.members})::bigint,
				initcap(w.title) || case when i % 1000 = 7 then ' ' || ${RARE_WORD} else '' end,
				w.body, '<p>' || w.body || '</p>',
				case when i % 10 = 0 then (select id from idea_status where slug = 'shipped')
					when i % 4 = 0 then (select id from idea_status where slug = 'planned')
					when i % 13 = 0 then (select id from idea_status where slug = 'under-review')
					when i % 17 = 0 then (select id from idea_status where slug = 'declined')
					else (select id from idea_status where is_default) end,
				t.at, t.at, 0
			from generate_series(1, ${s.ideas}) i
			cross join (select min(id) as first from product) p
			cross join (select min(id) as first from app_user where role = 'member') u
			cross join lateral (select ${recent(s.days)} + i * interval '0 second' as at) t
			cross join lateral (select ${words(4, 5, 'i')} as title, ${words(20, 41, 'i')} as body) w
			order by i`.execute(db)
	},
	{
		name: 'idea tags',
		run: (db, s) =>
			sql`
			insert into post_tag (post_id, tag_id)
			select distinct p.id, t.first + ((p.id * k) % ${s.tags})
			from post p cross join generate_series(1, 2) k
			cross join (select min(id) as first from tag) t
			-- Two ideas in three have a tag, one in six two.
			where p.kind = 'idea' and p.id % 3 <> 0 and (k = 1 or p.id % 4 = 0)`.execute(db)
	},
	{
		name: 'first responses',
		run: async (db) => {
			await sql`
				insert into idea_first_response (post_id, responded_at, kind, responder_id)
				select p.id, least(now(), p.created_at + interval '1 hour' * (1 + power(random(), 3) * 24 * 40)),
					'status_change', ${firstStaff}
				from post p where p.kind = 'idea' and random() < 0.85`.execute(db);
			// An idea moved out of the default status has its change on record and is triaged;
			// an open one is triaged once staff answered it. The rest is the triage inbox.
			await sql`
				insert into status_change (post_id, from_status_id, to_status_id, changed_by_id, created_at)
				select p.id, d.id, p.status_id, ${firstStaff} + (p.id % 5),
					coalesce(fr.responded_at, least(now(), p.created_at + interval '1 day'))
				from post p
				cross join (select id from idea_status where is_default) d
				left join idea_first_response fr on fr.post_id = p.id
				where p.kind = 'idea' and p.status_id <> d.id`.execute(db);
			await sql`
				update post set triaged_at = coalesce(fr.responded_at, sc.created_at),
					owner_id = case when post.id % 3 = 0 then ${firstStaff} + (post.id % 5) end
				from post p
				left join idea_first_response fr on fr.post_id = p.id
				left join status_change sc on sc.post_id = p.id
				where post.id = p.id and p.kind = 'idea'
					and (fr.post_id is not null or sc.post_id is not null)`.execute(db);
		}
	},
	{
		name: 'votes',
		run: async (db, s) => {
			// Distinct (idea, member) pairs drawn from power laws (a few ideas get most votes, a few
			// members cast many); a round that drew a pair twice, or one already there, is topped
			// up by the next until exactly BENCH_VOTES rows exist.
			for (let round = 1; ; round++) {
				const missing = s.votes - (await count(db, 'vote'));
				if (missing <= 0) {
					break;
				}
				if (round > 10) {
					throw new Error(`votes: ${missing} still missing after 10 rounds`);
				}
				await sql`
					insert into vote (post_id, user_id, created_at)
					select c.post_id, c.user_id, ${after('p.created_at')}
					from (
						select distinct ${firstIdea} + floor(power(random(), 1.5) * ${s.ideas})::bigint as post_id,
							${firstMember} + floor(power(random(), 1.6) * ${s.members})::bigint as user_id
						from generate_series(1, ${Math.ceil(missing * 1.05) + 100}) g
					) c
					join post p on p.id = c.post_id
					where not exists (select 1 from vote v where v.post_id = c.post_id and v.user_id = c.user_id)
					limit ${missing}`.execute(db);
			}
		}
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
			// Spread over the ideas like votes (popular ideas are discussed more), in time order so
			// ids follow time; the second idea gets exactly SHOWCASE_COMMENTS and no others.
			sql`
			insert into comment (post_id, author_id, body_source, body_html, is_official, created_at)
			select c.post_id, c.author_id, c.body, '<p>' || c.body || '</p>', c.official, c.at
			from (
				select x.post_id, x.author_id, x.official, ${after('p.created_at')} as at,
					${words(8, 23, 'x.g')} as body
				from (
					select g, ${firstIdea} + case when k = 1 then 0 else k end as post_id,
						case when g % 50 = 0 then ${firstStaff} + (g % ${s.staff})
							else ${firstMember} + floor(power(random(), 2) * ${s.members})::bigint end as author_id,
						g % 50 = 0 as official
					from generate_series(1, ${s.comments - SHOWCASE_COMMENTS}) g
					cross join lateral (select floor(power(random(), 1.5) * ${s.ideas})::bigint + g * 0 as k) r
					union all
					select g, ${firstIdea} + 1,
						case when g % 20 = 0 then ${firstStaff} + (g % ${s.staff})
							else ${firstMember} + floor(random() * ${s.members})::bigint end,
						g % 20 = 0
					from generate_series(1, ${SHOWCASE_COMMENTS}) g
				) x
				join post p on p.id = x.post_id
			) c
			order by c.at`.execute(db)
	},
	{
		name: 'comment replies',
		// One comment in five answers its idea's first comment (replies are one level deep).
		run: (db) =>
			sql`
			update comment set parent_id = f.first
			from (select post_id, min(id) as first from comment group by post_id) f
			where f.post_id = comment.post_id and comment.id <> f.first and comment.id % 5 = 0`.execute(db)
	},
	{
		name: 'reviews',
		run: async (db, s) => {
			// One review per member and product: member i reviews product i % products.
			await sql`
				insert into post (kind, product_id, author_id, title, body_source, body_html,
					created_at, last_activity_at)
				select 'review', p.first + (g % ${s.products}), u.first + g, initcap(w.title),
					w.body, '<p>' || w.body || '</p>', t.at, t.at
				from generate_series(0, ${s.reviews - 1}) g
				cross join (select min(id) as first from product) p
				cross join (select min(id) as first from app_user where role = 'member') u
				cross join lateral (select ${recent(s.days)} + g * interval '0 second' as at) t
				cross join lateral (select ${words(3, 4, 'g')} as title, ${words(10, 31, 'g')} as body) w`.execute(
				db
			);
			await sql`
				insert into review (post_id, rating)
				select id, (array[1, 2, 3, 3, 4, 4, 4, 5, 5, 5])[1 + floor(random() * 10)::int]
				from post where kind = 'review'`.execute(db);
		}
	},
	{
		name: 'threads',
		run: async (db, s) => {
			await sql`
				insert into discussion_category (name, slug, description, product_id, position)
				select 'Category ' || i, 'category-' || i, 'Benchmark category ' || i,
					case when i <= ${s.products} then p.first + i - 1 end, i
				from generate_series(1, ${s.categories}) i
				cross join (select min(id) as first from product) p`.execute(db);
			await sql`
				insert into post (kind, product_id, author_id, title, body_source, body_html,
					created_at, last_activity_at)
				select 'discussion', c.product_id,
					${firstMember} + floor(power(random(), 2) * ${s.members})::bigint,
					initcap(w.title), w.body, '<p>' || w.body || '</p>', t.at, t.at
				from generate_series(1, ${s.threads}) g
				join (select row_number() over (order by id) - 1 as n, product_id from discussion_category) c
					on c.n = g % ${s.categories}
				cross join lateral (select ${recent(s.days)} + g * interval '0 second' as at) t
				cross join lateral (select ${words(4, 5, 'g')} as title, ${words(15, 41, 'g')} as body) w
				order by g`.execute(db);
			// A question in four; the five oldest threads are pinned.
			await sql`
				insert into discussion (post_id, category_id, is_question, pinned_at)
				select p.id, c.first + (p.id - t.first + 1) % ${s.categories}, p.id % 4 = 0,
					case when p.id < t.first + 5 then p.created_at end
				from post p
				cross join (select min(id) as first from post where kind = 'discussion') t
				cross join (select min(id) as first from discussion_category) c
				where p.kind = 'discussion'`.execute(db);
		}
	},
	{
		name: 'replies',
		run: async (db, s) => {
			await sql`
				insert into comment (post_id, author_id, body_source, body_html, is_official, created_at)
				select c.post_id, c.author_id, c.body, '<p>' || c.body || '</p>', c.official, c.at
				from (
					select x.post_id, x.author_id, x.official, ${after('p.created_at')} as at,
						${words(6, 31, 'x.g')} as body
					from (
						select g, t.first + floor(power(random(), 1.3) * ${s.threads})::bigint + g * 0 as post_id,
							case when g % 40 = 0 then ${firstStaff} + (g % ${s.staff})
								else ${firstMember} + floor(power(random(), 2) * ${s.members})::bigint end as author_id,
							g % 40 = 0 as official
						from generate_series(1, ${s.replies}) g
						cross join (select min(id) as first from post where kind = 'discussion') t
					) x
					join post p on p.id = x.post_id
				) c
				order by c.at`.execute(db);
			// Half the questions have an accepted answer: their first reply.
			await sql`
				update discussion d set accepted_comment_id = f.first
				from (select post_id, min(id) as first from comment group by post_id) f
				where f.post_id = d.post_id and d.is_question and d.post_id % 8 = 0`.execute(db);
		}
	},
	{
		name: 'counters',
		run: async (db) => {
			// What the app keeps in step on every vote and comment (votes/index.ts,
			// comments/index.ts, discussions/replies.ts): counts of rows, the trending score, and
			// the latest activity.
			await sql`
				update post set vote_count = v.n,
					last_activity_at = greatest(post.last_activity_at, v.latest)
				from (select post_id, count(*) as n, max(created_at) as latest from vote group by post_id) v
				where v.post_id = post.id`.execute(db);
			await sql`
				update post set comment_count = c.n,
					last_activity_at = greatest(post.last_activity_at, c.latest)
				from (select post_id, count(*) as n, max(created_at) as latest from comment
					where deleted_at is null and visibility = 'visible' group by post_id) c
				where c.post_id = post.id`.execute(db);
			await sql`
				update post set hot_score = log(greatest(vote_count, 1))
					+ (extract(epoch from created_at) - 1700000000) / 45000
				where kind = 'idea'`.execute(db);
		}
	},
	{
		name: 'follows',
		// Posting, voting and commenting follow the post (follows/index.ts autoFollow).
		run: (db) =>
			sql`
			insert into subscription (user_id, post_id, created_at)
			select author_id, id, created_at from post
			union all select user_id, post_id, created_at from vote
			union all select author_id, post_id, min(created_at) from comment group by author_id, post_id
			on conflict do nothing`.execute(db)
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
		name: 'activity (derived)',
		run: async (db) => {
			await sql`alter table activity disable trigger activity_insights_rollup`.execute(db);
			try {
				// One ledger row per act the seed made, as the app writes them (same kinds, post,
				// comment, product and data), in one statement.
				await sql`
					insert into activity (user_id, kind, post_id, comment_id, product_id, data, created_at)
					select author_id, 'idea_posted', id, null::bigint, product_id, '{}'::jsonb, created_at
						from post where kind = 'idea'
					union all
					select v.user_id, 'vote_cast', v.post_id, null, p.product_id,
						'{"importance":null}', v.created_at
						from vote v join post p on p.id = v.post_id
					union all
					select c.author_id, case when p.kind = 'idea' then 'comment_posted' else 'reply_posted' end,
						c.post_id, c.id, p.product_id,
						case when p.kind = 'idea'
							then jsonb_build_object('reply', c.parent_id is not null, 'official', c.is_official)
							else jsonb_build_object('official', c.is_official) end,
						c.created_at
						from comment c join post p on p.id = c.post_id
					union all
					select p.author_id, 'review_posted', p.id, null, p.product_id,
						jsonb_build_object('rating', r.rating), p.created_at
						from post p join review r on r.post_id = p.id
					union all
					select p.author_id, 'thread_posted', p.id, null, p.product_id,
						jsonb_build_object('question', d.is_question, 'poll', false), p.created_at
						from post p join discussion d on d.post_id = p.id
					union all
					select sc.changed_by_id, 'status_changed', sc.post_id, null, p.product_id,
						jsonb_build_object('from', f.name, 'to', t.name, 'category', t.category), sc.created_at
						from status_change sc join post p on p.id = sc.post_id
						join idea_status f on f.id = sc.from_status_id join idea_status t on t.id = sc.to_status_id
					union all
					select p.author_id, 'idea_shipped', p.id, null, p.product_id, '{}', sc.created_at
						from status_change sc join post p on p.id = sc.post_id
						join idea_status t on t.id = sc.to_status_id and t.category = 'done'
					union all
					select user_id, 'survey_answered', null, null, null,
						jsonb_build_object('kind', kind, 'score', score), created_at
						from survey_response`.execute(db);
			} finally {
				await sql`alter table activity enable trigger activity_insights_rollup`.execute(db);
			}
		}
	},
	{
		name: 'activity (other)',
		run: async (db, s) => {
			const missing = s.activity - (await count(db, 'activity'));
			if (missing <= 0) {
				return;
			}
			await sql`alter table activity disable trigger activity_insights_rollup`.execute(db);
			try {
				// The acts the seed has no rows for (likes, polls, helpful votes …): a power law
				// over members (a few very active, a long tail), more recent than old, 2 % by
				// the team.
				await sql`
					insert into activity (user_id, kind, created_at)
					select case when g % 50 = 0 then t.first + (g % ${s.staff})
							else u.first + floor(power(random(), 3) * ${s.members})::bigint end,
						(array['like_given', 'like_given', 'like_given', 'poll_voted', 'poll_voted',
							'helpful_received', 'vote_removed', 'answer_accepted', 'like_removed',
							'review_updated'])[1 + floor(random() * 10)::int],
						${recent(s.days)}
					from generate_series(1, ${missing}) g
					cross join (select min(id) as first from app_user where role = 'member') u
					cross join (select min(id) as first from app_user) t`.execute(db);
			} finally {
				await sql`alter table activity enable trigger activity_insights_rollup`.execute(db);
			}
		}
	},
	{ name: 'insights roll-ups', run: (db) => sql`select insights_rebuild_rollups()`.execute(db) },
	// The counter updates leave each post row in several versions: compact the table, as a site
	// whose rows were written once each would have it, then refresh the planner's statistics.
	{ name: 'vacuum full post', run: (db) => sql`vacuum full post`.execute(db) },
	{ name: 'vacuum analyze', run: (db) => sql`vacuum analyze`.execute(db) }
];

async function count(db: Db, table: string): Promise<number> {
	const { rows } = await sql<{
		n: number;
	}>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
	return rows[0]!.n;
}

/** What a load benchmark needs to find, printed once the data is in. */
async function printHandles(db: Db): Promise<void> {
	const one = async <T>(query: RawBuilder<T>): Promise<T> => (await query.execute(db)).rows[0]!;
	const sizes = await one(sql<Record<string, number>>`
		select (select count(*) from app_user where role = 'member')::int as members,
			(select count(*) from company)::int as companies,
			(select count(*) from product)::int as products,
			(select count(*) from post where kind = 'idea')::int as ideas,
			(select count(*) from vote)::int as votes,
			(select count(*) from comment c join post p on p.id = c.post_id where p.kind = 'idea')::int as comments,
			(select count(*) from post where kind = 'review')::int as reviews,
			(select count(*) from post where kind = 'discussion')::int as threads,
			(select count(*) from comment c join post p on p.id = c.post_id where p.kind = 'discussion')::int as replies,
			(select count(*) from subscription)::int as follows,
			(select count(*) from activity)::int as activity,
			(select pg_size_pretty(pg_database_size(current_database()))) as database_size`);
	console.log('\nRows:', JSON.stringify(sizes));
	const mismatched = await one(sql<{ votes: number; comments: number }>`
		select (select count(*) from post p where p.vote_count <> (select count(*) from vote v where v.post_id = p.id))::int as votes,
			(select count(*) from post p where p.comment_count <> (select count(*) from comment c
				where c.post_id = p.id and c.deleted_at is null and c.visibility = 'visible'))::int as comments`);
	console.log('Posts whose stored counts differ from their rows:', JSON.stringify(mismatched));

	const showcase = await one(sql<{ id: number; title: string; comments: number; votes: number }>`
		select p.id, p.title, p.comment_count as comments, p.vote_count as votes from post p
		where p.id = ${firstIdea} + 1`);
	const thread = await one(sql<{ id: number; title: string; replies: number }>`
		select id, title, comment_count as replies from post where kind = 'discussion'
		order by comment_count desc, id limit 1`);
	// Ledger rows per member: the busiest and the median (what bench:insights times too).
	const customers = await sql<{ handle: string; acts: number; rank: string }>`
		with ranked as (
			select user_id, count(*)::int as acts,
				row_number() over (order by count(*) desc, user_id) as n,
				count(*) over () as total
			from activity a where user_id >= ${firstMember} group by user_id)
		select u.handle, r.acts, case when r.n = 1 then 'busiest' else 'median' end as rank
		from ranked r join app_user u on u.id = r.user_id
		where r.n = 1 or r.n = r.total / 2 order by r.n`.execute(db);
	const company = await one(sql<{ slug: string; members: number }>`
		select c.slug, count(*)::int as members from company c join app_user u on u.company_id = c.id
		group by c.id order by count(*) desc, c.id limit 1`);
	const voter = await one(sql<{ email: string }>`
		select email from app_user where role = 'member' order by id desc limit 1`);
	console.log(`
Handy for the load benchmark (all accounts have password_hash 'x': create sessions directly):
  idea with ${showcase.comments} comments, ${showcase.votes} votes: ${ideaPath(showcase)} (id ${showcase.id})
  busiest thread (${thread.replies} replies):    ${discussionPath(thread)}
  ${customers.rows.map((c) => `${c.rank} customer (${c.acts} ledger rows): /staff/customers/${c.handle}`).join('\n  ')}
  largest company (${company.members} members): /staff/companies/${company.slug}
  admin: staff1@bench.example · staff: staff2@bench.example … staff${SIZES.staff}@bench.example
  members: member1@bench.example … (${voter.email} has few votes: a fresh voter)
  search: a common word '${COMMON_WORD}', a rare word '${RARE_WORD}' (/ideas?q=${RARE_WORD})
  session for account ID with cookie session=TOKEN (src/lib/server/auth/session.ts stores the
  token's SHA-256 in hex):
    insert into user_session (id, user_id, expires_at)
    values (encode(sha256(convert_to('TOKEN', 'UTF8')), 'hex'), ID, now() + interval '30 days');`);
}

async function main() {
	const url = process.env.BENCH_DATABASE_URL;
	if (!url) {
		console.error('Set BENCH_DATABASE_URL to an empty PostgreSQL database (it will be filled).');
		process.exit(2);
	}
	const handle = await openDatabase({ url, poolSize: 1 });
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
				`${step.name.padEnd(20)} ${((performance.now() - t) / 1000).toFixed(1).padStart(7)} s`,
				`(load ${os.loadavg()[0]!.toFixed(1)})`
			);
		}
		console.log(
			`${'total'.padEnd(20)} ${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s`,
			`(load average ${os
				.loadavg()
				.map((n) => n.toFixed(1))
				.join(' ')})`
		);
		await printHandles(db);
	} finally {
		await handle.close();
	}
}

await main();
