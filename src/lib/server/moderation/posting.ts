// Whether a member may post now, and how the post starts: the one check every posting route
// (ideas, comments, and at merge reviews and discussion threads) runs before it writes.
// Suspended members are refused (403); everyone has a per-minute limit; new members also a
// per-day limit and a links-per-post limit, and optionally their first posts wait for approval.
import type pg from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { sql } from 'kysely';
import type { Visibility } from '$lib/domain/moderation';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { checkLimit, hitLimit } from '../rate-limit';
import { isSuspended, isTrustedPoster, type Actor, type UserActor } from '../policy';
import { getSiteSettings, type SiteSettings } from './settings';

export type PostingKind = 'post' | 'comment';

export type PostingCheck =
	| { ok: true; visibility: Visibility }
	| { ok: false; status: 403; reason: 'suspended' | 'anonymous'; message: string }
	| { ok: false; status: 400; reason: 'links'; message: string }
	| { ok: false; status: 429; reason: 'rate'; message: string; retryAfterSeconds: number };

/** Links in markdown source: inline and reference links, autolinks and bare addresses. */
export function countLinks(markdown: string): number {
	const found = new Set<string>();
	let n = 0;
	for (const match of markdown.matchAll(/\]\(\s*<?([^)\s>]+)/g)) {
		n += 1;
		found.add(match[1]!);
	}
	for (const match of markdown.matchAll(/^[ \t]*\[[^\]]+\]:[ \t]*<?(\S+?)>?(?:\s|$)/gm)) {
		n += 1;
		found.add(match[1]!);
	}
	// Bare and <autolinked> addresses not already counted as a link's target.
	for (const match of markdown.matchAll(/<?\b((?:https?:\/\/|www\.)[^\s<>()\]]+)/gi)) {
		if (!found.has(match[1]!)) {
			n += 1;
		}
	}
	return n;
}

const limiters = new WeakMap<pg.Pool, Map<string, RateLimiterPostgres>>();

/** A limiter for these numbers; settings change at run time, so one per (name, points, window). */
function limiterFor(pool: pg.Pool, name: string, points: number, seconds: number) {
	let byKey = limiters.get(pool);
	if (!byKey) {
		byKey = new Map();
		limiters.set(pool, byKey);
	}
	const key = `${name}:${points}:${seconds}`;
	let limiter = byKey.get(key);
	if (!limiter) {
		limiter = new RateLimiterPostgres({
			storeClient: pool,
			storeType: 'pool',
			tableName: 'rate_limit',
			tableCreated: true,
			keyPrefix: name,
			points,
			duration: seconds,
			clearExpiredByTimeout: false
		});
		byKey.set(key, limiter);
	}
	return limiter;
}

function suspendedMessage(actor: UserActor): string {
	const until = actor.suspendedUntil!.toISOString().slice(0, 10);
	return m.mod_posting_suspended({ date: until });
}

/** The 403 message for any write by a suspended member, or null when the actor may write. */
export function suspensionRefusal(actor: Actor): string | null {
	return actor.kind === 'user' && isSuspended(actor) ? suspendedMessage(actor) : null;
}

async function memberFacts(db: Db, userId: number) {
	return db
		.selectFrom('app_user')
		.select([
			'created_at',
			sql<number>`(select count(*) from post p where p.author_id = app_user.id
				and p.visibility = 'visible' and p.deleted_at is null)
				+ (select count(*) from comment c where c.author_id = app_user.id
				and c.visibility = 'visible' and c.deleted_at is null)`.as('approved')
		])
		.where('id', '=', userId)
		.executeTakeFirstOrThrow();
}

/**
 * Checks and counts one post or comment about to be written. Call it after the form validated
 * and before the write; pass the returned `visibility` to the write ('pending' holds it for a
 * moderator). Limits are checked all before any is counted, so a refusal costs nothing.
 */
export async function checkPosting(
	db: Db,
	pool: pg.Pool,
	actor: Actor,
	input: { kind: PostingKind; body: string },
	now = new Date()
): Promise<PostingCheck> {
	if (actor.kind !== 'user') {
		return { ok: false, status: 403, reason: 'anonymous', message: m.mod_posting_sign_in() };
	}
	if (isSuspended(actor, now)) {
		return { ok: false, status: 403, reason: 'suspended', message: suspendedMessage(actor) };
	}
	const settings: SiteSettings = await getSiteSettings(db);
	const trusted = isTrustedPoster(actor);
	const facts = trusted ? null : await memberFacts(db, actor.id);
	const isNew =
		facts !== null &&
		now.getTime() - facts.created_at.getTime() < settings.newMemberDays * 86_400_000;

	if (isNew && countLinks(input.body) > settings.newMemberLinksPerPost) {
		const max = settings.newMemberLinksPerPost;
		return {
			ok: false,
			status: 400,
			reason: 'links',
			message: max === 0 ? m.mod_posting_no_links() : m.mod_posting_max_links({ count: max })
		};
	}

	const key = `user:${actor.id}`;
	const limits: { limiter: RateLimiterPostgres; what: string }[] = [
		{
			limiter: limiterFor(pool, 'post-minute', settings.postsPerMinute, 60),
			what: m.mod_posting_too_fast({ count: settings.postsPerMinute })
		}
	];
	if (isNew) {
		limits.push(
			{
				limiter: limiterFor(pool, 'new-post-minute', settings.newMemberPostsPerMinute, 60),
				what: m.mod_posting_new_per_minute({ count: settings.newMemberPostsPerMinute })
			},
			{
				limiter: limiterFor(pool, 'new-post-day', settings.newMemberPostsPerDay, 86_400),
				what: m.mod_posting_new_per_day({ count: settings.newMemberPostsPerDay })
			}
		);
	}
	for (const { limiter, what } of limits) {
		const limited = await checkLimit(limiter, key);
		if (limited) {
			return rate(what, limited.retryAfterSeconds);
		}
	}
	for (const { limiter, what } of limits) {
		const limited = await hitLimit(limiter, key);
		if (limited) {
			return rate(what, limited.retryAfterSeconds);
		}
	}

	const pending =
		!trusted &&
		facts !== null &&
		settings.approveFirstPosts > 0 &&
		facts.approved < settings.approveFirstPosts;
	return { ok: true, visibility: pending ? 'pending' : 'visible' };
}

function rate(what: string, retryAfterSeconds: number): PostingCheck {
	return {
		ok: false,
		status: 429,
		reason: 'rate',
		message: `${what} ${
			retryAfterSeconds < 90
				? m.mod_posting_retry_seconds({ count: retryAfterSeconds })
				: m.mod_posting_retry_minutes({ count: Math.ceil(retryAfterSeconds / 60) })
		}`,
		retryAfterSeconds
	};
}
