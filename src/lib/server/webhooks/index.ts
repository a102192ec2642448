// Webhooks: admins register endpoints; the acts of the site emit events in their own
// transaction; each event becomes one delivery per subscribed webhook, worked by the job queue,
// signed, retried on our backoff schedule, and logged attempt by attempt.
import { m } from '$lib/paraglide/messages';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import {
	WEBHOOK_EVENTS,
	isWebhookEventType,
	type AnyWebhookEventType,
	type WebhookEventType
} from '$lib/domain/webhooks';
import { recordAudit } from '../audit';
import { config } from '../config';
import type { Db } from '../db';
import type { WebhookDeliveryState } from '../db/schema';
import type { FieldErrors } from '../forms';
import { enqueue, type JobRun } from '../jobs';
import { canManageWebhooks, type Actor } from '../policy';
import { checkWebhookUrl } from './address';
import { MAX_ATTEMPTS, retryDelaySeconds } from './backoff';
import { sendWebhook, type SendResult } from './send';
import { SIGNATURE_HEADER, generateWebhookSecret, signatureHeader } from './signature';

export { emitWebhookEvent };

// Admin: the endpoints ---------------------------------------------------------------------

export const WEBHOOK_FIELDS = ['url', 'description', 'secret'] as const;

export const webhookSchema = z.object({
	url: z
		.string({ error: () => m.admin_webhook_url_required() })
		.trim()
		.min(1, { error: () => m.admin_webhook_url_required() })
		.max(2000, { error: () => m.admin_at_most_characters({ max: 2000 }) }),
	description: z
		.string()
		.trim()
		.max(200, { error: () => m.admin_at_most_characters({ max: 200 }) })
		.optional()
		.transform((v) => v ?? ''),
	// Blank: one is generated and shown once. Given: at least 16 characters.
	secret: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : null))
		.refine((v) => v === null || (v.length >= 16 && v.length <= 200), {
			error: () => m.admin_webhook_secret_length()
		}),
	events: z
		.array(z.string())
		.default([])
		.refine((list) => list.length > 0, { error: () => m.admin_webhook_events_required() })
		.refine((list) => list.every(isWebhookEventType), {
			error: () => m.admin_webhook_events_unknown()
		})
		.transform((list) => [...new Set(list)] as WebhookEventType[])
});
export type WebhookInput = z.output<typeof webhookSchema>;

export interface WebhookSummary {
	id: number;
	url: string;
	description: string;
	events: WebhookEventType[];
	enabled: boolean;
	createdAt: Date;
	/** The last delivery's state and when it was made, for the list. */
	lastState: WebhookDeliveryState | null;
	lastAt: Date | null;
}

function allowPrivate(): boolean {
	return config().WEBHOOKS_ALLOW_PRIVATE;
}

function checkUrl(url: string): FieldErrors {
	const checked = checkWebhookUrl(url, allowPrivate());
	return checked.ok ? {} : { url: checked.reason };
}

export async function listWebhooks(db: Db): Promise<WebhookSummary[]> {
	const rows = await db
		.selectFrom('webhook as w')
		.select([
			'w.id',
			'w.url',
			'w.description',
			'w.events',
			'w.enabled',
			'w.created_at',
			(eb) =>
				eb
					.selectFrom('webhook_delivery as d')
					.select('d.state')
					.whereRef('d.webhook_id', '=', 'w.id')
					.orderBy('d.id', 'desc')
					.limit(1)
					.as('last_state'),
			(eb) =>
				eb
					.selectFrom('webhook_delivery as d')
					.select('d.updated_at')
					.whereRef('d.webhook_id', '=', 'w.id')
					.orderBy('d.id', 'desc')
					.limit(1)
					.as('last_at')
		])
		.orderBy('w.id')
		.execute();
	return rows.map((row) => ({
		id: row.id,
		url: row.url,
		description: row.description,
		events: row.events.filter(isWebhookEventType),
		enabled: row.enabled,
		createdAt: row.created_at,
		lastState: (row.last_state as WebhookDeliveryState | null) ?? null,
		lastAt: row.last_at ?? null
	}));
}

export async function getWebhook(db: Db, id: number): Promise<WebhookSummary | undefined> {
	return (await listWebhooks(db)).find((hook) => hook.id === id);
}

export type SaveWebhookResult =
	| {
			ok: true;
			id: number;
			/** Only when it was generated now: shown once. */ secret: string | null;
	  }
	| { ok: false; reason: 'forbidden' | 'not_found' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors };

export async function createWebhook(
	db: Db,
	actor: Actor,
	input: WebhookInput
): Promise<SaveWebhookResult> {
	if (!canManageWebhooks(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const errors = checkUrl(input.url);
	if (Object.keys(errors).length > 0) {
		return { ok: false, reason: 'invalid', errors };
	}
	const generated = input.secret === null ? generateWebhookSecret() : null;
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.insertInto('webhook')
			.values({
				url: input.url,
				description: input.description,
				secret: input.secret ?? generated!,
				events: input.events,
				created_by_id: actor.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await recordAudit(trx, actor, {
			action: 'webhook.create',
			targetType: 'webhook',
			targetId: row.id,
			details: { url: input.url, events: input.events }
		});
		return { ok: true as const, id: row.id, secret: generated };
	});
}

/** Edits the URL, description and events; a new secret only when one is typed in. */
export async function updateWebhook(
	db: Db,
	actor: Actor,
	id: number,
	input: WebhookInput
): Promise<SaveWebhookResult> {
	if (!canManageWebhooks(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const errors = checkUrl(input.url);
	if (Object.keys(errors).length > 0) {
		return { ok: false, reason: 'invalid', errors };
	}
	return db.transaction().execute(async (trx) => {
		const updated = await trx
			.updateTable('webhook')
			.set({
				url: input.url,
				description: input.description,
				events: input.events,
				updated_at: new Date(),
				...(input.secret === null ? {} : { secret: input.secret })
			})
			.where('id', '=', id)
			.returning('id')
			.executeTakeFirst();
		if (!updated) {
			return { ok: false as const, reason: 'not_found' as const };
		}
		await recordAudit(trx, actor, {
			action: 'webhook.update',
			targetType: 'webhook',
			targetId: id,
			details: { url: input.url, events: input.events, secretChanged: input.secret !== null }
		});
		return { ok: true as const, id, secret: null };
	});
}

export type WebhookActResult = { ok: true } | { ok: false; reason: 'forbidden' | 'not_found' };

export async function setWebhookEnabled(
	db: Db,
	actor: Actor,
	id: number,
	enabled: boolean
): Promise<WebhookActResult> {
	if (!canManageWebhooks(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.updateTable('webhook')
			.set({ enabled, updated_at: new Date() })
			.where('id', '=', id)
			.returning('id')
			.executeTakeFirst();
		if (!row) {
			return { ok: false as const, reason: 'not_found' as const };
		}
		await recordAudit(trx, actor, {
			action: enabled ? 'webhook.enable' : 'webhook.disable',
			targetType: 'webhook',
			targetId: id,
			details: {}
		});
		return { ok: true as const };
	});
}

/** Deletes the webhook with its log; deliveries still queued find nothing and stop. */
export async function deleteWebhook(db: Db, actor: Actor, id: number): Promise<WebhookActResult> {
	if (!canManageWebhooks(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.deleteFrom('webhook')
			.where('id', '=', id)
			.returning('url')
			.executeTakeFirst();
		if (!row) {
			return { ok: false as const, reason: 'not_found' as const };
		}
		await recordAudit(trx, actor, {
			action: 'webhook.delete',
			targetType: 'webhook',
			targetId: id,
			details: { url: row.url }
		});
		return { ok: true as const };
	});
}

// Events ------------------------------------------------------------------------------------

/** Creates one delivery of `eventId` to `webhookId` and enqueues its first attempt. */
async function scheduleDelivery(trx: Db, webhookId: number, eventId: string): Promise<number> {
	const delivery = await trx
		.insertInto('webhook_delivery')
		.values({ webhook_id: webhookId, event_id: eventId, next_attempt_at: new Date() })
		.returning('id')
		.executeTakeFirstOrThrow();
	await enqueue(trx, [{ name: 'webhook-delivery', data: { deliveryId: delivery.id, attempt: 1 } }]);
	return delivery.id;
}

async function insertEvent(
	trx: Db,
	type: AnyWebhookEventType,
	payload: Record<string, unknown>
): Promise<string> {
	const id = randomUUID();
	await trx
		.insertInto('webhook_event')
		.values({ id, type, payload: JSON.stringify(payload) })
		.execute();
	return id;
}

type Payload = Record<string, unknown> | null;

/**
 * Call with the transaction of the act: the event and its deliveries exist exactly when the act
 * commits. A null payload (the thing is not public) emits nothing. The payload may be a function,
 * so it is only built when some enabled webhook wants this type (the common case is none).
 * Returns the event's id, or null when nothing was emitted.
 */
async function emitWebhookEvent(
	trx: Db,
	type: WebhookEventType,
	payloadOrBuilder: Payload | (() => Promise<Payload>)
): Promise<string | null> {
	const hooks = await trx
		.selectFrom('webhook')
		.select('id')
		.where('enabled', '=', true)
		.where(sql<boolean>`${type} = any(events)`)
		.execute();
	if (hooks.length === 0) {
		return null;
	}
	const payload =
		typeof payloadOrBuilder === 'function' ? await payloadOrBuilder() : payloadOrBuilder;
	if (payload === null) {
		return null;
	}
	const eventId = await insertEvent(trx, type, payload);
	for (const hook of hooks) {
		await scheduleDelivery(trx, hook.id, eventId);
	}
	return eventId;
}

export type PingResult = { ok: true; deliveryId: number } | WebhookActResult;

/** "Send test": a `ping` event to this webhook alone, even while it is disabled. */
export async function sendTestPing(db: Db, actor: Actor, webhookId: number): Promise<PingResult> {
	if (!canManageWebhooks(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx) => {
		const hook = await trx
			.selectFrom('webhook')
			.select(['id', 'events'])
			.where('id', '=', webhookId)
			.executeTakeFirst();
		if (!hook) {
			return { ok: false as const, reason: 'not_found' as const };
		}
		const eventId = await insertEvent(trx, 'ping', {
			webhook_id: hook.id,
			events: hook.events,
			message: 'A test delivery sent from the admin screen.'
		});
		const deliveryId = await scheduleDelivery(trx, hook.id, eventId);
		return { ok: true as const, deliveryId };
	});
}

export type RedeliverResult =
	{ ok: true; deliveryId: number } | { ok: false; reason: 'forbidden' | 'not_found' | 'pending' };

/**
 * Sends the same event (same id, so receivers can recognise it) again as a new delivery with its
 * own attempts. A delivery still being retried is left to its schedule.
 */
export async function redeliver(
	db: Db,
	actor: Actor,
	deliveryId: number
): Promise<RedeliverResult> {
	if (!canManageWebhooks(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	return db.transaction().execute(async (trx) => {
		const delivery = await trx
			.selectFrom('webhook_delivery')
			.select(['id', 'webhook_id', 'event_id', 'state'])
			.where('id', '=', deliveryId)
			.executeTakeFirst();
		if (!delivery) {
			return { ok: false as const, reason: 'not_found' as const };
		}
		if (delivery.state === 'pending') {
			return { ok: false as const, reason: 'pending' as const };
		}
		const id = await scheduleDelivery(trx, delivery.webhook_id, delivery.event_id);
		return { ok: true as const, deliveryId: id };
	});
}

// Delivery (the job) --------------------------------------------------------------------------

export const deliveryJobSchema = z.object({
	deliveryId: z.number().int().positive(),
	attempt: z.number().int().min(1).max(MAX_ATTEMPTS)
});

/** The body sent: the event's envelope. */
export function envelope(event: {
	id: string;
	type: string;
	created_at: Date;
	payload: Record<string, unknown>;
}): string {
	return JSON.stringify({
		id: event.id,
		type: event.type,
		created_at: event.created_at.toISOString(),
		data: event.payload
	});
}

export type DeliveryOutcome = 'succeeded' | 'retrying' | 'failed' | 'skipped';

/**
 * Works one attempt. The attempt is claimed first (`attempts` moves from n - 1 to n only once),
 * so a duplicated or retried job sends nothing twice. A failure schedules the next attempt per
 * the backoff schedule, or gives up after the last.
 */
export async function deliverWebhook(
	db: Db,
	job: z.infer<typeof deliveryJobSchema>,
	now: () => Date = () => new Date(),
	run?: JobRun
): Promise<DeliveryOutcome> {
	// The attempt claims itself (attempts n - 1 → n). A retry of this same job (its worker died
	// or it expired mid-attempt: pg-boss retries only then) takes over an attempt that logged no
	// result, so the delivery goes on instead of stalling: the receiver may get that attempt twice,
	// with the same Roundtable-Event-Id to dedupe on.
	const claimed = await db
		.updateTable('webhook_delivery')
		.set({ attempts: job.attempt, updated_at: now() })
		.where('id', '=', job.deliveryId)
		.where('state', '=', 'pending')
		.where((eb) =>
			eb.or([
				eb('attempts', '=', job.attempt - 1),
				...(run && run.retryCount > 0
					? [
							eb.and([
								eb('attempts', '=', job.attempt),
								eb.not(
									eb.exists(
										eb
											.selectFrom('webhook_attempt as a')
											.select(sql`1`.as('one'))
											.whereRef('a.delivery_id', '=', 'webhook_delivery.id')
											.where('a.attempt', '=', job.attempt)
									)
								)
							])
						]
					: [])
			])
		)
		.returning(['id', 'webhook_id', 'event_id'])
		.executeTakeFirst();
	if (!claimed) {
		return 'skipped';
	}
	const found = await db
		.selectFrom('webhook_delivery as d')
		.innerJoin('webhook as w', 'w.id', 'd.webhook_id')
		.innerJoin('webhook_event as e', 'e.id', 'd.event_id')
		.select([
			'w.url',
			'w.secret',
			'w.enabled',
			'e.id as event_id',
			'e.type',
			'e.payload',
			'e.created_at'
		])
		.where('d.id', '=', claimed.id)
		.executeTakeFirst();
	if (!found) {
		return 'skipped';
	}
	let result: SendResult;
	if (!found.enabled && found.type !== 'ping') {
		result = {
			statusCode: null,
			ok: false,
			durationMs: 0,
			error: 'The webhook is disabled.',
			responseBody: null
		};
	} else {
		const body = envelope({
			id: found.event_id,
			type: found.type,
			created_at: found.created_at,
			payload: found.payload
		});
		const timestamp = Math.floor(now().getTime() / 1000);
		result = await sendWebhook(
			found.url,
			body,
			{
				'Content-Type': 'application/json',
				'User-Agent': 'Roundtable-Webhooks/1',
				'Roundtable-Event': found.type,
				'Roundtable-Event-Id': found.event_id,
				'Roundtable-Delivery': String(claimed.id),
				'Roundtable-Attempt': String(job.attempt),
				[SIGNATURE_HEADER]: signatureHeader(found.secret, timestamp, body)
			},
			{ allowPrivate: allowPrivate() }
		);
	}
	const disabled = !found.enabled && found.type !== 'ping';
	const delay = result.ok || disabled ? null : retryDelaySeconds(job.attempt);
	return db.transaction().execute(async (trx) => {
		await trx
			.insertInto('webhook_attempt')
			.values({
				delivery_id: claimed.id,
				attempt: job.attempt,
				status_code: result.statusCode,
				duration_ms: result.durationMs,
				error: result.error,
				response_body: result.responseBody
			})
			.execute();
		if (result.ok || delay === null) {
			await trx
				.updateTable('webhook_delivery')
				.set({
					state: result.ok ? 'succeeded' : 'failed',
					next_attempt_at: null,
					updated_at: now()
				})
				.where('id', '=', claimed.id)
				.execute();
			return result.ok ? 'succeeded' : 'failed';
		}
		const next = new Date(now().getTime() + delay * 1000);
		await trx
			.updateTable('webhook_delivery')
			.set({ next_attempt_at: next, updated_at: now() })
			.where('id', '=', claimed.id)
			.execute();
		await enqueue(trx, [
			{
				name: 'webhook-delivery',
				data: { deliveryId: claimed.id, attempt: job.attempt + 1 },
				startAfter: next
			}
		]);
		return 'retrying';
	});
}

// The log ---------------------------------------------------------------------------------------

export interface DeliveryLogEntry {
	id: number;
	eventId: string;
	eventType: string;
	state: WebhookDeliveryState;
	attempts: number;
	nextAttemptAt: Date | null;
	createdAt: Date;
	log: {
		attempt: number;
		statusCode: number | null;
		durationMs: number;
		error: string | null;
		responseBody: string | null;
		at: Date;
	}[];
}

/** The webhook's latest deliveries, newest first, each with its attempts. */
export async function listDeliveries(
	db: Db,
	webhookId: number,
	limit = 50
): Promise<DeliveryLogEntry[]> {
	const deliveries = await db
		.selectFrom('webhook_delivery as d')
		.innerJoin('webhook_event as e', 'e.id', 'd.event_id')
		.select([
			'd.id',
			'd.event_id',
			'e.type',
			'd.state',
			'd.attempts',
			'd.next_attempt_at',
			'd.created_at'
		])
		.where('d.webhook_id', '=', webhookId)
		.orderBy('d.id', 'desc')
		.limit(limit)
		.execute();
	if (deliveries.length === 0) {
		return [];
	}
	const attempts = await db
		.selectFrom('webhook_attempt')
		.selectAll()
		.where(
			'delivery_id',
			'in',
			deliveries.map((d) => d.id)
		)
		.orderBy('id')
		.execute();
	return deliveries.map((d) => ({
		id: d.id,
		eventId: d.event_id,
		eventType: d.type,
		state: d.state,
		attempts: d.attempts,
		nextAttemptAt: d.next_attempt_at,
		createdAt: d.created_at,
		log: attempts
			.filter((a) => a.delivery_id === d.id)
			.map((a) => ({
				attempt: a.attempt,
				statusCode: a.status_code,
				durationMs: a.duration_ms,
				error: a.error,
				responseBody: a.response_body,
				at: a.created_at
			}))
	}));
}

export { WEBHOOK_EVENTS };
