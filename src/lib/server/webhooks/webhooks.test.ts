import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, ipv6Groups, isNonPublicAddress } from './address';
import { MAX_ATTEMPTS, retryDelaySeconds } from './backoff';
import { generateWebhookSecret, signatureHeader, verifySignature } from './signature';
import { guardedLookup } from './send';

describe('signatures', () => {
	const secret = 'whsec_test_secret_of_enough_length';
	const body = '{"id":"e1","type":"ping"}';

	it('is HMAC-SHA256 of "timestamp.body" in hex, as t=…,v1=…', () => {
		const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
		expect(signatureHeader(secret, 1700000000, body)).toBe(`t=1700000000,v1=${expected}`);
	});

	it('verifies a fresh signature and refuses a changed body, another secret or an old one', () => {
		const now = 1700000000_000;
		const header = signatureHeader(secret, 1700000000, body);
		expect(verifySignature(secret, header, body, now)).toEqual({ ok: true, timestamp: 1700000000 });
		expect(verifySignature(secret, header, body + ' ', now)).toEqual({
			ok: false,
			reason: 'mismatch'
		});
		expect(verifySignature('another_secret_entirely', header, body, now).ok).toBe(false);
		expect(verifySignature(secret, header, body, now + 301_000)).toEqual({
			ok: false,
			reason: 'expired'
		});
		expect(verifySignature(secret, 'v1=abc', body, now)).toEqual({
			ok: false,
			reason: 'malformed'
		});
	});

	it('generates distinct secrets of 32 random bytes', () => {
		const a = generateWebhookSecret();
		expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
		expect(generateWebhookSecret()).not.toBe(a);
	});
});

describe('address classification', () => {
	it.each([
		'127.0.0.1',
		'127.8.9.10',
		'10.1.2.3',
		'172.16.0.1',
		'172.31.255.255',
		'192.168.1.1',
		'169.254.169.254',
		'100.64.0.1',
		'0.0.0.0',
		'224.0.0.1',
		'255.255.255.255',
		'::1',
		'::',
		'fc00::1',
		'fd12:3456::1',
		'fe80::1%eth0',
		'ff02::1',
		'::ffff:127.0.0.1',
		'::ffff:7f00:1',
		'::ffff:10.0.0.1',
		'::ffff:169.254.169.254',
		'64:ff9b::a9fe:a9fe',
		'2002:c0a8:0101::1',
		'not an address'
	])('refuses %s', (address) => {
		expect(isNonPublicAddress(address)).toBe(true);
	});

	it.each(['8.8.8.8', '172.32.0.1', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8'])(
		'allows the public address %s',
		(address) => {
			expect(isNonPublicAddress(address)).toBe(false);
		}
	);

	it('expands IPv6 with :: and a dotted tail', () => {
		expect(ipv6Groups('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
		expect(ipv6Groups('fe80::1')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
	});

	it('checks URLs: scheme, credentials, private literals, unless private networks are allowed', () => {
		expect(checkWebhookUrl('https://hooks.example.com/x', false).ok).toBe(true);
		expect(checkWebhookUrl('ftp://hooks.example.com/x', false).ok).toBe(false);
		expect(checkWebhookUrl('https://u:p@hooks.example.com/x', false).ok).toBe(false);
		expect(checkWebhookUrl('http://127.0.0.1:8080/x', false).ok).toBe(false);
		expect(checkWebhookUrl('http://[::ffff:127.0.0.1]/x', false).ok).toBe(false);
		expect(checkWebhookUrl('http://localhost/x', false).ok).toBe(false);
		expect(checkWebhookUrl('http://127.0.0.1:8080/x', true).ok).toBe(true);
		expect(checkWebhookUrl('not a url', true).ok).toBe(false);
	});
});

describe('backoff schedule', () => {
	it('waits 1 min, 5 min, 30 min, 2 h, 8 h, 24 h, then gives up after attempt 7', () => {
		const delays = Array.from({ length: MAX_ATTEMPTS }, (_, i) => retryDelaySeconds(i + 1));
		expect(delays).toEqual([60, 300, 1800, 7200, 28800, 86400, null]);
		expect(retryDelaySeconds(0)).toBeNull();
		expect(MAX_ATTEMPTS).toBe(7);
	});
});

describe('the DNS guard', () => {
	function lookupWith(addresses: string[]) {
		const fake = (
			_host: string,
			_options: unknown,
			callback: (e: null, a: { address: string; family: number }[]) => void
		) =>
			callback(
				null,
				addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
			);
		return (host: string, all: boolean) =>
			new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
				guardedLookup(fake as never)(host, { all }, (error, address) => resolve({ error, address }))
			);
	}

	it('refuses a name when any address it resolves to is private', async () => {
		const result = await lookupWith(['93.184.216.34', '10.0.0.5'])('evil.example', true);
		expect(result.error?.code).toBe('EWEBHOOKPRIVATE');
		expect(result.error?.message).toContain('10.0.0.5');
		const mapped = await lookupWith(['::ffff:169.254.169.254'])('metadata.example', false);
		expect(mapped.error?.code).toBe('EWEBHOOKPRIVATE');
	});

	it('passes public answers through in the shape asked for', async () => {
		expect((await lookupWith(['93.184.216.34'])('ok.example', false)).address).toBe(
			'93.184.216.34'
		);
		expect((await lookupWith(['93.184.216.34'])('ok.example', true)).address).toEqual([
			{ address: '93.184.216.34', family: 4 }
		]);
	});
});
