// Delivery signatures: HMAC-SHA256 over `<timestamp>.<body>` with the webhook's secret, sent as
// `Roundtable-Signature: t=<unix seconds>,v1=<hex>`. The timestamp inside the signed text lets a
// receiver refuse replays of an old delivery (docs/webhooks.md shows how to verify).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Roundtable-Signature';
/** How old a signed timestamp a receiver should still accept (our own check uses it too). */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export function signatureOf(secret: string, timestamp: number, body: string): string {
	return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, timestamp: number, body: string): string {
	return `t=${timestamp},v1=${signatureOf(secret, timestamp, body)}`;
}

export type SignatureCheck =
	{ ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'mismatch' | 'expired' };

/** What a receiver does: parse the header, recompute, compare in constant time, check the age. */
export function verifySignature(
	secret: string,
	header: string,
	body: string,
	now = Date.now(),
	toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS
): SignatureCheck {
	const parts = new Map<string, string[]>();
	for (const piece of header.split(',')) {
		const [key, value] = piece.split('=', 2).map((s) => s.trim());
		if (key && value) {
			parts.set(key, [...(parts.get(key) ?? []), value]);
		}
	}
	const t = Number(parts.get('t')?.[0]);
	const candidates = parts.get('v1') ?? [];
	if (!Number.isInteger(t) || candidates.length === 0) {
		return { ok: false, reason: 'malformed' };
	}
	const expected = Buffer.from(signatureOf(secret, t, body), 'hex');
	const matches = candidates.some((candidate) => {
		const given = Buffer.from(candidate, 'hex');
		return given.length === expected.length && timingSafeEqual(given, expected);
	});
	if (!matches) {
		return { ok: false, reason: 'mismatch' };
	}
	if (Math.abs(now / 1000 - t) > toleranceSeconds) {
		return { ok: false, reason: 'expired' };
	}
	return { ok: true, timestamp: t };
}

/** A new secret: 32 random bytes, prefixed so people recognise it in their config. */
export function generateWebhookSecret(): string {
	return `whsec_${randomBytes(32).toString('base64url')}`;
}
