// A job's worker killed mid-job (`kill -9` while the SMTP server holds the message unanswered):
// after a restart the job runs again and the mail arrives once, with the Message-ID the first
// try had. Needs `npm run build`.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { enqueue } from '../../src/lib/server/jobs';
import { createUser } from '../helpers/factories';
import {
	killAll,
	listening,
	prepareDataDir,
	readDataDir,
	serve,
	serverEntry,
	stop
} from './crash-helpers';

vi.setConfig({ testTimeout: 120_000 });

beforeAll(() => {
	if (!fs.existsSync(serverEntry)) {
		throw new Error('No build: run `npm run build` first (npm test does).');
	}
});

afterEach(killAll);

/** An SMTP server that takes the first message and never answers it; later ones it accepts. */
async function stallingSmtp() {
	const stalled: ParsedMail[] = [];
	const accepted: ParsedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, _session, callback) {
			simpleParser(stream).then(
				(mail) => {
					if (stalled.length === 0) {
						stalled.push(mail); // no answer: the sender waits
					} else {
						accepted.push(mail);
						callback();
					}
				},
				(error) => callback(error)
			);
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.server.address() as AddressInfo;
	return {
		url: `smtp://127.0.0.1:${port}`,
		stalled,
		accepted,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

describe('a mail job whose worker is killed mid-send', () => {
	it('runs again after a restart and the mail arrives once, with the same Message-ID', async () => {
		const smtp = await stallingSmtp();
		const requestId = crypto.randomUUID();
		const [dataDir, user] = await prepareDataDir(async (db) => {
			const user = await createUser(db);
			await enqueue(db, [
				{
					name: 'password-reset-email',
					data: { userId: user.id, requestId, origin: 'http://127.0.0.1' }
				}
			]);
			return user;
		});
		const env = { SMTP_URL: smtp.url, MAIL_FROM: 'Roundtable <mail@roundtable.test>' };

		const first = serve(dataDir, env);
		await listening(first);
		await until(() => smtp.stalled.length === 1, 'the first try to reach the SMTP server');
		first.child.kill('SIGKILL');
		await first.exited;
		expect(smtp.accepted).toHaveLength(0);

		const again = serve(dataDir, env);
		await listening(again);
		await until(() => smtp.accepted.length === 1, 'the job to run again');
		expect(again.output()).toContain('1 left running by a stopped process will run again');
		// Time for a duplicate to show, were the job to run a third time.
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		await stop(again);
		await smtp.close();

		expect(smtp.accepted).toHaveLength(1);
		const [mail] = smtp.accepted;
		expect(mail!.to).toMatchObject({ value: [{ address: user.email }] });
		expect(mail!.messageId).toMatch(/^<[0-9a-f]{32}@roundtable\.test>$/);
		expect(mail!.messageId).toBe(smtp.stalled[0]!.messageId);
		await readDataDir(dataDir, async (db) => {
			const claim = await db
				.selectFrom('mail_claim')
				.selectAll()
				.where('key', '=', `reset:${requestId}`)
				.executeTakeFirstOrThrow();
			expect(claim.sent_at).not.toBeNull();
			expect(claim.attempt).toBe(1);
			const jobs = await sql<{ state: string; retry_count: number }>`
				select state, retry_count from pgboss.job where name = 'password-reset-email'
				union all
				select state, retry_count from pgboss.archive where name = 'password-reset-email'`.execute(db);
			expect(jobs.rows).toEqual([{ state: 'completed', retry_count: 1 }]);
		});
		fs.rmSync(dataDir, { recursive: true, force: true });
	});
});
