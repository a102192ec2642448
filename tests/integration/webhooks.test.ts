// Webhooks on both databases: events are enqueued in the act's own transaction (and vanish with
// it), deliveries reach a real receiver on 127.0.0.1 signed, a 500 is retried on the backoff
// schedule, every attempt is logged, redelivery resends the same event, and private addresses
// are refused unless WEBHOOKS_ALLOW_PRIVATE is on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { config, readConfig, setConfig, type Config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import { createEntry, linkIdea, publishEntry } from '$lib/server/changelog';
import { postComment } from '$lib/server/comments';
import { postIdea } from '$lib/server/ideas';
import { changeIdeaStatus } from '$lib/server/ideas/status';
import { startJobWorker } from '$lib/server/jobs';
import { jobHandlers } from '$lib/server/jobs/handlers';
import { flagItem } from '$lib/server/moderation/flags';
import type { UserActor } from '$lib/server/policy';
import { writeReview } from '$lib/server/reviews';
import { castVote } from '$lib/server/votes';
import {
	createWebhook,
	deleteWebhook,
	deliverWebhook,
	emitWebhookEvent,
	listDeliveries,
	redeliver,
	sendTestPing,
	setWebhookEnabled,
	updateWebhook,
	type WebhookInput
} from '$lib/server/webhooks';
import { verifySignature } from '$lib/server/webhooks/signature';
import { createProduct, createUser } from '../helpers/factories';
import { eventually } from '../helpers/smtp';
import { backends, useTestDatabase } from '../helpers/test-db';

interface Received {
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** A receiver on 127.0.0.1 that answers with the next queued status (200 when none is left). */
function startReceiver() {
	const received: Received[] = [];
	const statuses: number[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
			const status = statuses.shift() ?? 200;
			response.writeHead(status, { 'Content-Type': 'text/plain' });
			response.end(status === 200 ? 'thanks' : 'x'.repeat(5000));
		});
	});
	return {
		received,
		statuses,
		server,
		async listen(): Promise<string> {
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

function allowPrivate(allowed: boolean): void {
	setConfig(readConfig({ ...process.env, WEBHOOKS_ALLOW_PRIVATE: allowed ? 'true' : 'false' }));
}

async function jobsFor(db: Db, deliveryId: number) {
	const rows = await db
		.selectFrom(sql`pgboss.job`.as('job'))
		.select([
			sql<Record<string, unknown>>`data`.as('data'),
			sql<Date>`start_after`.as('start_after')
		])
		.where(sql.ref('name'), '=', 'webhook-delivery')
		.where(sql`(data->>'deliveryId')::bigint`, '=', deliveryId)
		.orderBy(sql`created_on`)
		.execute();
	return rows;
}

describe.each(backends)('webhooks on %s', (backend) => {
	const t = useTestDatabase(backend);
	const receiver = startReceiver();
	let url: string;
	let previous: Config;
	let admin: UserActor;

	const input = (overrides: Partial<WebhookInput> = {}): WebhookInput => ({
		url,
		description: 'CRM sync',
		secret: 'a-secret-for-the-tests-0123456789',
		events: ['idea.created'],
		...overrides
	});

	beforeAll(async () => {
		previous = config();
		url = await receiver.listen();
		admin = await createUser(t.db, { role: 'admin' });
	});
	afterAll(async () => {
		setConfig(previous);
		await receiver.close();
	});
	afterEach(async () => {
		allowPrivate(true);
		receiver.received.length = 0;
		receiver.statuses.length = 0;
		// Each test starts with no webhooks.
		await t.db.deleteFrom('webhook').execute();
	});

	async function newIdea(author?: UserActor) {
		const product = await createProduct(t.db);
		const result = await postIdea(t.db, author ?? (await createUser(t.db)), {
			title: 'Export to CSV',
			body: 'Finance wants **spreadsheets**.',
			product: product.id,
			tags: []
		});
		if (!result.ok) {
			throw new Error('could not post');
		}
		return result.id;
	}

	async function deliveriesOf(webhookId: number) {
		return t.db
			.selectFrom('webhook_delivery as d')
			.innerJoin('webhook_event as e', 'e.id', 'd.event_id')
			.select(['d.id', 'd.state', 'e.type', 'e.payload', 'e.id as event_id'])
			.where('d.webhook_id', '=', webhookId)
			.orderBy('d.id')
			.execute();
	}

	it('registers with a generated secret shown once, and refuses private URLs unless allowed', async () => {
		allowPrivate(true);
		const created = await createWebhook(t.db, admin, input({ secret: null }));
		expect(created.ok && created.secret).toMatch(/^whsec_/);
		const entered = await createWebhook(t.db, admin, input());
		expect(entered).toMatchObject({ ok: true, secret: null });

		allowPrivate(false);
		expect(await createWebhook(t.db, admin, input())).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { url: 'That address is on a private or local network.' }
		});
		expect(
			await createWebhook(t.db, admin, input({ url: 'http://[::ffff:10.0.0.1]/x' }))
		).toMatchObject({ ok: false, reason: 'invalid' });
		const member = await createUser(t.db);
		expect(await createWebhook(t.db, member, input())).toEqual({ ok: false, reason: 'forbidden' });
		expect(await t.db.selectFrom('webhook').select('id').execute()).toHaveLength(2);
	});

	it('enqueues an event in the act’s transaction, for subscribed enabled webhooks only', async () => {
		const wanted = await createWebhook(t.db, admin, input());
		const otherEvents = await createWebhook(t.db, admin, input({ events: ['vote.created'] }));
		const disabled = await createWebhook(t.db, admin, input());
		if (!wanted.ok || !otherEvents.ok || !disabled.ok) {
			throw new Error('setup');
		}
		await setWebhookEnabled(t.db, admin, disabled.id, false);

		const author = await createUser(t.db);
		const ideaId = await newIdea(author);

		const deliveries = await deliveriesOf(wanted.id);
		expect(deliveries).toHaveLength(1);
		expect(deliveries[0]).toMatchObject({ state: 'pending', type: 'idea.created' });
		const payload = deliveries[0]!.payload as Record<string, unknown>;
		expect(payload).toMatchObject({
			id: ideaId,
			title: 'Export to CSV',
			author: { id: author.id, handle: author.handle },
			vote_count: 1
		});
		// Public data only: no email anywhere in it.
		expect(JSON.stringify(payload)).not.toContain('@');
		expect(await jobsFor(t.db, deliveries[0]!.id)).toHaveLength(1);
		// The author's own vote on posting is part of posting, not a vote event.
		expect(await deliveriesOf(otherEvents.id)).toEqual([]);
		expect(await deliveriesOf(disabled.id)).toEqual([]);
	});

	it('leaves nothing behind when the act’s transaction rolls back', async () => {
		const hook = await createWebhook(t.db, admin, input());
		if (!hook.ok) {
			throw new Error('setup');
		}
		const eventsBefore = await t.db.selectFrom('webhook_event').select('id').execute();
		const countJobs = async () =>
			(
				await t.db
					.selectFrom(sql`pgboss.job`.as('job'))
					.select(sql<number>`count(*)::int`.as('n'))
					.where(sql.ref('name'), '=', 'webhook-delivery')
					.executeTakeFirstOrThrow()
			).n;
		const jobsBefore = await countJobs();
		await expect(
			t.db.transaction().execute(async (trx) => {
				const id = await emitWebhookEvent(trx, 'idea.created', { id: 1, title: 'Ghost' });
				expect(id).not.toBeNull();
				throw new Error('the act failed');
			})
		).rejects.toThrow('the act failed');
		expect(await deliveriesOf(hook.id)).toEqual([]);
		expect(await t.db.selectFrom('webhook_event').select('id').execute()).toEqual(eventsBefore);
		expect(await countJobs()).toBe(jobsBefore);
		// The same emit, committed, leaves exactly one of each.
		await t.db.transaction().execute((trx) => emitWebhookEvent(trx, 'idea.created', { id: 1 }));
		expect(await deliveriesOf(hook.id)).toHaveLength(1);
		expect(await countJobs()).toBe(jobsBefore + 1);
	});

	it('emits votes, comments, status changes and flags from their domain functions', async () => {
		const hook = await createWebhook(
			t.db,
			admin,
			input({
				events: [
					'vote.created',
					'comment.created',
					'idea.status_changed',
					'flag.created',
					'review.created'
				]
			})
		);
		if (!hook.ok) {
			throw new Error('setup');
		}
		const ideaId = await newIdea();
		const voter = await createUser(t.db);
		expect(await castVote(t.db, voter, { postId: ideaId })).toEqual({ ok: true, changed: true });
		// Casting the same vote again changes nothing and emits nothing.
		expect(await castVote(t.db, voter, { postId: ideaId })).toEqual({ ok: true, changed: false });
		const comment = await postComment(t.db, voter, { postId: ideaId, body: 'Yes please' });
		expect(comment.ok).toBe(true);
		const staff = await createUser(t.db, { role: 'staff' });
		const planned = await t.db
			.selectFrom('idea_status')
			.select('id')
			.where('slug', '=', 'planned')
			.executeTakeFirstOrThrow();
		await t.db
			.transaction()
			.execute((trx) =>
				changeIdeaStatus(trx, staff, { ideaId, statusId: planned.id, message: 'On the list' })
			);
		const flagger = await createUser(t.db);
		await flagItem(
			t.db,
			flagger,
			{ type: 'post', id: ideaId },
			{ reason: 'spam', note: 'secret note' }
		);

		const reviewed = await createProduct(t.db);
		const review = await writeReview(t.db, voter, reviewed.id, {
			rating: 4,
			title: 'Solid',
			body: 'Does what it says.',
			review: null
		});
		expect(review.ok).toBe(true);

		const deliveries = await deliveriesOf(hook.id);
		expect(deliveries.map((d) => d.type)).toEqual([
			'vote.created',
			'comment.created',
			'idea.status_changed',
			'flag.created',
			'review.created'
		]);
		expect(deliveries[4]!.payload).toMatchObject({
			rating: 4,
			title: 'Solid',
			product: { id: reviewed.id }
		});
		type Payload = {
			voter: unknown;
			idea: { vote_count: number };
			comment: { body: string };
			to: unknown;
			message: string;
		};
		const [vote, posted, status, flag] = deliveries
			.slice(0, 4)
			.map((d) => d.payload as unknown as Payload);
		expect(vote!.voter).toEqual({
			id: voter.id,
			handle: voter.handle,
			display_name: voter.displayName
		});
		expect(vote!.idea.vote_count).toBe(2);
		expect(posted!.comment.body).toBe('Yes please');
		expect(status!.to).toEqual({ name: 'Planned', category: 'planned' });
		expect(status!.message).toBe('On the list');
		expect(flag).toMatchObject({ reason: 'spam', target: { type: 'post', id: ideaId } });
		// Never the note or who flagged; never an email.
		expect(JSON.stringify(flag)).not.toContain('secret note');
		expect(JSON.stringify(flag)).not.toContain(String(flagger.handle));
		for (const d of deliveries) {
			expect(JSON.stringify(d.payload)).not.toContain('@example.com');
		}
	});

	it('emits a published changelog entry once, with the ideas it shipped', async () => {
		const hook = await createWebhook(t.db, admin, input({ events: ['changelog.published'] }));
		if (!hook.ok) {
			throw new Error('setup');
		}
		const ideaId = await newIdea();
		const staff = await createUser(t.db, { role: 'staff' });
		const entry = await createEntry(t.db, staff, {
			title: 'CSV export is here',
			body: 'Download any report.',
			product: null
		});
		if (!entry.ok) {
			throw new Error('setup');
		}
		expect((await linkIdea(t.db, staff, { entryId: entry.id, ideaId })).ok).toBe(true);
		expect((await publishEntry(t.db, staff, entry.id)).ok).toBe(true);
		// Publishing again changes nothing and emits nothing.
		await publishEntry(t.db, staff, entry.id);
		const deliveries = await deliveriesOf(hook.id);
		expect(deliveries).toHaveLength(1);
		expect(deliveries[0]!.payload).toMatchObject({
			id: entry.id,
			title: 'CSV export is here',
			ideas: [{ id: ideaId, title: 'Export to CSV' }]
		});
	});

	it('sends again an attempt whose worker died, on that job’s retry only', async () => {
		const hook = await createWebhook(t.db, admin, input());
		if (!hook.ok) {
			throw new Error('setup');
		}
		await newIdea();
		const [delivery] = await deliveriesOf(hook.id);
		// Attempt 1 claimed itself, then its process died before it logged anything.
		await t.db
			.updateTable('webhook_delivery')
			.set({ attempts: 1 })
			.where('id', '=', delivery!.id)
			.execute();
		const job = { deliveryId: delivery!.id, attempt: 1 };
		// Another job with the same attempt (a duplicate) still sends nothing.
		expect(await deliverWebhook(t.db, job, undefined, { id: 'j', retryCount: 0 })).toBe('skipped');
		expect(receiver.received).toHaveLength(0);
		// pg-boss retried the job: the attempt goes out, once, and is logged once.
		expect(await deliverWebhook(t.db, job, undefined, { id: 'j', retryCount: 1 })).toBe(
			'succeeded'
		);
		expect(await deliverWebhook(t.db, job, undefined, { id: 'j', retryCount: 2 })).toBe('skipped');
		expect(receiver.received).toHaveLength(1);
		expect(receiver.received[0]!.headers['roundtable-event-id']).toBe(delivery!.event_id);
		const attempts = await t.db
			.selectFrom('webhook_attempt')
			.select('attempt')
			.where('delivery_id', '=', delivery!.id)
			.execute();
		expect(attempts).toEqual([{ attempt: 1 }]);
	});

	it('delivers signed, retries a 500 after the first backoff, logs every attempt', async () => {
		const secret = 'receiver-shared-secret-abcdefgh';
		const hook = await createWebhook(t.db, admin, input({ secret }));
		if (!hook.ok) {
			throw new Error('setup');
		}
		const ideaId = await newIdea();
		const [delivery] = await deliveriesOf(hook.id);

		receiver.statuses.push(500);
		const started = new Date();
		expect(await deliverWebhook(t.db, { deliveryId: delivery!.id, attempt: 1 })).toBe('retrying');
		expect(receiver.received).toHaveLength(1);

		// The retry is a job for attempt 2, a minute later.
		const jobs = await jobsFor(t.db, delivery!.id);
		expect(jobs.map((j) => j.data)).toEqual([
			{ deliveryId: delivery!.id, attempt: 1 },
			{ deliveryId: delivery!.id, attempt: 2 }
		]);
		const wait = (jobs[1]!.start_after.getTime() - started.getTime()) / 1000;
		expect(wait).toBeGreaterThanOrEqual(59);
		expect(wait).toBeLessThan(75);

		// A duplicate of attempt 1 sends nothing.
		expect(await deliverWebhook(t.db, { deliveryId: delivery!.id, attempt: 1 })).toBe('skipped');
		expect(receiver.received).toHaveLength(1);

		expect(await deliverWebhook(t.db, { deliveryId: delivery!.id, attempt: 2 })).toBe('succeeded');
		expect(receiver.received).toHaveLength(2);

		for (const arrival of receiver.received) {
			const signature = String(arrival.headers['roundtable-signature']);
			expect(verifySignature(secret, signature, arrival.body)).toMatchObject({ ok: true });
			expect(verifySignature('some-other-secret-123456', signature, arrival.body).ok).toBe(false);
			const body = JSON.parse(arrival.body);
			expect(body).toMatchObject({
				id: delivery!.event_id,
				type: 'idea.created',
				data: { id: ideaId }
			});
			expect(arrival.headers['roundtable-event-id']).toBe(delivery!.event_id);
			expect(arrival.headers['content-type']).toBe('application/json');
		}
		expect(receiver.received.map((r) => r.headers['roundtable-attempt'])).toEqual(['1', '2']);

		const [log] = await listDeliveries(t.db, hook.id);
		expect(log).toMatchObject({
			id: delivery!.id,
			state: 'succeeded',
			attempts: 2,
			nextAttemptAt: null
		});
		expect(log!.log.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
			[1, 500, 'HTTP 500'],
			[2, 200, null]
		]);
		expect(log!.log[0]!.responseBody).toHaveLength(2000);
		expect(log!.log[1]!.responseBody).toBe('thanks');
		expect(log!.log.every((a) => a.durationMs >= 0 && a.durationMs < 10_000)).toBe(true);
	});

	it('redelivers the same event as a new delivery, and not one still being retried', async () => {
		const hook = await createWebhook(t.db, admin, input());
		if (!hook.ok) {
			throw new Error('setup');
		}
		await newIdea();
		const [first] = await deliveriesOf(hook.id);
		receiver.statuses.push(500);
		await deliverWebhook(t.db, { deliveryId: first!.id, attempt: 1 });
		expect(await redeliver(t.db, admin, first!.id)).toEqual({ ok: false, reason: 'pending' });
		await deliverWebhook(t.db, { deliveryId: first!.id, attempt: 2 });

		const again = await redeliver(t.db, admin, first!.id);
		if (!again.ok) {
			throw new Error('not redelivered');
		}
		expect(await deliverWebhook(t.db, { deliveryId: again.deliveryId, attempt: 1 })).toBe(
			'succeeded'
		);
		const ids = receiver.received.map((r) => r.headers['roundtable-event-id']);
		expect(ids).toEqual([first!.event_id, first!.event_id, first!.event_id]);
		const member = await createUser(t.db);
		expect(await redeliver(t.db, member, first!.id)).toEqual({ ok: false, reason: 'forbidden' });
		expect((await listDeliveries(t.db, hook.id)).map((d) => d.state)).toEqual([
			'succeeded',
			'succeeded'
		]);
	});

	it('refuses to connect to a private address unless allowed, and gives up after the last attempt', async () => {
		const hook = await createWebhook(t.db, admin, input());
		if (!hook.ok) {
			throw new Error('setup');
		}
		await newIdea();
		const [delivery] = await deliveriesOf(hook.id);
		allowPrivate(false);
		expect(await deliverWebhook(t.db, { deliveryId: delivery!.id, attempt: 1 })).toBe('retrying');
		expect(receiver.received).toEqual([]);
		const [log] = await listDeliveries(t.db, hook.id);
		expect(log!.log[0]).toMatchObject({
			statusCode: null,
			error: 'That address is on a private or local network.'
		});
		// Jump to the last attempt: it fails for good, and nothing more is queued.
		await t.db
			.updateTable('webhook_delivery')
			.set({ attempts: 6 })
			.where('id', '=', delivery!.id)
			.execute();
		expect(await deliverWebhook(t.db, { deliveryId: delivery!.id, attempt: 7 })).toBe('failed');
		expect((await jobsFor(t.db, delivery!.id)).map((j) => j.data.attempt)).toEqual([1, 2]);
	});

	it('sends a test ping through the real job worker; edits and deletes', async () => {
		const hook = await createWebhook(t.db, admin, input({ events: ['review.created'] }));
		if (!hook.ok) {
			throw new Error('setup');
		}
		const worker = await startJobWorker(t.handle.pool, jobHandlers(t.db), {
			pollingIntervalSeconds: 0.5,
			schedule: false
		});
		try {
			const ping = await sendTestPing(t.db, admin, hook.id);
			expect(ping.ok).toBe(true);
			await eventually(() => receiver.received.length === 1, 'the ping to arrive');
			expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
				type: 'ping',
				data: { webhook_id: hook.id }
			});
			await eventually(
				async () => (await listDeliveries(t.db, hook.id))[0]?.state === 'succeeded',
				'the log to say so'
			);
		} finally {
			await worker.stop(2000);
		}
		const edited = await updateWebhook(
			t.db,
			admin,
			hook.id,
			input({ secret: null, url: `${url}/v2` })
		);
		expect(edited).toEqual({ ok: true, id: hook.id, secret: null });
		const stored = await t.db
			.selectFrom('webhook')
			.select(['url', 'secret'])
			.where('id', '=', hook.id)
			.executeTakeFirstOrThrow();
		// A blank secret on edit keeps the one it had.
		expect(stored).toEqual({ url: `${url}/v2`, secret: 'a-secret-for-the-tests-0123456789' });
		expect(await deleteWebhook(t.db, admin, hook.id)).toEqual({ ok: true });
		expect(await deleteWebhook(t.db, admin, hook.id)).toEqual({ ok: false, reason: 'not_found' });
		expect(
			await t.db
				.selectFrom('webhook_delivery')
				.select('id')
				.where('webhook_id', '=', hook.id)
				.execute()
		).toEqual([]);
	});
});
