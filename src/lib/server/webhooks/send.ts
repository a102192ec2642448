// One HTTP POST to a webhook's URL: a deadline, no redirects followed (a 3xx is a failure, so a
// public URL cannot bounce us to an internal one), and a DNS lookup that refuses non-public
// addresses unless the operator allowed them (WEBHOOKS_ALLOW_PRIVATE).
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { checkWebhookUrl, isNonPublicAddress } from './address';

export const DELIVERY_TIMEOUT_MS = 10_000;
/** How much of a response body the log keeps. */
export const RESPONSE_BODY_LIMIT = 2_000;

export interface SendResult {
	/** The response's status, or null when there was none (refused, unreachable, timed out). */
	statusCode: number | null;
	ok: boolean;
	durationMs: number;
	error: string | null;
	responseBody: string | null;
}

type LookupCallback = (
	error: NodeJS.ErrnoException | null,
	address: string | dns.LookupAddress[],
	family?: number
) => void;

type Resolver = (
	hostname: string,
	options: dns.LookupAllOptions,
	callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void
) => void;

/**
 * A `lookup` for http.request that resolves with `resolve` (dns.lookup) and refuses the answer
 * when any address in it is not public, so a name cannot point us at the internal network.
 */
export function guardedLookup(resolve: Resolver = dns.lookup as unknown as Resolver) {
	return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
		resolve(hostname, { ...options, all: true }, (error, addresses) => {
			if (error) {
				callback(error, []);
				return;
			}
			const blocked = addresses.find((entry) => isNonPublicAddress(entry.address));
			if (blocked) {
				const refusal: NodeJS.ErrnoException = new Error(
					`${hostname} resolves to ${blocked.address}, a private or local address`
				);
				refusal.code = 'EWEBHOOKPRIVATE';
				callback(refusal, []);
				return;
			}
			const first = addresses[0];
			if (options.all || !first) {
				callback(null, addresses);
			} else {
				callback(null, first.address, first.family);
			}
		});
	};
}

export async function sendWebhook(
	rawUrl: string,
	body: string,
	headers: Record<string, string>,
	options: { allowPrivate: boolean; timeoutMs?: number }
): Promise<SendResult> {
	const started = performance.now();
	const elapsed = () => Math.round(performance.now() - started);
	const checked = checkWebhookUrl(rawUrl, options.allowPrivate);
	if (!checked.ok) {
		return {
			statusCode: null,
			ok: false,
			durationMs: 0,
			error: checked.reason,
			responseBody: null
		};
	}
	const url = checked.url;
	const host = url.hostname.replace(/^\[|\]$/g, '');
	if (!options.allowPrivate && net.isIP(host) !== 0 && isNonPublicAddress(host)) {
		return {
			statusCode: null,
			ok: false,
			durationMs: 0,
			error: 'That address is on a private or local network.',
			responseBody: null
		};
	}
	const transport = url.protocol === 'https:' ? https : http;
	const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
	return new Promise<SendResult>((resolve) => {
		let settled = false;
		const finish = (result: Omit<SendResult, 'durationMs'>) => {
			if (!settled) {
				settled = true;
				clearTimeout(deadline);
				resolve({ ...result, durationMs: elapsed() });
			}
		};
		const request = transport.request(
			url,
			{
				method: 'POST',
				headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
				lookup: options.allowPrivate ? undefined : (guardedLookup() as never),
				agent: false
			},
			(response) => {
				const chunks: Buffer[] = [];
				let size = 0;
				response.on('data', (chunk: Buffer) => {
					// Keep only what the log shows; read (and drop) the rest so the socket closes.
					if (size < RESPONSE_BODY_LIMIT) {
						chunks.push(chunk);
					}
					size += chunk.length;
				});
				response.on('end', () => {
					const status = response.statusCode ?? 0;
					const text = Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_LIMIT);
					const ok = status >= 200 && status < 300;
					finish({
						statusCode: status,
						ok,
						error: ok
							? null
							: status >= 300 && status < 400
								? `Redirect to ${response.headers.location ?? '(none)'} not followed`
								: `HTTP ${status}`,
						responseBody: text
					});
				});
				response.on('error', (error) =>
					finish({
						statusCode: status(response),
						ok: false,
						error: error.message,
						responseBody: null
					})
				);
			}
		);
		const deadline = setTimeout(() => {
			request.destroy(new Error(`No answer within ${timeoutMs / 1000} s`));
		}, timeoutMs);
		request.on('error', (error) =>
			finish({ statusCode: null, ok: false, error: error.message, responseBody: null })
		);
		request.end(body);
	});
}

function status(response: http.IncomingMessage): number | null {
	return response.statusCode ?? null;
}
