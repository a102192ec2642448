// Insights roll-ups: who took part in which week, each member's first week, and per-week counts
// of contributors and new contributors. Kept exact by a trigger on the activity ledger (insert,
// update, delete), so the dashboard reads a few hundred rows instead of millions of acts.
// `insights_rebuild_rollups()` recomputes all three from the ledger: the backfill here, and bulk
// loads (bench/seed.ts) that disable the trigger and rebuild once at the end.
import { sql, type Kysely } from 'kysely';

// The participation kinds (docs/metrics.md, "Community health"): acts a member does, not
// outcomes that happen to them (helpful_received, idea_shipped, ...), retractions, or staff work.
const PARTICIPATION_KINDS = `'idea_posted', 'vote_cast', 'comment_posted', 'review_posted',
	'review_updated', 'thread_posted', 'reply_posted', 'poll_voted', 'like_given', 'survey_answered'`;

const up_statements = [
	// One row per member and week (weeks start on Monday, UTC) with at least one participation act.
	sql`create table activity_user_week (
		week date not null,
		user_id bigint not null,
		acts integer not null check (acts > 0),
		primary key (week, user_id)
	)`,
	sql`create index activity_user_week_user_idx on activity_user_week (user_id, week)`,

	// Each member's first week with a participation act: "new" contributors are in theirs.
	sql`create table contributor_first_week (
		user_id bigint primary key,
		week date not null
	)`,
	sql`create index contributor_first_week_week_idx on contributor_first_week (week)`,

	// Per week: distinct contributors, and how many of them were new that week.
	sql`create table contributor_week (
		week date primary key,
		contributors integer not null default 0 check (contributors >= 0),
		new_contributors integer not null default 0 check (new_contributors >= 0)
	)`,

	sql.raw(`create function insights_is_participation(kind text) returns boolean
		language sql immutable as $$ select kind in (${PARTICIPATION_KINDS}) $$`),

	sql`create function insights_week(at timestamptz) returns date
		language sql immutable as $$ select date_trunc('week', at at time zone 'UTC')::date $$`,

	sql`create function insights_bump_week(w date, d_contributors integer, d_new integer)
		returns void language plpgsql as $$
		begin
			insert into contributor_week (week, contributors, new_contributors)
				values (w, greatest(d_contributors, 0), greatest(d_new, 0))
				on conflict (week) do update set
					contributors = contributor_week.contributors + d_contributors,
					new_contributors = contributor_week.new_contributors + d_new;
		end
	$$`,

	// One act counted in (sign = 1) or out (sign = -1) of the roll-ups.
	sql`create function insights_count_act(uid bigint, w date, sign integer)
		returns void language plpgsql as $$
		declare
			remaining integer;
			first date;
			earliest date;
		begin
			if sign > 0 then
				insert into activity_user_week (week, user_id, acts) values (w, uid, 1)
					on conflict (week, user_id) do update set acts = activity_user_week.acts + 1
					returning acts into remaining;
				if remaining = 1 then
					perform insights_bump_week(w, 1, 0);
					select week into first from contributor_first_week where user_id = uid for update;
					if first is null then
						insert into contributor_first_week (user_id, week) values (uid, w);
						perform insights_bump_week(w, 0, 1);
					elsif w < first then
						-- An act dated before the member's first known week (imports, backfills).
						update contributor_first_week set week = w where user_id = uid;
						perform insights_bump_week(first, 0, -1);
						perform insights_bump_week(w, 0, 1);
					end if;
				end if;
			else
				-- The member's last act of the week leaves: the week loses a contributor.
				delete from activity_user_week where week = w and user_id = uid and acts = 1;
				if not found then
					update activity_user_week set acts = acts - 1 where week = w and user_id = uid;
				else
					perform insights_bump_week(w, -1, 0);
					select week into first from contributor_first_week where user_id = uid for update;
					if first = w then
						select min(week) into earliest from activity_user_week where user_id = uid;
						perform insights_bump_week(w, 0, -1);
						if earliest is null then
							delete from contributor_first_week where user_id = uid;
						else
							update contributor_first_week set week = earliest where user_id = uid;
							perform insights_bump_week(earliest, 0, 1);
						end if;
					end if;
				end if;
			end if;
		end
	$$`,

	// Ledger rows are appended, but a deleted account sets user_id to null and a purge deletes:
	// both take the act out again, so the roll-ups always equal a count over the ledger.
	sql`create function insights_activity_changed() returns trigger language plpgsql as $$
		begin
			if tg_op in ('UPDATE', 'DELETE') and old.user_id is not null
				and insights_is_participation(old.kind) then
				perform insights_count_act(old.user_id, insights_week(old.created_at), -1);
			end if;
			if tg_op in ('INSERT', 'UPDATE') and new.user_id is not null
				and insights_is_participation(new.kind) then
				perform insights_count_act(new.user_id, insights_week(new.created_at), 1);
			end if;
			return null;
		end
	$$`,
	sql`create trigger activity_insights_rollup after insert or update of user_id, kind, created_at
		or delete on activity for each row execute function insights_activity_changed()`,

	// Recompute everything from the ledger, set-based: the backfill and bulk loads.
	sql`create function insights_rebuild_rollups() returns void language plpgsql as $$
		begin
			delete from contributor_week;
			delete from contributor_first_week;
			delete from activity_user_week;
			insert into activity_user_week (week, user_id, acts)
				select insights_week(created_at), user_id, count(*)
				from activity
				where user_id is not null and insights_is_participation(kind)
				group by 1, 2;
			insert into contributor_first_week (user_id, week)
				select user_id, min(week) from activity_user_week group by user_id;
			insert into contributor_week (week, contributors, new_contributors)
				select w.week, count(*), count(f.user_id)
				from activity_user_week w
				left join contributor_first_week f on f.user_id = w.user_id and f.week = w.week
				group by w.week;
		end
	$$`,
	sql`select insights_rebuild_rollups()`,

	// Ratings and answers over time, and at-risk customers' reviews, by date.
	sql`create index post_review_created_idx on post (created_at) where kind = 'review'`,
	sql`create index ship_notice_created_idx on ship_notice (created_at)`,
	// The product team, whose own acts the community figures leave out: a handful of rows.
	sql`create index app_user_team_idx on app_user (id) where role in ('staff', 'admin')`
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const statement of up_statements) {
		await statement.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index if exists app_user_team_idx`.execute(db);
	await sql`drop index if exists ship_notice_created_idx`.execute(db);
	await sql`drop index if exists post_review_created_idx`.execute(db);
	await sql`drop trigger if exists activity_insights_rollup on activity`.execute(db);
	for (const fn of [
		'insights_rebuild_rollups()',
		'insights_activity_changed()',
		'insights_count_act(bigint, date, integer)',
		'insights_bump_week(date, integer, integer)',
		'insights_week(timestamptz)',
		'insights_is_participation(text)'
	]) {
		await sql.raw(`drop function if exists ${fn}`).execute(db);
	}
	for (const table of ['contributor_week', 'contributor_first_week', 'activity_user_week']) {
		await sql`drop table if exists ${sql.table(table)}`.execute(db);
	}
}
