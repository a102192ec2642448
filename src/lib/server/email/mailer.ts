// The jobs that send notification emails and the weekly digest. Each mail is claimed in
// `mail_claim` before it is sent and marked sent after, so a retried or duplicated job does not
// mail again, and a job whose worker died mid-send is sent by its retry (at least once, see
// sendOnce); a send that fails releases its claim and throws, and the queue retries it.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { ideaPath } from '$lib/domain/ideas';
import { testimonialInvitationPath } from '$lib/domain/testimonials';
import type { Locale } from '$lib/i18n/locales';
import { m } from '$lib/paraglide/messages';
import { DIGEST_EVENT, isEmailEvent, type UnsubscribeTopic } from '$lib/domain/email';
import { config } from '../config';
import type { Db } from '../db';
import { enqueue, type JobRun } from '../jobs';
import { sendMail, type MailMessage } from '../mail';
import { canReceiveEmailAbout } from '../policy';
import {
	appSecret,
	preferencesUrl,
	publicOrigin,
	signUnsubscribeToken,
	unsubscribeUrl
} from './links';
import { notificationMail, testimonialInvitationMail } from './notification-email';
import { helpReplyMail } from '../help/mail';
import type { Role } from '$lib/domain/roles';
import { getEmailPreferences } from './preferences';
import {
	excerpt,
	recipientLocale,
	renderEmailHtml,
	renderEmailText,
	type EmailBlock,
	type EmailContent
} from './render';

/**
 * How long an unsent claim held by another job stops this one: longer than any send takes (a send
 * gives up within about 90 s), so such a claim's sender has died.
 */
export const STALE_CLAIM_MINUTES = 10;

/**
 * Takes the right to send the mail named `key`; false when it was sent before, or another job is
 * sending it now. `by` is the job attempt sending it: a later attempt of the same job takes over an
 * unsent claim at once (pg-boss retries a job only once its previous attempt failed, expired or
 * its worker died), any other job only once the claim is stale.
 */
export async function claimMail(db: Db, key: string, by?: JobRun): Promise<boolean> {
	const result = await sql<{ key: string }>`
		insert into mail_claim (key, job_id, attempt)
		values (${key}, ${by?.id ?? null}, ${by?.retryCount ?? 0})
		on conflict (key) do update
			set job_id = excluded.job_id, attempt = excluded.attempt, claimed_at = now()
			where mail_claim.sent_at is null
				and ((mail_claim.job_id = excluded.job_id and mail_claim.attempt < excluded.attempt)
					or mail_claim.claimed_at < now() - make_interval(mins => ${STALE_CLAIM_MINUTES}))
		returning key`.execute(db);
	return result.rows.length > 0;
}

/** Gives back a claim whose send failed, so a retry can send. */
export async function releaseMail(db: Db, key: string): Promise<void> {
	await db.deleteFrom('mail_claim').where('key', '=', key).where('sent_at', 'is', null).execute();
}

export async function markMailSent(db: Db, key: string): Promise<void> {
	await db.updateTable('mail_claim').set({ sent_at: new Date() }).where('key', '=', key).execute();
}

/**
 * The Message-ID of the mail named `key`: every try at it carries the same one, so a duplicate
 * (a sender that died after the SMTP server accepted the mail, before marking it sent) is
 * recognisable as such, and mail clients that dedupe by Message-ID show it once.
 */
export function messageIdFor(key: string, mailFrom = config().MAIL_FROM): string {
	const domain = /@([^\s>@]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'roundtable.invalid';
	const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
	return `<${hash}@${domain}>`;
}

/**
 * Sends the mail named `key` once: claims it, composes it (`compose` may write, e.g. a token row),
 * sends it and marks it sent. A failed send gives the claim back before rethrowing, so the retry
 * can send. Returns whether this call sent it.
 *
 * Without SMTP the outbox is in this database, so claim, message and mark commit together: exactly
 * once. Over SMTP it is at least once: a sender that dies after the server accepted the mail and
 * before marking it sent leaves an unsent claim, and the job's retry sends it again (with the same
 * Message-ID).
 */
export async function sendOnce(
	db: Db,
	key: string,
	compose: MailMessage | ((db: Db) => Promise<MailMessage>),
	by?: JobRun
): Promise<boolean> {
	const build = typeof compose === 'function' ? compose : async () => compose;
	if (!config().SMTP_URL) {
		return db.transaction().execute(async (trx) => {
			if (!(await claimMail(trx, key, by))) {
				return false;
			}
			await sendMail(trx, await build(trx));
			await markMailSent(trx, key);
			return true;
		});
	}
	if (!(await claimMail(db, key, by))) {
		return false;
	}
	try {
		await sendMail(db, { ...(await build(db)), messageId: messageIdFor(key) });
	} catch (error) {
		await releaseMail(db, key);
		throw error;
	}
	await markMailSent(db, key);
	return true;
}

/** Subject, text, HTML and the RFC 8058 one-click unsubscribe headers for one recipient. */
async function composeMail(
	db: Db,
	to: { id: number; email: string },
	topic: UnsubscribeTopic,
	content: Omit<EmailContent, 'footer' | 'locale'> & { reason: string; locale: Locale }
): Promise<MailMessage> {
	const unsubscribe = unsubscribeUrl(signUnsubscribeToken(await appSecret(db), to.id, topic));
	const full: EmailContent = {
		subject: content.subject,
		greetingName: content.greetingName,
		blocks: content.blocks,
		footer: {
			reason: content.reason,
			preferencesUrl: preferencesUrl(),
			unsubscribeUrl: unsubscribe,
			siteName: config().SITE_NAME
		},
		locale: content.locale
	};
	return {
		to: to.email,
		subject: content.subject,
		text: renderEmailText(full),
		html: renderEmailHtml(full),
		headers: {
			'List-Unsubscribe': `<${unsubscribe}>`,
			'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
		}
	};
}

function postUrl(
	post: { id: number; kind: string; title: string },
	notificationId: number
): string {
	const origin = publicOrigin();
	// Ideas have a public address; other kinds go through the inbox, which knows their pages.
	return post.kind === 'idea'
		? `${origin}${ideaPath(post)}`
		: `${origin}/notifications?open=${notificationId}`;
}

export type NotificationEmailOutcome =
	'sent' | 'gone' | 'not_wanted' | 'already_read' | 'not_visible' | 'already_sent';

/** The `notification-email` job: mails one notification if its recipient wants it now. */
export async function sendNotificationEmail(
	db: Db,
	notificationId: number,
	run?: JobRun
): Promise<NotificationEmailOutcome> {
	const row = await db
		.selectFrom('notification as n')
		.innerJoin('app_user as u', 'u.id', 'n.user_id')
		.leftJoin('app_user as actor', 'actor.id', 'n.actor_id')
		.leftJoin('post as p', 'p.id', 'n.post_id')
		.leftJoin('comment as c', 'c.id', 'n.comment_id')
		.select([
			'n.id',
			'n.kind',
			'n.data',
			'n.read_at',
			'n.comment_id',
			'n.help_thread_id',
			'u.id as user_id',
			'u.email',
			'u.display_name',
			'u.role',
			'u.locale',
			'actor.display_name as actor_name',
			'p.id as post_id',
			'p.kind as post_kind',
			'p.title as post_title',
			'p.author_id as post_author_id',
			'p.deleted_at as post_deleted_at',
			'p.visibility as post_visibility',
			'c.body_source as comment_body',
			'c.author_id as comment_author_id',
			'c.deleted_at as comment_deleted_at',
			'c.visibility as comment_visibility',
			'c.is_internal as comment_internal'
		])
		.where('n.id', '=', notificationId)
		.executeTakeFirst();
	if (row && row.help_thread_id !== null) {
		return sendHelpNotificationEmail(db, { ...row, help_thread_id: row.help_thread_id }, run);
	}
	if (row?.kind === 'testimonial_invitation') {
		return sendTestimonialInvitationEmail(db, row, run);
	}
	if (!row || row.post_id === null || row.post_title === null || row.post_kind === null) {
		return 'gone';
	}
	const kind = row.kind;
	if (!isEmailEvent(kind) || !(await getEmailPreferences(db, row.user_id)).events[kind]) {
		return 'not_wanted';
	}
	if (row.read_at !== null) {
		// Seen in the app before the mail went out: nothing left to tell.
		return 'already_read';
	}
	const comment =
		row.comment_id !== null && row.comment_author_id !== null
			? {
					deleted: row.comment_deleted_at !== null,
					visibility: row.comment_visibility ?? 'visible',
					internal: row.comment_internal ?? false,
					authorId: row.comment_author_id
				}
			: null;
	const visible = canReceiveEmailAbout(
		{ id: row.user_id, role: row.role },
		{
			postDeleted: row.post_deleted_at !== null,
			postVisibility: row.post_visibility ?? 'visible',
			postAuthorId: row.post_author_id,
			comment
		},
		kind
	);
	if (!visible) {
		return 'not_visible';
	}
	const post = { id: row.post_id, kind: row.post_kind, title: row.post_title };
	const url = postUrl(post, row.id);
	const locale = recipientLocale(row.locale);
	const mail = notificationMail({
		kind,
		data: row.data ?? {},
		actorName: row.actor_name,
		post: { kind: post.kind, title: post.title, url },
		comment:
			comment && !comment.deleted && row.comment_body !== null
				? {
						text: row.comment_body,
						url: post.kind === 'idea' ? `${url}#comment-${row.comment_id}` : url
					}
				: null,
		siteName: config().SITE_NAME,
		origin: publicOrigin(),
		locale
	});
	const message = await composeMail(db, { id: row.user_id, email: row.email }, kind, {
		subject: mail.subject,
		greetingName: row.display_name,
		blocks: mail.blocks,
		reason: mail.reason,
		locale
	});
	if (!(await sendOnce(db, `notification:${row.id}`, message, run))) {
		return 'already_sent';
	}
	await db
		.updateTable('notification')
		.set({ emailed_at: new Date() })
		.where('id', '=', row.id)
		.execute();
	return 'sent';
}

/** A notification about a private help thread: mailed only to someone who may read it now. */
async function sendHelpNotificationEmail(
	db: Db,
	row: {
		id: number;
		kind: string;
		read_at: Date | null;
		help_thread_id: number;
		user_id: number;
		email: string;
		display_name: string;
		role: Role;
		locale: string | null;
		actor_name: string | null;
	},
	run?: JobRun
): Promise<NotificationEmailOutcome> {
	const kind = row.kind;
	if (!isEmailEvent(kind) || !(await getEmailPreferences(db, row.user_id)).events[kind]) {
		return 'not_wanted';
	}
	if (row.read_at !== null) {
		return 'already_read';
	}
	const mail = await helpReplyMail(db, {
		threadId: row.help_thread_id,
		recipient: { id: row.user_id, role: row.role },
		actorName: row.actor_name,
		url: `${publicOrigin()}/notifications?open=${row.id}`
	});
	if (!mail) {
		return 'not_visible';
	}
	const message = await composeMail(db, { id: row.user_id, email: row.email }, kind, {
		subject: mail.subject,
		greetingName: row.display_name,
		blocks: mail.blocks,
		reason: mail.reason,
		locale: recipientLocale(row.locale)
	});
	if (!(await sendOnce(db, `notification:${row.id}`, message, run))) {
		return 'already_sent';
	}
	await db
		.updateTable('notification')
		.set({ emailed_at: new Date() })
		.where('id', '=', row.id)
		.execute();
	return 'sent';
}

/** Enqueues the email job of each new notification, in the act's transaction. */
export async function enqueueNotificationEmails(trx: Db, notificationIds: number[]): Promise<void> {
	await enqueue(
		trx,
		notificationIds.map((id) => ({ name: 'notification-email', data: { notificationId: id } }))
	);
}

// ─── Weekly digest ──────────────────────────────────────────────────────────────────────────

export const DIGEST_PERIOD_MS = 7 * 24 * 60 * 60 * 1000;

/** The digest's latest scheduled time at or before `now`: Monday 08:00 UTC (SCHEDULES in jobs). */
export function lastDigestTime(now: Date): Date {
	const at = new Date(now);
	at.setUTCHours(8, 0, 0, 0);
	// Days back to Monday (getUTCDay: 0 is Sunday).
	at.setUTCDate(at.getUTCDate() - ((at.getUTCDay() + 6) % 7));
	if (at > now) {
		at.setUTCDate(at.getUTCDate() - 7);
	}
	return at;
}

export interface DigestJob {
	userId: number;
	since: string;
	until: string;
}

/**
 * The `digest-weekly` job (Mondays): one `digest-email` job per member who follows something and
 * has not turned the digest off, for the seven days before `now`.
 */
export async function planWeeklyDigest(db: Db, now = new Date()): Promise<number> {
	const until = now;
	const since = new Date(now.getTime() - DIGEST_PERIOD_MS);
	return db.transaction().execute(async (trx) => {
		const rows = await trx
			.selectFrom('app_user as u')
			.select('u.id')
			.where(({ exists, selectFrom }) =>
				exists(
					selectFrom('subscription as s')
						.select(sql`1`.as('one'))
						.whereRef('s.user_id', '=', 'u.id')
						.where('s.following', '=', true)
				)
			)
			.where(({ not, exists, selectFrom }) =>
				not(
					exists(
						selectFrom('email_preference as ep')
							.select(sql`1`.as('one'))
							.whereRef('ep.user_id', '=', 'u.id')
							.where('ep.event', '=', DIGEST_EVENT)
							.where('ep.enabled', '=', false)
					)
				)
			)
			.orderBy('u.id')
			.execute();
		await enqueue(
			trx,
			rows.map((row) => ({
				name: 'digest-email' as const,
				data: { userId: row.id, since: since.toISOString(), until: until.toISOString() }
			}))
		);
		return rows.length;
	});
}

export interface DigestItem {
	post: { id: number; title: string };
	statusChanges: { from: string | null; to: string }[];
	newComments: number;
	latest: { author: string; text: string }[];
}

/** What happened in [since, until) on the ideas `userId` follows, busiest first. */
export async function collectDigest(
	db: Db,
	userId: number,
	since: Date,
	until: Date
): Promise<DigestItem[]> {
	const followed = await db
		.selectFrom('subscription as s')
		.innerJoin('post as p', 'p.id', 's.post_id')
		.select(['p.id', 'p.title'])
		.where('s.user_id', '=', userId)
		.where('s.following', '=', true)
		.where('p.kind', '=', 'idea')
		.where('p.deleted_at', 'is', null)
		.where('p.visibility', '=', 'visible')
		.execute();
	if (followed.length === 0) {
		return [];
	}
	const ids = followed.map((p) => p.id);
	const comments = await db
		.selectFrom('comment as c')
		.innerJoin('app_user as a', 'a.id', 'c.author_id')
		.select(['c.post_id', 'c.body_source', 'a.display_name'])
		.where('c.post_id', 'in', ids)
		.where('c.created_at', '>=', since)
		.where('c.created_at', '<', until)
		.where('c.deleted_at', 'is', null)
		.where('c.visibility', '=', 'visible')
		.where('c.is_internal', '=', false)
		.where('c.author_id', '<>', userId)
		.orderBy('c.id', 'desc')
		.execute();
	const changes = await db
		.selectFrom('status_change as sc')
		.innerJoin('idea_status as to', 'to.id', 'sc.to_status_id')
		.leftJoin('idea_status as from', 'from.id', 'sc.from_status_id')
		.select(['sc.post_id', 'from.name as from_name', 'to.name as to_name'])
		.where('sc.post_id', 'in', ids)
		.where('sc.created_at', '>=', since)
		.where('sc.created_at', '<', until)
		.orderBy('sc.id')
		.execute();
	const items = followed.map((post): DigestItem => ({
		post,
		statusChanges: changes
			.filter((c) => c.post_id === post.id)
			.map((c) => ({ from: c.from_name, to: c.to_name })),
		newComments: comments.filter((c) => c.post_id === post.id).length,
		latest: comments
			.filter((c) => c.post_id === post.id)
			.slice(0, 2)
			.map((c) => ({ author: c.display_name, text: excerpt(c.body_source, 160) }))
	}));
	return items
		.filter((item) => item.newComments > 0 || item.statusChanges.length > 0)
		.sort(
			(a, b) =>
				b.statusChanges.length - a.statusChanges.length ||
				b.newComments - a.newComments ||
				a.post.id - b.post.id
		);
}

export type DigestOutcome = 'sent' | 'empty' | 'not_wanted' | 'gone' | 'already_sent';

/** The `digest-email` job: one member's weekly digest; nothing when nothing happened. */
export async function sendDigestEmail(
	db: Db,
	job: DigestJob,
	run?: JobRun
): Promise<DigestOutcome> {
	const user = await db
		.selectFrom('app_user')
		.select(['id', 'email', 'display_name', 'locale'])
		.where('id', '=', job.userId)
		.executeTakeFirst();
	if (!user) {
		return 'gone';
	}
	if (!(await getEmailPreferences(db, user.id)).digest) {
		return 'not_wanted';
	}
	const since = new Date(job.since);
	const until = new Date(job.until);
	const items = await collectDigest(db, user.id, since, until);
	if (items.length === 0) {
		return 'empty';
	}
	const origin = publicOrigin();
	const { SITE_NAME } = config();
	const locale = recipientLocale(user.locale);
	const o = { locale };
	const blocks: EmailBlock[] = [
		{
			kind: 'paragraph',
			text: m.email_digest_intro({ count: items.length, site: SITE_NAME }, o)
		},
		...items.map((item): EmailBlock => ({
			kind: 'section',
			title: item.post.title,
			url: `${origin}${ideaPath(item.post)}`,
			lines: [
				...item.statusChanges.map((c) =>
					c.from
						? m.email_digest_status_change({ from: c.from, to: c.to }, o)
						: m.email_digest_status({ to: c.to }, o)
				),
				...(item.newComments > 0
					? [m.email_digest_new_comments({ count: item.newComments }, o)]
					: []),
				...item.latest.map((c) => `${c.author}: ${c.text}`)
			]
		}))
	];
	const message = await composeMail(db, user, DIGEST_EVENT, {
		subject: m.email_digest_subject({ count: items.length, site: SITE_NAME }, o),
		greetingName: user.display_name,
		blocks,
		reason: m.email_digest_reason({}, o),
		locale
	});
	const sent = await sendOnce(db, `digest:${user.id}:${until.toISOString()}`, message, run);
	return sent ? 'sent' : 'already_sent';
}

/** A testimonial invitation's mail: sent while the invitation is still waiting to be written. */
async function sendTestimonialInvitationEmail(
	db: Db,
	row: {
		id: number;
		user_id: number;
		email: string;
		display_name: string;
		locale: string | null;
		read_at: Date | null;
		actor_name: string | null;
		data: Record<string, unknown>;
	},
	run?: JobRun
): Promise<NotificationEmailOutcome> {
	const data = row.data ?? {};
	const testimonialId = typeof data.testimonialId === 'number' ? data.testimonialId : null;
	const invitation =
		testimonialId === null
			? undefined
			: await db
					.selectFrom('testimonial')
					.select(['id', 'status'])
					.where('id', '=', testimonialId)
					.where('user_id', '=', row.user_id)
					.executeTakeFirst();
	if (!invitation || invitation.status !== 'invited') {
		return 'gone';
	}
	if (!(await getEmailPreferences(db, row.user_id)).events.testimonial_invitation) {
		return 'not_wanted';
	}
	if (row.read_at !== null) {
		return 'already_read';
	}
	const mail = testimonialInvitationMail({
		actorName: row.actor_name,
		message: typeof data.message === 'string' && data.message ? data.message : null,
		url: `${publicOrigin()}${testimonialInvitationPath(invitation.id)}`,
		siteName: config().SITE_NAME,
		locale: recipientLocale(row.locale)
	});
	const message = await composeMail(
		db,
		{ id: row.user_id, email: row.email },
		'testimonial_invitation',
		{
			subject: mail.subject,
			greetingName: row.display_name,
			blocks: mail.blocks,
			reason: mail.reason,
			locale: recipientLocale(row.locale)
		}
	);
	if (!(await sendOnce(db, `notification:${row.id}`, message, run))) {
		return 'already_sent';
	}
	await db
		.updateTable('notification')
		.set({ emailed_at: new Date() })
		.where('id', '=', row.id)
		.execute();
	return 'sent';
}
