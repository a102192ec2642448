// A real SMTP server for a test file: every message it accepts is parsed into `arrivals`;
// `refuseNext` makes it answer the next deliveries to an address with a temporary failure.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface Arrival {
	at: number;
	envelopeTo: string[];
	mail: ParsedMail;
}

export interface TestSmtp {
	url: string;
	arrivals: Arrival[];
	/** Times a delivery to `address` was refused. */
	refusals: Map<string, number[]>;
	/** Refuses the next `times` deliveries to `address` with 451 (try again later). */
	refuseNext(address: string, times: number): void;
	/** The messages to `address` so far. */
	to(address: string): ParsedMail[];
	close(): Promise<void>;
}

export async function startTestSmtp(): Promise<TestSmtp> {
	const arrivals: Arrival[] = [];
	const refuse = new Map<string, number>();
	const refusals = new Map<string, number[]>();
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onRcptTo(address, _session, callback) {
			const key = address.address.toLowerCase();
			const left = refuse.get(key) ?? 0;
			if (left > 0) {
				refuse.set(key, left - 1);
				refusals.set(key, [...(refusals.get(key) ?? []), Date.now()]);
				callback(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
				return;
			}
			callback();
		},
		onData(stream, session, callback) {
			simpleParser(stream)
				.then((mail) => {
					arrivals.push({
						at: Date.now(),
						envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
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
	return {
		url: `smtp://127.0.0.1:${port}`,
		arrivals,
		refusals,
		refuseNext(address, times) {
			refuse.set(address.toLowerCase(), times);
		},
		to(address) {
			return arrivals
				.filter((a) => a.envelopeTo.includes(address.toLowerCase()))
				.map((a) => a.mail);
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** Waits until `check` holds (polling), or fails with `what` after `timeoutMs`. */
export async function eventually(
	check: () => boolean | Promise<boolean>,
	what: string,
	timeoutMs = 15_000
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) {
			throw new Error(`Timed out waiting for: ${what}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
