// Email through the job queue, on both databases, read from a real SMTP server started here:
// a notification → a pg-boss job (enqueued in the act's transaction) → one email with the
// RFC 8058 headers; retries with backoff that never send twice; preferences; signed unsubscribe
// links; the weekly digest; the password-reset mail and the rate-limit purge on the queue.
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { postComment } from '$lib/server/comments';
import { config, readConfig, setConfig, type Config } from '$lib/server/config';
import type { Db } from '$lib/server/db/index';
import { appSecret, signUnsubscribeToken, verifyUnsubscribeToken } from '$lib/server/email/links';
import {
	collectDigest,
	enqueueNotificationEmails,
	planWeeklyDigest,
	sendDigestEmail,
	sendNotificationEmail
} from '$lib/server/email/mailer';
import {
	getEmailPreferences,
	saveEmailPreferences,
	unsubscribe
} from '$lib/server/email/preferences';
import { defaultEmailPreferences } from '$lib/domain/email';
import { setFollowing } from '$lib/server/follows';
import { postIdea } from '$lib/server/ideas';
import { startJobWorker, type JobWorker } from '$lib/server/jobs';
import { jobHandlers } from '$lib/server/jobs/handlers';
import { createRateLimits, purgeExpiredRateLimits } from '$lib/server/rate-limit';
import { requestPasswordReset, resetPassword } from '$lib/server/auth/accounts';
import type { Actor, UserActor } from '$lib/server/policy';
import { createProduct, createUser } from '../helpers/factories';
import { eventually, startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { backends, useTestDatabase } from '../helpers/test-db';

const ORIGIN = 'https://feedback.acme.test';
let smtp: TestSmtp;
let previousConfig: Config;

beforeAll(async () => {
	previousConfig = config();
	smtp = await startTestSmtp();
	setConfig(
		readConfig({
			...process.env,
			SMTP_URL: smtp.url,
			ORIGIN,
			APP_SECRET: undefined,
			SITE_NAME: 'Acme Feedback',
			MAIL_FROM: 'Acme Feedback <feedback@acme.test>'
		})
	);
});

afterAll(async () => {
	setConfig(previousConfig);
	await smtp.close();
});

function header(mail: ParsedMail, name: string): string | undefined {
	const line = mail.headerLines.find((h) => h.key === name.toLowerCase());
	return line?.line.slice(line.line.indexOf(':') + 1).trim();
}

describe.each(backends)('email on %s', (backend) => {
	const t = useTestDatabase(backend);
	const db = (): Db => t.db;
	let worker: JobWorker;
	let productId: number;

	beforeAll(async () => {
		// Retries a second apart (doubling), so a test sees one within its time.
		await sql`update pgboss.queue set retry_delay = 1`.execute(db());
		worker = await startJobWorker(t.handle.pool, jobHandlers(db()), {
			pollingIntervalSeconds: 0.5,
			schedule: false
		});
		productId = (await createProduct(db())).id;
	});

	afterAll(async () => {
		await worker?.stop(2000);
	});

	beforeEach(() => {
		smtp.arrivals.length = 0;
	});

	const person = (displayName: string, role: 'member' | 'staff' = 'member') =>
		createUser(db(), { displayName, role });

	async function newIdea(author: UserActor, title: string) {
		const result = await postIdea(db(), author, {
			title,
			body: 'Something we would like.',
			product: productId,
			tags: []
		});
		if (!result.ok) {
			throw new Error('could not post the idea');
		}
		return { id: result.id, path: result.path };
	}

	async function comment(actor: Actor, postId: number, body: string, parentId?: number) {
		const result = await postComment(db(), actor, { postId, body, parentId });
		if (!result.ok) {
			throw new Error(`comment refused: ${result.reason}`);
		}
		return result.id;
	}

	async function notificationOf(userId: number, commentId: number) {
		return db()
			.selectFrom('notification')
			.select(['id', 'kind', 'emailed_at'])
			.where('user_id', '=', userId)
			.where('comment_id', '=', commentId)
			.executeTakeFirstOrThrow();
	}

	/** The notification-email jobs of a notification, as pg-boss keeps them. */
	async function jobsOf(notificationId: number) {
		const result = await sql<{
			state: string;
			retry_count: number;
		}>`select state, retry_count from pgboss.job
			where name = 'notification-email' and (data->>'notificationId')::bigint = ${notificationId}
			order by created_on`.execute(db());
		return result.rows;
	}

	async function settled(notificationId: number) {
		await eventually(async () => {
			const jobs = await jobsOf(notificationId);
			return jobs.length > 0 && jobs.every((j) => j.state === 'completed');
		}, `the jobs of notification ${notificationId} to complete`);
	}

	async function insertNotification(
		userId: number,
		row: {
			kind: string;
			postId: number;
			commentId?: number | null;
			actorId: number;
			data?: object;
		}
	): Promise<number> {
		return db()
			.transaction()
			.execute(async (trx) => {
				const inserted = await trx
					.insertInto('notification')
					.values({
						user_id: userId,
						kind: row.kind,
						post_id: row.postId,
						comment_id: row.commentId ?? null,
						actor_id: row.actorId,
						data: JSON.stringify(row.data ?? {})
					})
					.returning('id')
					.executeTakeFirstOrThrow();
				await enqueueNotificationEmails(trx, [inserted.id]);
				return inserted.id;
			});
	}

	it('mails a reply once, with the item link, preferences and RFC 8058 unsubscribe headers', async () => {
		const ada = await person('Ada Mailer');
		const bob = await person('Bob <b>Bold</b>');
		const cara = await person('Cara Follower');
		const idea = await newIdea(ada, 'Dark mode & <script>alert(1)</script>');
		await setFollowing(db(), cara.id, idea.id, true);
		const first = await comment(ada, idea.id, 'Would love this for night shifts.');
		const reply = await comment(bob, idea.id, 'Same here: *please* <img src=x>', first);

		await eventually(() => smtp.to(ada.email).length > 0, 'the reply email to Ada');
		const notification = await notificationOf(ada.id, reply);
		await settled(notification.id);
		// Cara follows the idea: a 'comment' notification, which is not emailed by default.
		await settled((await notificationOf(cara.id, reply)).id);

		expect(smtp.arrivals).toHaveLength(1);
		const [mail] = smtp.to(ada.email);
		expect(mail!.subject).toBe(
			'Bob <b>Bold</b> replied to your comment on “Dark mode & <script>alert(1)</script>”'
		);
		expect(mail!.from?.value).toEqual([{ address: 'feedback@acme.test', name: 'Acme Feedback' }]);
		expect(mail!.text).toContain('Hello Ada Mailer,');
		expect(mail!.text).toContain('> Same here: *please* <img src=x>');
		expect(mail!.text).toContain(`${ORIGIN}${idea.path}#comment-${reply}`);
		expect(mail!.text).toContain(`Email preferences: ${ORIGIN}/settings/notifications`);

		// HTML: everything the people wrote is escaped.
		const html = String(mail!.html);
		expect(html).toContain('Bob &lt;b&gt;Bold&lt;/b&gt; replied');
		expect(html).toContain('Dark mode &amp; &lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).toContain('Same here: *please* &lt;img src=x&gt;');
		expect(html).not.toMatch(/<script|<img|<b>/);
		expect(html).toContain(`href="${ORIGIN}${idea.path}#comment-${reply}"`);

		// One-click unsubscribe for replies, in the header and in the text.
		const unsubscribeLink = /Unsubscribe from these emails: (\S+)/.exec(mail!.text ?? '')![1]!;
		expect(unsubscribeLink).toMatch(new RegExp(`^${ORIGIN}/unsubscribe/${ada.id}\\.reply\\.`));
		expect(header(mail!, 'List-Unsubscribe')).toBe(`<${unsubscribeLink}>`);
		expect(header(mail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
		expect(html).toContain(`href="${unsubscribeLink}"`);

		expect((await notificationOf(ada.id, reply)).emailed_at).toBeInstanceOf(Date);
		expect(await jobsOf(notification.id)).toEqual([{ state: 'completed', retry_count: 0 }]);
	});

	it('enqueues the email job in the act’s transaction: a rolled-back act leaves no job', async () => {
		const ada = await person('Ada Rollback');
		const idea = await newIdea(ada, 'Rollback test idea');
		let notificationId = 0;
		await expect(
			db()
				.transaction()
				.execute(async (trx) => {
					const row = await trx
						.insertInto('notification')
						.values({ user_id: ada.id, kind: 'mention', post_id: idea.id, actor_id: ada.id })
						.returning('id')
						.executeTakeFirstOrThrow();
					notificationId = row.id;
					await enqueueNotificationEmails(trx, [row.id]);
					expect(
						await sql`select 1 from pgboss.job where name = 'notification-email' and (data->>'notificationId')::bigint = ${row.id}`.execute(
							trx
						)
					).toMatchObject({ rows: [{}] });
					throw new Error('the act failed');
				})
		).rejects.toThrow('the act failed');
		expect(notificationId).toBeGreaterThan(0);
		expect(await jobsOf(notificationId)).toEqual([]);
	});

	it('retries a refused delivery with backoff, and a retried or duplicated job never mails twice', async () => {
		const ada = await person('Ada Retry');
		const bob = await person('Bob Retry');
		const idea = await newIdea(ada, 'Retries');
		smtp.refuseNext(ada.email, 2);
		const first = await comment(ada, idea.id, 'First.');
		const reply = await comment(bob, idea.id, 'A reply that bounces twice.', first);
		const notification = await notificationOf(ada.id, reply);

		await settled(notification.id);
		expect(smtp.to(ada.email)).toHaveLength(1);
		const refused = smtp.refusals.get(ada.email.toLowerCase())!;
		expect(refused).toHaveLength(2);
		const delivered = smtp.arrivals.find((a) => a.envelopeTo.includes(ada.email.toLowerCase()))!;
		// Backoff: the second wait is longer than the first (1 s doubling, plus jitter).
		const firstWait = refused[1]! - refused[0]!;
		const secondWait = delivered.at - refused[1]!;
		expect(firstWait).toBeGreaterThanOrEqual(900);
		expect(secondWait).toBeGreaterThanOrEqual(1800);
		expect(await jobsOf(notification.id)).toEqual([{ state: 'completed', retry_count: 2 }]);

		// The same job again (a retry after a crash, a duplicate enqueue): claimed, so no mail.
		await db()
			.transaction()
			.execute((trx) => enqueueNotificationEmails(trx, [notification.id]));
		await settled(notification.id);
		expect(await jobsOf(notification.id)).toHaveLength(2);
		expect(await sendNotificationEmail(db(), notification.id)).toBe('already_sent');
		expect(smtp.to(ada.email)).toHaveLength(1);
	});

	it('follows preferences: an event turned off is not mailed, one turned on is', async () => {
		const ada = await person('Ada Prefs');
		const bob = await person('Bob Prefs');
		const cara = await person('Cara Prefs');
		const idea = await newIdea(ada, 'Preferences');
		await setFollowing(db(), cara.id, idea.id, true);

		expect(await getEmailPreferences(db(), ada.id)).toEqual(defaultEmailPreferences());
		const adaPrefs = defaultEmailPreferences();
		adaPrefs.events.reply = false;
		await saveEmailPreferences(db(), ada.id, adaPrefs);
		const caraPrefs = defaultEmailPreferences();
		caraPrefs.events.comment = true;
		await saveEmailPreferences(db(), cara.id, caraPrefs);

		const first = await comment(ada, idea.id, 'Mine.');
		const reply = await comment(bob, idea.id, 'A reply Ada does not want by email.', first);
		await settled((await notificationOf(ada.id, reply)).id);
		await settled((await notificationOf(cara.id, reply)).id);
		// Each job completes when it ends, in whatever order its batch came in.
		await settled((await notificationOf(cara.id, first)).id);
		expect(smtp.to(ada.email)).toEqual([]);
		expect(
			smtp
				.to(cara.email)
				.map((m) => m.subject)
				.sort()
		).toEqual(['Ada Prefs commented on “Preferences”', 'Bob Prefs commented on “Preferences”']);
		expect(smtp.to(cara.email)[0]!.text).toContain(`/unsubscribe/${cara.id}.comment.`);

		// Mentions are still on for Ada.
		const mention = await comment(bob, idea.id, 'Over to you, @' + ada.handle);
		await settled((await notificationOf(ada.id, mention)).id);
		expect(smtp.to(ada.email).map((m) => m.subject)).toEqual([
			'Bob Prefs mentioned you on “Preferences”'
		]);
	});

	it('mails nothing about a comment deleted or already read before the job ran', async () => {
		const ada = await person('Ada Gone');
		const bob = await person('Bob Gone');
		const idea = await newIdea(ada, 'Gone before mail');
		const first = await comment(ada, idea.id, 'Mine.');
		const reply = await comment(bob, idea.id, 'Soon deleted.', first);
		const notification = await notificationOf(ada.id, reply);
		await db()
			.updateTable('comment')
			.set({ deleted_at: new Date() })
			.where('id', '=', reply)
			.execute();
		await db()
			.deleteFrom('mail_claim')
			.where('key', '=', `notification:${notification.id}`)
			.execute();
		expect(await sendNotificationEmail(db(), notification.id)).toMatch(/not_visible|already_sent/);
		await db()
			.updateTable('notification')
			.set({ read_at: new Date() })
			.where('id', '=', notification.id)
			.execute();
		expect(await sendNotificationEmail(db(), notification.id)).toBe('already_read');
	});

	it('signs unsubscribe links: a genuine one unsubscribes, a forged one is refused', async () => {
		const ada = await person('Ada Unsub');
		const secret = await appSecret(db());
		// Generated once and kept: the same on every call and in the table.
		expect(secret).toHaveLength(43);
		expect(await appSecret(db())).toBe(secret);
		const stored = await db().selectFrom('app_secret').select('value').executeTakeFirstOrThrow();
		expect(stored.value).toBe(secret);

		const token = signUnsubscribeToken(secret, ada.id, 'status_change');
		expect(verifyUnsubscribeToken(secret, token)).toEqual({
			userId: ada.id,
			topic: 'status_change'
		});
		const [, , signature] = token.split('.');
		for (const forged of [
			`${ada.id + 1}.status_change.${signature}`,
			`${ada.id}.mention.${signature}`,
			`${ada.id}.status_change.${signature!.slice(0, -1)}${signature!.endsWith('A') ? 'B' : 'A'}`,
			`${ada.id}.status_change.`,
			`${ada.id}.unknown_topic.${signature}`,
			'garbage',
			signUnsubscribeToken('another secret entirely, 32 chars+', ada.id, 'status_change')
		]) {
			expect(verifyUnsubscribeToken(secret, forged), forged).toBeNull();
		}

		expect(await unsubscribe(db(), ada.id, 'status_change')).toBe(true);
		expect((await getEmailPreferences(db(), ada.id)).events.status_change).toBe(false);
		expect(await unsubscribe(db(), 999_999_999, 'status_change')).toBe(false);

		// And the mailer honours it.
		const bob = await person('Bob Unsub', 'staff');
		const idea = await newIdea(ada, 'Unsubscribed from status changes');
		const id = await insertNotification(ada.id, {
			kind: 'status_change',
			postId: idea.id,
			actorId: bob.id,
			data: { from: 'Open', to: 'Planned', category: 'planned' }
		});
		await settled(id);
		expect(smtp.to(ada.email)).toEqual([]);
	});

	it('renders status changes (message, changelog) and official replies from their data', async () => {
		const ada = await person('Ada Status');
		const staff = await person('Sam Staff', 'staff');
		const idea = await newIdea(ada, 'Export to CSV');
		const statusId = await insertNotification(ada.id, {
			kind: 'status_change',
			postId: idea.id,
			actorId: staff.id,
			data: {
				from: 'Under review',
				to: 'Shipped',
				category: 'done',
				message_html: '<p>Out today &amp; <em>free</em> for everyone.</p>',
				changelog: { title: 'May release', path: '/changelog/may-release' }
			}
		});
		await settled(statusId);
		const [status] = smtp.to(ada.email);
		expect(status!.subject).toBe('“Export to CSV” is now Shipped');
		expect(status!.text).toContain('“Export to CSV” moved from Under review to Shipped.');
		expect(status!.text).toContain('> Out today & free for everyone.');
		expect(status!.text).toContain(
			`Read the changelog: May release: ${ORIGIN}/changelog/may-release`
		);
		expect(status!.text).toContain(`See the idea: ${ORIGIN}${idea.path}`);
		expect(header(status!, 'List-Unsubscribe')).toContain(`/unsubscribe/${ada.id}.status_change.`);

		const review = await db()
			.insertInto('post')
			.values({
				kind: 'review',
				author_id: ada.id,
				title: 'Solid, but slow exports',
				product_id: productId
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const answer = await db()
			.insertInto('comment')
			.values({
				post_id: review.id,
				author_id: staff.id,
				body_source: 'Thanks! Exports are 3× faster since May.',
				body_html: '<p>Thanks! Exports are 3× faster since May.</p>',
				is_official: true
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const replyId = await insertNotification(ada.id, {
			kind: 'official_reply',
			postId: review.id,
			commentId: answer.id,
			actorId: staff.id
		});
		await settled(replyId);
		const official = smtp.to(ada.email)[1]!;
		expect(official.subject).toBe(
			'The Acme Feedback team replied to your review “Solid, but slow exports”'
		);
		expect(official.text).toContain('> Thanks! Exports are 3× faster since May.');
		// Reviews are opened through the inbox, which knows every kind's page.
		expect(official.text).toContain(`${ORIGIN}/notifications?open=${replyId}`);
		expect(header(official, 'List-Unsubscribe')).toContain(
			`/unsubscribe/${ada.id}.official_reply.`
		);
	});

	it('sends a weekly digest of what happened on followed ideas, skipped when empty or off', async () => {
		const ada = await person('Ada Digest');
		const bob = await person('Bob Digest');
		const quiet = await person('Quiet Follower');
		const noDigest = await person('No Digest');
		const busy = await newIdea(bob, 'Busy idea');
		const calm = await newIdea(bob, 'Calm idea');
		for (const user of [ada, noDigest]) {
			await setFollowing(db(), user.id, busy.id, true);
		}
		await setFollowing(db(), quiet.id, calm.id, true);
		const off = defaultEmailPreferences();
		off.digest = false;
		await saveEmailPreferences(db(), noDigest.id, off);

		await comment(bob, busy.id, 'First update: designs are ready.');
		await comment(bob, busy.id, 'Second update: it is in beta.');
		const [planned] = await db()
			.selectFrom('idea_status')
			.select('id')
			.where('slug', '=', 'planned')
			.execute();
		const [open] = await db()
			.selectFrom('idea_status')
			.select('id')
			.where('slug', '=', 'open')
			.execute();
		await db()
			.insertInto('status_change')
			.values({
				post_id: busy.id,
				from_status_id: open!.id,
				to_status_id: planned!.id,
				changed_by_id: bob.id
			})
			.execute();
		// Old news: before the week, so not in the digest.
		await db()
			.insertInto('comment')
			.values({
				post_id: calm.id,
				author_id: bob.id,
				body_source: 'Long ago.',
				body_html: '<p>Long ago.</p>',
				created_at: new Date(Date.now() - 9 * 24 * 3600 * 1000)
			})
			.execute();

		const now = new Date(Date.now() + 1000);
		expect(await collectDigest(db(), quiet.id, new Date(now.getTime() - 7 * 864e5), now)).toEqual(
			[]
		);
		const planned_count = await planWeeklyDigest(db(), now);
		expect(planned_count).toBeGreaterThanOrEqual(2);
		const digestJobs = await sql<{
			user_id: string;
		}>`select data->>'userId' as user_id from pgboss.job where name = 'digest-email'`.execute(db());
		const planned_for = digestJobs.rows.map((r) => Number(r.user_id));
		expect(planned_for).toContain(ada.id);
		expect(planned_for).toContain(quiet.id);
		expect(planned_for).not.toContain(noDigest.id);

		await eventually(async () => {
			const r = await sql<{
				n: number;
			}>`select count(*)::int as n from pgboss.job where name = 'digest-email' and state <> 'completed'`.execute(
				db()
			);
			return r.rows[0]!.n === 0;
		}, 'the digest jobs to complete');
		expect(smtp.to(quiet.email)).toEqual([]);
		expect(smtp.to(noDigest.email)).toEqual([]);
		const digests = smtp.to(ada.email);
		expect(digests).toHaveLength(1);
		const digest = digests[0]!;
		expect(digest.subject).toBe('This week on Acme Feedback: 1 idea you follow');
		expect(digest.text).toContain('Busy idea');
		expect(digest.text).toContain(`${ORIGIN}${busy.path}`);
		expect(digest.text).toContain('- Status: Open → Planned');
		expect(digest.text).toContain('- 2 new comments');
		expect(digest.text).toContain('- Bob Digest: Second update: it is in beta.');
		expect(digest.text).not.toContain('Calm idea');
		expect(header(digest, 'List-Unsubscribe')).toContain(`/unsubscribe/${ada.id}.digest.`);

		// The same week again (a retried job): claimed, not sent twice.
		const job = {
			userId: ada.id,
			since: new Date(now.getTime() - 7 * 864e5).toISOString(),
			until: now.toISOString()
		};
		expect(await sendDigestEmail(db(), job)).toBe('already_sent');
		expect(await sendDigestEmail(db(), { ...job, userId: quiet.id })).toBe('empty');
	});

	it('sends the password-reset mail from the queue, with a working link', async () => {
		const lin = await person('Lin Reset');
		const limits = createRateLimits(t.handle.pool, {
			SIGNIN_FAILURES_PER_IP: 1000,
			SIGNUPS_PER_IP: 1000
		});
		smtp.refuseNext(lin.email, 1);
		expect(
			await requestPasswordReset(
				db(),
				limits,
				{ email: lin.email },
				{ ip: '192.0.2.9', origin: ORIGIN }
			)
		).toEqual({ ok: true });
		// Refused once (the token of that try is taken back), then delivered once.
		await eventually(() => smtp.to(lin.email).length > 0, 'the reset email');
		expect(smtp.to(lin.email)).toHaveLength(1);
		expect(
			await db().selectFrom('password_reset').select('id').where('user_id', '=', lin.id).execute()
		).toHaveLength(1);
		const token = new RegExp(`${ORIGIN}/reset-password/([a-z2-7]+)`).exec(
			smtp.to(lin.email)[0]!.text ?? ''
		)?.[1];
		expect(token).toBeDefined();
		expect(
			(await resetPassword(db(), { token: token!, password: 'a kettle whistling at dawn' })).ok
		).toBe(true);
		// No usable link is kept in the queue's tables.
		const payloads = await sql<{
			data: unknown;
		}>`select data from pgboss.job where name = 'password-reset-email'`.execute(db());
		expect(JSON.stringify(payloads.rows)).not.toContain(token!);
	});

	it('purges expired rate-limit rows from a job, keeping live ones', async () => {
		const now = Date.now();
		await db()
			.insertInto('rate_limit')
			.values([
				{ key: 'purge-test:old', points: 1, expire: now - 2 * 3600 * 1000 },
				{ key: 'purge-test:live', points: 1, expire: now + 3600 * 1000 }
			])
			.execute();
		expect(await purgeExpiredRateLimits(db(), now)).toBeGreaterThanOrEqual(1);
		const left = await db()
			.selectFrom('rate_limit')
			.select('key')
			.where('key', 'like', 'purge-test:%')
			.execute();
		expect(left.map((r) => r.key)).toEqual(['purge-test:live']);
	});
});
