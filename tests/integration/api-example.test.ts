// scripts/api-example.js, run as a separate process over real HTTP against the API router on
// both databases: the documented API and a token are all it needs to list, create and vote.
// (The e2e suite runs it against the built server with a token made in Settings.)
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiRouter } from '$lib/server/api';
import type { Db, DatabaseHandle } from '$lib/server/db';
import { postIdea } from '$lib/server/ideas';
import { anonymous } from '$lib/server/policy';
import { createProduct, createUser } from '../helpers/factories';
import { backends, createTestDatabase } from '../helpers/test-db';
import { apiCaller, tokenFor } from '../helpers/api';

const app = vi.hoisted(() => ({
	db: undefined as Db | undefined,
	handle: undefined as DatabaseHandle | undefined
}));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => app.db!,
	getDatabase: () => app.handle!
}));

const run = promisify(execFile);

describe.each(backends)('the API example script on %s', (backend) => {
	let handle: DatabaseHandle;
	let server: http.Server;
	let origin: string;

	beforeAll(async () => {
		handle = await createTestDatabase(backend);
		app.db = handle.db;
		app.handle = handle;
		server = http.createServer(async (req, res) => {
			const chunks: Buffer[] = [];
			for await (const chunk of req) {
				chunks.push(chunk as Buffer);
			}
			const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
			const request = new Request(`http://localhost${req.url}`, {
				method: req.method,
				headers: req.headers as Record<string, string>,
				body
			});
			const response = await apiRouter.handle(request, {
				db: handle.db,
				pool: handle.pool,
				sessionActor: anonymous,
				requestsPerMinute: 100
			});
			res.writeHead(response.status, Object.fromEntries(response.headers));
			res.end(Buffer.from(await response.arrayBuffer()));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
		app.db = undefined;
		app.handle = undefined;
		await handle?.close();
	});

	it('lists ideas, posts one and votes for the top idea of someone else', async () => {
		const product = await createProduct(handle.db, { name: 'Example' });
		const other = await createUser(handle.db);
		const posted = await postIdea(handle.db, other, {
			title: 'An idea to vote for',
			body: 'Someone else’s.',
			product: product.id,
			tags: []
		});
		if (!posted.ok) {
			throw new Error('idea');
		}
		const member = await createUser(handle.db);
		const token = await tokenFor(() => handle, member, ['read', 'write']);
		const { stdout } = await run(
			process.execPath,
			['scripts/api-example.js', 'Posted by the example'],
			{
				env: { ...process.env, RT_URL: origin, RT_TOKEN: token, RT_PRODUCT: product.slug }
			}
		);
		const steps = stdout
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		expect(steps.map((s) => s.step)).toEqual(['me', 'list', 'create', 'vote']);
		expect(steps[1]).toMatchObject({ product: product.slug, ideas: 1 });
		expect(steps[3]).toMatchObject({ id: posted.id, vote_count: 2 });

		// What the script did is there for everyone, as the API documents it.
		const api = apiCaller(() => handle);
		const list = await api.op('listIdeas', { query: { product: product.slug, sort: 'newest' } });
		expect(list.body.data.map((i: { title: string }) => i.title)).toEqual([
			'Posted by the example',
			'An idea to vote for'
		]);
		const voted = await apiCaller(() => handle, { token }).op('getIdea', {
			params: { id: posted.id }
		});
		expect(voted.body.data.viewer).toEqual({
			voted: true,
			importance: 'important',
			can_vote: true
		});
	});

	it('stops with the API’s error when the token is not valid', async () => {
		const failed = run(process.execPath, ['scripts/api-example.js'], {
			env: { ...process.env, RT_URL: origin, RT_TOKEN: `rt_${'b'.repeat(32)}` }
		});
		await expect(failed).rejects.toMatchObject({
			stderr: expect.stringContaining('401 invalid_token')
		});
	});
});
