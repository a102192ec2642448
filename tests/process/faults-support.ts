// What the database-fault process tests share: the built server as a child process, a database
// with a member who may post quickly through the API, a TCP proxy that can cut the database off,
// and the check that every idea the server acknowledged is there, whole.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Db, type DatabaseHandle } from '$lib/server/db/index';
import { createApiToken } from '$lib/server/api/tokens';
import { createProduct, createUser } from '../helpers/factories';

const root = path.resolve(import.meta.dirname, '../..');
export const serverEntry = path.join(root, 'build/index.js');

export interface ServerProcess {
	child: ChildProcess;
	output: () => string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	port: () => number;
	stop(): void;
}

export function startServer(env: Record<string, string>): ServerProcess {
	const child = spawn(process.execPath, [serverEntry], {
		cwd: root,
		env: {
			PATH: process.env.PATH,
			NODE_ENV: 'production',
			SHUTDOWN_TIMEOUT: '3',
			PORT: '0',
			HOST: '127.0.0.1',
			// Every request of a test comes from one token: its per-minute limit is not under test.
			API_REQUESTS_PER_MINUTE: '100000',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal }))
	);
	return {
		child,
		output: () => output,
		exited,
		port: () => Number(/Listening on http:\/\/[^:]+:(\d+)/.exec(output)?.[1] ?? 0),
		stop() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGKILL');
			}
		}
	};
}

export async function waitFor(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

export async function listening(server: ServerProcess): Promise<number> {
	await waitFor(() => server.port() > 0 || server.child.exitCode !== null, 'the server to listen');
	if (!server.port()) {
		throw new Error(`The server did not start:\n${server.output()}`);
	}
	return server.port();
}

export interface Writer {
	token: string;
	productId: number;
	userId: number;
}

/**
 * A moderator (no new-member limits, no approval) with a write token, a product to post to, and
 * a posting limit high enough for a burst.
 */
export async function prepareWriter(db: Db): Promise<Writer> {
	const user = await createUser(db, { role: 'moderator' });
	const product = await createProduct(db);
	const created = await createApiToken(db, user, {
		name: 'faults',
		scopes: ['read', 'write'],
		expires: 'never'
	});
	if (!created.ok) {
		throw new Error('could not create the API token');
	}
	await db
		.insertInto('site_setting')
		.values({ key: 'postsPerMinute', value: JSON.stringify(600) })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(600) }))
		.execute();
	return { token: created.token, productId: product.id, userId: user.id };
}

/** A new PostgreSQL database copied from the suite's migrated template; dropped by `drop`. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
	const template = inject('postgresTemplate');
	if (!template) {
		throw new Error('TEST_DATABASE_URL is not set');
	}
	const name = `${template}_${Math.random().toString(36).slice(2, 10)}`;
	const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
	await admin.connect();
	await admin.query(`create database ${name} template ${template}`);
	const url = new URL(process.env.TEST_DATABASE_URL!);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			await admin.query(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	};
}

/** An embedded database in a new folder, from the suite's migrated template. */
export async function openEmbeddedDatabase(dataDir: string): Promise<DatabaseHandle> {
	const dump = fs.readFileSync(inject('pgliteTemplate'));
	return openDatabase({ dataDir, loadDataDir: new Blob([dump]) });
}

/** What became of one POST /api/v1/ideas. */
export interface Outcome {
	title: string;
	status: number | 'failed';
	/** The new idea's id, when the server acknowledged it (201). */
	id?: number;
	retryAfter?: string | null;
	error?: string;
}

export async function postIdea(port: number, writer: Writer, title: string): Promise<Outcome> {
	try {
		const response = await fetch(`http://127.0.0.1:${port}/api/v1/ideas`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${writer.token}`,
				'content-type': 'application/json'
			},
			body: JSON.stringify({
				product: writer.productId,
				title,
				body: `Written by a fault test. ${'Some words to render. '.repeat(20)}`,
				tags: []
			}),
			// A request must be answered (or refused) in bounded time, never left hanging.
			signal: AbortSignal.timeout(20_000)
		});
		const text = await response.text();
		const outcome: Outcome = {
			title,
			status: response.status,
			retryAfter: response.headers.get('retry-after')
		};
		if (response.status === 201) {
			outcome.id = (JSON.parse(text) as { data: { id: number } }).data.id;
		} else {
			outcome.error = text.slice(0, 300);
		}
		return outcome;
	} catch (error) {
		return {
			title,
			status: 'failed',
			error:
				error instanceof Error
					? `${error.name}: ${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`
					: String(error)
		};
	}
}

/** An idea as written, and the rows its transaction writes with it. */
export interface IdeaRecord {
	id: number;
	title: string;
	votes: number;
	posted: number;
	voteActivity: number;
	follows: number;
}

/** Every idea of the writer, with the rows its posting writes in the same transaction. */
export async function ideasOf(db: Db, writer: Writer): Promise<IdeaRecord[]> {
	const { rows } = await sql<{
		id: number;
		title: string;
		votes: string;
		posted: string;
		vote_activity: string;
		follows: string;
	}>`
		select p.id, p.title,
			(select count(*) from vote v where v.post_id = p.id and v.user_id = p.author_id) as votes,
			(select count(*) from activity a where a.post_id = p.id and a.kind = 'idea_posted') as posted,
			(select count(*) from activity a where a.post_id = p.id and a.kind = 'vote_cast') as vote_activity,
			(select count(*) from subscription s where s.post_id = p.id and s.user_id = p.author_id) as follows
		from post p
		where p.author_id = ${writer.userId} and p.kind = 'idea'
		order by p.id`.execute(db);
	return rows.map((row) => ({
		id: Number(row.id),
		title: row.title,
		votes: Number(row.votes),
		posted: Number(row.posted),
		voteActivity: Number(row.vote_activity),
		follows: Number(row.follows)
	}));
}

/** A TCP proxy in front of PostgreSQL that can be cut (every connection dropped, nothing accepted) and restored. */
export class CuttableProxy {
	private server: net.Server;
	private sockets = new Set<net.Socket>();
	port = 0;

	constructor(
		private readonly targetHost: string,
		private readonly targetPort: number
	) {
		this.server = this.createServer();
	}

	private createServer(): net.Server {
		return net.createServer((client) => {
			const upstream = net.connect(this.targetPort, this.targetHost);
			for (const socket of [client, upstream]) {
				this.sockets.add(socket);
				socket.on('close', () => this.sockets.delete(socket));
				socket.on('error', () => {
					client.destroy();
					upstream.destroy();
				});
			}
			client.pipe(upstream);
			upstream.pipe(client);
		});
	}

	async listen(port = 0): Promise<number> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => resolve());
		});
		this.port = (this.server.address() as net.AddressInfo).port;
		return this.port;
	}

	/** The database is gone: open connections break, new ones are refused. */
	async cut(): Promise<void> {
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		for (const socket of this.sockets) {
			socket.destroy();
		}
		await closed;
	}

	/** The database is back, on the same address. */
	async restore(): Promise<void> {
		this.server = this.createServer();
		await this.listen(this.port);
	}

	async close(): Promise<void> {
		await this.cut().catch(() => {});
	}
}
