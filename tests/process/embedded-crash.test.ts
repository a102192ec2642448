// The embedded database killed mid-write (`kill -9`): every write the server acknowledged is there
// after a restart on the same folder, and counters agree with their rows. Needs `npm run build`.
import fs from 'node:fs';
import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiToken } from '../../src/lib/server/api/tokens';
import { postIdea } from '../../src/lib/server/ideas';
import type { Db } from '../../src/lib/server/db';
import { createProduct, createUser } from '../helpers/factories';
import {
	killAll,
	listening,
	prepareDataDir,
	readDataDir,
	serve,
	serverEntry,
	stop
} from './crash-helpers';

beforeAll(() => {
	if (!fs.existsSync(serverEntry)) {
		throw new Error('No build: run `npm run build` first (npm test does).');
	}
});

afterEach(killAll);

const WRITERS = 8;
const WRITES_BEFORE_KILL = 60;
/** Kills per run: `CRASH_ROUNDS=20 npx vitest run tests/process/embedded-crash.test.ts` to soak. */
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 1);
vi.setConfig({ testTimeout: 60_000 + ROUNDS * 30_000 });

/** Members with API tokens, a product and ideas to vote on. */
async function setUp(db: Db) {
	const product = await createProduct(db);
	const writers: { userId: number; token: string }[] = [];
	for (let i = 0; i < WRITERS; i++) {
		// Moderators: trusted posters, so only the per-minute posting limit applies.
		const user = await createUser(db, { role: 'moderator' });
		const created = await createApiToken(db, user, {
			name: 'crash test',
			scopes: ['read', 'write'],
			expires: 'never'
		});
		if (!created.ok) {
			throw new Error('no token');
		}
		writers.push({ userId: user.id, token: created.token });
	}
	const author = await createUser(db, { role: 'moderator' });
	const ideaIds: number[] = [];
	// Enough that no writer runs out of ideas to vote on.
	for (let i = 0; i < Math.max(30, ROUNDS * 8); i++) {
		const idea = await postIdea(db, author, {
			title: `An idea to vote on, number ${i}`,
			body: 'Votes arrive while the server is killed.',
			product: product.id,
			tags: []
		});
		if (!idea.ok) {
			throw new Error('no idea');
		}
		ideaIds.push(idea.id);
	}
	return { productId: product.id, writers, ideaIds };
}

interface Acknowledged {
	ideas: { id: number; userId: number; title: string }[];
	votes: { postId: number; userId: number }[];
}

/**
 * Each writer posts ideas and votes on other ideas as fast as the server answers, recording every
 * 2xx, until `stopWhen` says so; an error (the server gone) ends it.
 */
async function writeUntil(
	port: number,
	{ writers, ideaIds, productId }: Awaited<ReturnType<typeof setUp>>,
	acknowledged: Acknowledged,
	stopWhen: () => boolean
): Promise<void> {
	// Each writer's next idea to vote on carries over from the previous round.
	const votedSoFar = (userId: number) =>
		acknowledged.votes.filter((v) => v.userId === userId).length;
	const base = `http://127.0.0.1:${port}/api/v1`;
	await Promise.all(
		writers.map(async ({ userId, token }, w) => {
			const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
			let votes = votedSoFar(userId);
			for (let i = 0; !stopWhen(); i++) {
				try {
					if (i % 4 === 0 || votes >= ideaIds.length) {
						const title = `Crash test idea ${w}.${i} ${Date.now()}`;
						const response = await fetch(`${base}/ideas`, {
							method: 'POST',
							headers,
							body: JSON.stringify({
								title,
								body: 'Written while the server is killed.',
								product: productId
							})
						});
						if (response.status === 201) {
							const { data } = await response.json();
							acknowledged.ideas.push({ id: data.id, userId, title });
						} else if (response.status !== 429) {
							throw new Error(`POST /ideas: ${response.status} ${await response.text()}`);
						}
					} else {
						// A new vote each time: the idea this writer has not voted on yet.
						const postId = ideaIds[(w * 5 + votes++) % ideaIds.length]!;
						const response = await fetch(`${base}/ideas/${postId}/vote`, {
							method: 'PUT',
							headers,
							body: '{}'
						});
						if (response.status === 200) {
							await response.arrayBuffer();
							acknowledged.votes.push({ postId, userId });
						} else if (response.status !== 409) {
							throw new Error(`PUT vote: ${response.status} ${await response.text()}`);
						}
					}
				} catch (error) {
					if (error instanceof TypeError) {
						return; // fetch failed: the server is gone
					}
					throw error;
				}
			}
		})
	);
}

describe('the embedded database killed mid-write', () => {
	it('keeps every acknowledged write, with vote counts matching the votes', async () => {
		const [dataDir, fixture] = await prepareDataDir(setUp);
		const { writers } = fixture;
		const acknowledged: Acknowledged = { ideas: [], votes: [] };
		for (let round = 0; round < ROUNDS; round++) {
			const server = serve(dataDir, { API_REQUESTS_PER_MINUTE: '100000' });
			const port = await listening(server);
			const before = acknowledged.ideas.length + acknowledged.votes.length;
			const acked = () => acknowledged.ideas.length + acknowledged.votes.length - before;
			let killed = false;
			let failed: unknown;
			const writing = writeUntil(port, fixture, acknowledged, () => killed).catch(
				(error) => (failed = error)
			);
			// Killed once some writes are through, with others in flight.
			const deadline = Date.now() + 60_000;
			while (acked() < WRITES_BEFORE_KILL) {
				if (failed || Date.now() > deadline) {
					throw new Error(`too few writes acknowledged (${failed}):\n${server.output()}`);
				}
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
			server.child.kill('SIGKILL');
			await server.exited;
			killed = true;
			await writing;
			expect(failed).toBeUndefined();
			expect(acked()).toBeGreaterThanOrEqual(WRITES_BEFORE_KILL);
		}

		// Restarted on the same folder: the dead process's lock is taken over and it serves.
		const again = serve(dataDir, { API_REQUESTS_PER_MINUTE: '100000' });
		const portAgain = await listening(again);
		const sample = acknowledged.ideas.at(-1)!;
		const idea = await fetch(`http://127.0.0.1:${portAgain}/api/v1/ideas/${sample.id}`, {
			headers: { authorization: `Bearer ${writers[0]!.token}` }
		});
		expect(idea.status).toBe(200);
		await stop(again);
		expect(again.output()).toContain('Database closed.');

		await readDataDir(dataDir, async (db) => {
			const ideas = await db
				.selectFrom('post')
				.select(['id', 'author_id', 'title'])
				.where(
					'id',
					'in',
					acknowledged.ideas.map((i) => i.id)
				)
				.execute();
			const missingIdeas = acknowledged.ideas.filter(
				(a) => !ideas.some((i) => i.id === a.id && i.author_id === a.userId && i.title === a.title)
			);
			expect(missingIdeas).toEqual([]);
			const votes = await db
				.selectFrom('vote')
				.select(['post_id', 'user_id'])
				.where(
					'user_id',
					'in',
					writers.map((w) => w.userId)
				)
				.execute();
			const missingVotes = acknowledged.votes.filter(
				(a) => !votes.some((v) => v.post_id === a.postId && v.user_id === a.userId)
			);
			expect(missingVotes).toEqual([]);
			// Every idea's counter equals its vote rows (each write updated both in one transaction).
			const mismatched = await sql<{ id: number; vote_count: number; votes: number }>`
				select p.id, p.vote_count, count(v.post_id)::int as votes
				from post p left join vote v on v.post_id = p.id
				group by p.id having p.vote_count <> count(v.post_id)`.execute(db);
			expect(mismatched.rows).toEqual([]);
			const integrity = await sql<{ ok: boolean }>`
				select count(*) = count(distinct (post_id, user_id)) as ok from vote`.execute(db);
			expect(integrity.rows[0]?.ok).toBe(true);
			console.log(
				`${ROUNDS} kill(s): ${acknowledged.ideas.length} ideas and ${acknowledged.votes.length} votes acknowledged, ${missingIdeas.length + missingVotes.length} missing, ${mismatched.rows.length} counters off`
			);
		});
		fs.rmSync(dataDir, { recursive: true, force: true });
	});
});
