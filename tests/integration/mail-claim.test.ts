// Mail claims (src/lib/server/email/mailer.ts): who may send a mail after a worker died, exactly
// once into the outbox, the Message-ID every try shares, and the digest's scheduled week.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, readConfig, setConfig, type Config } from '$lib/server/config';
import {
	claimMail,
	lastDigestTime,
	markMailSent,
	messageIdFor,
	releaseMail,
	sendOnce,
	STALE_CLAIM_MINUTES
} from '$lib/server/email/mailer';
import { backends, useTestDatabase } from '../helpers/test-db';

let previousConfig: Config;

beforeAll(() => {
	previousConfig = config();
	setConfig(readConfig({ ...process.env, SMTP_URL: undefined }));
});

afterAll(() => setConfig(previousConfig));

describe.each(backends)('mail claims on %s', (backend) => {
	const t = useTestDatabase(backend);
	const key = () => `test:${crypto.randomUUID()}`;

	it('lets a later attempt of the same job take over an unsent claim, and nobody a sent one', async () => {
		const mail = key();
		expect(await claimMail(t.db, mail, { id: 'job-a', retryCount: 0 })).toBe(true);
		// The same attempt again, or another job: the first is (as far as anyone knows) sending.
		expect(await claimMail(t.db, mail, { id: 'job-a', retryCount: 0 })).toBe(false);
		expect(await claimMail(t.db, mail, { id: 'job-b', retryCount: 3 })).toBe(false);
		// pg-boss retried job-a: its previous attempt died or expired.
		expect(await claimMail(t.db, mail, { id: 'job-a', retryCount: 1 })).toBe(true);
		await markMailSent(t.db, mail);
		expect(await claimMail(t.db, mail, { id: 'job-a', retryCount: 2 })).toBe(false);
		await releaseMail(t.db, mail); // a sent claim stays
		expect(await claimMail(t.db, mail, { id: 'job-c', retryCount: 0 })).toBe(false);
	});

	it('lets any job take over an unsent claim once it is stale', async () => {
		const mail = key();
		expect(await claimMail(t.db, mail, { id: 'job-a', retryCount: 0 })).toBe(true);
		expect(await claimMail(t.db, mail, { id: 'job-b', retryCount: 0 })).toBe(false);
		await sql`update mail_claim set claimed_at = now() - make_interval(mins => ${STALE_CLAIM_MINUTES + 1})
			where key = ${mail}`.execute(t.db);
		expect(await claimMail(t.db, mail, { id: 'job-b', retryCount: 0 })).toBe(true);
	});

	it('puts a mail into the outbox exactly once, and nothing when composing it fails', async () => {
		const to = `${crypto.randomUUID()}@example.com`;
		const mail = key();
		const message = { to, subject: 'Once', text: 'Only once.' };
		const outbox = async () =>
			(await t.db.selectFrom('mail_outbox').select('id').where('recipient', '=', to).execute())
				.length;
		await expect(
			sendOnce(t.db, mail, async () => {
				throw new Error('compose failed');
			})
		).rejects.toThrow('compose failed');
		expect(await outbox()).toBe(0);
		expect(await sendOnce(t.db, mail, message, { id: 'job-a', retryCount: 0 })).toBe(true);
		expect(await sendOnce(t.db, mail, message, { id: 'job-a', retryCount: 1 })).toBe(false);
		expect(await outbox()).toBe(1);
	});
});

describe('messageIdFor', () => {
	it('is the same for every try at a mail, different between mails, in the sender’s domain', () => {
		const from = 'Acme <feedback@acme.test>';
		expect(messageIdFor('notification:1', from)).toBe(messageIdFor('notification:1', from));
		expect(messageIdFor('notification:1', from)).not.toBe(messageIdFor('notification:2', from));
		expect(messageIdFor('notification:1', from)).toMatch(/^<[0-9a-f]{32}@acme\.test>$/);
		expect(messageIdFor('x', 'no-reply@localhost')).toMatch(/@localhost>$/);
	});
});

describe('lastDigestTime', () => {
	it('is the latest Monday 08:00 UTC at or before the time', () => {
		const at = (iso: string) => lastDigestTime(new Date(iso)).toISOString();
		expect(at('2026-11-23T08:00:00.000Z')).toBe('2026-11-23T08:00:00.000Z'); // a Monday
		expect(at('2026-11-23T08:20:00.000Z')).toBe('2026-11-23T08:00:00.000Z');
		expect(at('2026-11-23T07:59:59.000Z')).toBe('2026-11-16T08:00:00.000Z');
		expect(at('2026-11-29T23:00:00.000Z')).toBe('2026-11-23T08:00:00.000Z'); // Sunday
	});
});
