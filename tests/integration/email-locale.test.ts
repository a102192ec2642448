// Mail is written in the recipient's language (app_user.locale, English when unset), whatever
// the language of the request or job that sends it: a German member's reply notification and
// password-reset mail arrive in German, an English member's in English, on both databases.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postComment } from '$lib/server/comments';
import { config, readConfig, setConfig, type Config } from '$lib/server/config';
import type { Db } from '$lib/server/db/index';
import { sendNotificationEmail } from '$lib/server/email/mailer';
import { sendPasswordResetEmail } from '$lib/server/auth/accounts';
import { postIdea } from '$lib/server/ideas';
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

describe.each(backends)('mail in the recipient’s language on %s', (backend) => {
	const t = useTestDatabase(backend);
	const db = (): Db => t.db;
	let productId: number;

	beforeAll(async () => {
		productId = (await createProduct(db())).id;
	});

	beforeEach(() => {
		smtp.arrivals.length = 0;
	});

	async function member(displayName: string, locale: string | null) {
		const user = await createUser(db(), { displayName });
		await db().updateTable('app_user').set({ locale }).where('id', '=', user.id).execute();
		return user;
	}

	async function comment(actor: Actor, postId: number, body: string, parentId?: number) {
		const result = await postComment(db(), actor, { postId, body, parentId });
		if (!result.ok) {
			throw new Error(`comment refused: ${result.reason}`);
		}
		return result.id;
	}

	/** Bob replies to `to`'s comment; returns the reply notification sent to `to`. */
	async function replyTo(to: UserActor, bob: UserActor, title: string) {
		const idea = await postIdea(db(), to, {
			title,
			body: 'Something we would like.',
			product: productId,
			tags: []
		});
		if (!idea.ok) {
			throw new Error('could not post the idea');
		}
		const first = await comment(to, idea.id, 'My first comment.');
		const reply = await comment(bob, idea.id, 'A reply to it.', first);
		const notification = await db()
			.selectFrom('notification')
			.select('id')
			.where('user_id', '=', to.id)
			.where('comment_id', '=', reply)
			.executeTakeFirstOrThrow();
		return notification.id;
	}

	it('sends a reply notification in German to a German member and in English to the others', async () => {
		const bob = await member('Bob Replier', null);
		const greta = await member('Greta Deutsch', 'de');
		const ellen = await member('Ellen English', 'en');
		const nora = await member('Nora Unset', null);

		expect(await sendNotificationEmail(db(), await replyTo(greta, bob, 'Dunkles Design'))).toBe(
			'sent'
		);
		expect(await sendNotificationEmail(db(), await replyTo(ellen, bob, 'Dark mode'))).toBe('sent');
		expect(await sendNotificationEmail(db(), await replyTo(nora, bob, 'Light mode'))).toBe('sent');

		await eventually(() => smtp.arrivals.length === 3, 'three mails');
		const [german] = smtp.to(greta.email);
		expect(german!.subject).toBe(
			'Bob Replier hat auf Ihren Kommentar zu „Dunkles Design“ geantwortet'
		);
		expect(german!.text).toContain('Hallo Greta Deutsch,');
		expect(german!.text).toContain('Lesen und antworten: ');
		expect(german!.text).toContain(`E-Mail-Einstellungen: ${ORIGIN}/settings/notifications`);
		expect(german!.text).not.toContain('Hello');
		expect(String(german!.html)).toContain('<html lang="de">');

		const [english] = smtp.to(ellen.email);
		expect(english!.subject).toBe('Bob Replier replied to your comment on “Dark mode”');
		expect(english!.text).toContain('Hello Ellen English,');
		expect(english!.text).toContain(`Email preferences: ${ORIGIN}/settings/notifications`);
		expect(String(english!.html)).toContain('<html lang="en">');

		const [unset] = smtp.to(nora.email);
		expect(unset!.subject).toBe('Bob Replier replied to your comment on “Light mode”');
	});

	it('sends the password-reset mail in the member’s language', async () => {
		const greta = await member('Greta Reset', 'de');
		const ellen = await member('Ellen Reset', 'en');
		const job = (userId: number) => ({ userId, requestId: `locale-${userId}`, origin: ORIGIN });

		expect(await sendPasswordResetEmail(db(), job(greta.id))).toBe('sent');
		expect(await sendPasswordResetEmail(db(), job(ellen.id))).toBe('sent');

		await eventually(() => smtp.arrivals.length === 2, 'two mails');
		const [german] = smtp.to(greta.email);
		expect(german!.subject).toBe('Ihr Acme Feedback-Passwort zurücksetzen');
		expect(german!.text).toContain('Hallo Greta Reset,');
		expect(german!.text).toContain(`${ORIGIN}/reset-password/`);
		const [english] = smtp.to(ellen.email);
		expect(english!.subject).toBe('Reset your Acme Feedback password');
		expect(english!.text).toContain('Hello Ellen Reset,');
	});
});
