import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { config, readConfig, setConfig, type Config } from '$lib/server/config';
import { listOutbox, sendMail } from '$lib/server/mail/index';
import { createRateLimits, type RateLimits } from '$lib/server/rate-limit';
import { hashPassword } from '$lib/server/auth/password';
import { requestPasswordReset, resetPassword, signIn } from '$lib/server/auth/accounts';
import { startJobWorker, type JobWorker } from '$lib/server/jobs';
import { jobHandlers } from '$lib/server/jobs/handlers';
import { eventually } from '../helpers/smtp';
import { backends, useTestDatabase } from '../helpers/test-db';

const PASSWORD = 'lanterns over the harbour';
const NEW_PASSWORD = 'a kettle whistling at dawn';
const REFUSED = 'bounce@example.com';

interface Arrival {
	envelopeFrom: string;
	envelopeTo: string[];
	mail: ParsedMail;
}

const arrivals: Arrival[] = [];
let server: SMTPServer;
let smtpUrl: string;
let previousConfig: Config;

/** The environment with mail over the test's SMTP server, or with no SMTP server at all. */
function useMail(smtp: boolean): void {
	setConfig(
		readConfig({
			...process.env,
			SMTP_URL: smtp ? smtpUrl : undefined,
			SITE_NAME: 'Acme Feedback',
			MAIL_FROM: 'Acme Feedback <feedback@acme.test>'
		})
	);
}

beforeAll(async () => {
	previousConfig = config();
	server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onRcptTo(address, _session, callback) {
			if (address.address === REFUSED) {
				const refusal = Object.assign(new Error('No such mailbox here'), { responseCode: 550 });
				callback(refusal);
				return;
			}
			callback();
		},
		onData(stream, session, callback) {
			simpleParser(stream)
				.then((mail) => {
					arrivals.push({
						envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
						envelopeTo: session.envelope.rcptTo.map((r) => r.address),
						mail
					});
					callback();
				})
				.catch(callback);
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.server.address() as AddressInfo;
	smtpUrl = `smtp://127.0.0.1:${port}`;
});

afterAll(async () => {
	setConfig(previousConfig);
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe.each(backends)('mail on %s', (backend) => {
	const t = useTestDatabase(backend);
	let limits: RateLimits;
	let ipCounter = 0;
	const client = () => ({ ip: `192.0.2.${++ipCounter}`, origin: 'https://feedback.acme.test' });

	async function addUser(handle: string): Promise<{ id: number; email: string }> {
		return t.db
			.insertInto('app_user')
			.values({
				email: `${handle.toLowerCase()}@example.com`,
				handle,
				display_name: handle.replace(/_/g, ' '),
				password_hash: await hashPassword(PASSWORD),
				role: 'member'
			})
			.returning(['id', 'email'])
			.executeTakeFirstOrThrow();
	}

	let worker: JobWorker;

	// Password-reset mail goes out from the job queue.
	beforeAll(async () => {
		worker = await startJobWorker(t.handle.pool, jobHandlers(t.db), {
			pollingIntervalSeconds: 0.5,
			schedule: false
		});
	});

	afterAll(async () => {
		await worker.stop(2000);
	});

	beforeAll(() => {
		limits = createRateLimits(t.handle.pool, {
			SIGNIN_FAILURES_PER_IP: 1000,
			SIGNUPS_PER_IP: 1000
		});
	});

	beforeEach(() => {
		arrivals.length = 0;
	});

	afterEach(() => {
		setConfig(previousConfig);
	});

	describe('with SMTP_URL set', () => {
		beforeEach(() => {
			useMail(true);
		});

		it('delivers a password-reset email whose link resets the password', async () => {
			const ada = await addUser('Ada_Smtp');
			expect(await requestPasswordReset(t.db, limits, { email: ada.email }, client())).toEqual({
				ok: true
			});

			await eventually(() => arrivals.length > 0, 'the reset email');
			expect(arrivals).toHaveLength(1);
			const { envelopeFrom, envelopeTo, mail } = arrivals[0]!;
			expect(envelopeTo).toEqual(['ada_smtp@example.com']);
			expect(envelopeFrom).toBe('feedback@acme.test');
			expect(mail.to && !Array.isArray(mail.to) && mail.to.value.map((a) => a.address)).toEqual([
				'ada_smtp@example.com'
			]);
			expect(mail.from?.value).toEqual([{ address: 'feedback@acme.test', name: 'Acme Feedback' }]);
			expect(mail.subject).toBe('Reset your Acme Feedback password');
			expect(mail.text).toContain('Hello Ada Smtp,');

			const link = /https:\/\/feedback\.acme\.test\/reset-password\/([a-z2-7]+)/.exec(
				mail.text ?? ''
			);
			expect(link, mail.text).not.toBeNull();
			expect(await resetPassword(t.db, { token: link![1]!, password: NEW_PASSWORD })).toEqual({
				ok: true,
				userId: ada.id
			});
			const signedIn = await signIn(
				t.db,
				limits,
				{ identifier: 'ada_smtp', password: NEW_PASSWORD },
				client()
			);
			expect(signedIn.ok).toBe(true);

			// Delivered, so not also kept in the outbox.
			expect(await listOutbox(t.db, { recipient: ada.email })).toEqual([]);
		});

		it('sends nothing for an address without an account', async () => {
			const resetJobs = async () =>
				(
					await t.db
						.selectFrom(sql`pgboss.job`.as('job'))
						.select(sql<number>`count(*)::int`.as('n'))
						.where(sql.ref('name'), '=', 'password-reset-email')
						.executeTakeFirstOrThrow()
				).n;
			const before = await resetJobs();
			expect(
				await requestPasswordReset(t.db, limits, { email: 'ghost@example.com' }, client())
			).toEqual({ ok: true });
			// Not even a job that could mail later.
			expect(await resetJobs()).toBe(before);
			expect(arrivals).toEqual([]);
		});

		it('reports a message the server refuses instead of pretending it was sent', async () => {
			await expect(
				sendMail(t.db, { to: REFUSED, subject: 'Hello', text: 'Will not arrive.' })
			).rejects.toThrow(/No such mailbox/);
			expect(arrivals).toEqual([]);
			expect(await listOutbox(t.db, { recipient: REFUSED })).toEqual([]);
		});
	});

	describe('without SMTP_URL', () => {
		beforeEach(() => {
			useMail(false);
		});

		it('keeps the message in the outbox, where listOutbox shows it', async () => {
			const outcome = await sendMail(t.db, {
				to: 'grace@example.com',
				subject: 'Your idea shipped',
				text: 'Dark mode is live.\nThank you for asking for it.'
			});
			expect(outcome).toBe('outbox');
			expect(arrivals).toEqual([]);
			expect(await listOutbox(t.db, { recipient: 'Grace@Example.com' })).toEqual([
				{
					id: expect.any(Number),
					recipient: 'grace@example.com',
					subject: 'Your idea shipped',
					textBody: 'Dark mode is live.\nThank you for asking for it.',
					createdAt: expect.any(Date)
				}
			]);
		});

		it('lists the newest message first, and only the recipient’s when asked', async () => {
			await sendMail(t.db, { to: 'hopper@example.com', subject: 'First', text: 'one' });
			await sendMail(t.db, { to: 'someone.else@example.com', subject: 'Elsewhere', text: 'two' });
			await sendMail(t.db, { to: 'hopper@example.com', subject: 'Second', text: 'three' });
			const mine = await listOutbox(t.db, { recipient: 'hopper@example.com' });
			expect(mine.map((m) => m.subject)).toEqual(['Second', 'First']);
			const all = await listOutbox(t.db, { limit: 2 });
			expect(all.map((m) => m.subject)).toEqual(['Second', 'Elsewhere']);
		});

		it('keeps a password-reset email in the outbox with a working link', async () => {
			const lin = await addUser('Lin_Outbox');
			await requestPasswordReset(t.db, limits, { email: lin.email }, client());
			await eventually(
				async () => (await listOutbox(t.db, { recipient: lin.email })).length > 0,
				'the reset email in the outbox'
			);
			const [message] = await listOutbox(t.db, { recipient: lin.email });
			expect(message?.subject).toBe('Reset your Acme Feedback password');
			const token = /\/reset-password\/([a-z2-7]+)/.exec(message?.textBody ?? '')?.[1];
			expect(token).toBeDefined();
			expect((await resetPassword(t.db, { token: token!, password: NEW_PASSWORD })).ok).toBe(true);
			expect(arrivals).toEqual([]);
		});
	});
});
