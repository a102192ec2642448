// Server-side request forgery guard: a webhook may only reach the public internet. An address is
// refused when it is private, loopback, link-local, unique-local, multicast or otherwise not
// globally routable, for IPv4 and IPv6 alike, including IPv4 inside IPv6 (mapped, NAT64, 6to4).
// The check runs on the literal host and again on every address DNS resolves to, at connect time.
import { m } from '$lib/paraglide/messages';
import net from 'node:net';

/** IPv4 ranges that are not the public internet (RFC 6890 and friends). */
const IPV4_BLOCKED: [string, number][] = [
	['0.0.0.0', 8], // "this network"
	['10.0.0.0', 8], // private
	['100.64.0.0', 10], // carrier-grade NAT
	['127.0.0.0', 8], // loopback
	['169.254.0.0', 16], // link-local (cloud metadata lives here)
	['172.16.0.0', 12], // private
	['192.0.0.0', 24], // IETF protocol assignments
	['192.0.2.0', 24], // documentation
	['192.88.99.0', 24], // 6to4 relay anycast
	['192.168.0.0', 16], // private
	['198.18.0.0', 15], // benchmarking
	['198.51.100.0', 24], // documentation
	['203.0.113.0', 24], // documentation
	['224.0.0.0', 4], // multicast
	['240.0.0.0', 4] // reserved, and 255.255.255.255 broadcast
];

function ipv4ToNumber(address: string): number {
	return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function inIpv4Range(address: string, [base, bits]: [string, number]): boolean {
	const size = 2 ** (32 - bits);
	return Math.floor(ipv4ToNumber(address) / size) === Math.floor(ipv4ToNumber(base) / size);
}

/** The eight 16-bit groups of an IPv6 address (accepts `::` and a dotted IPv4 tail). */
export function ipv6Groups(address: string): number[] {
	let text = address.toLowerCase().split('%')[0] ?? '';
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
	if (dotted) {
		const n = ipv4ToNumber(dotted);
		text = `${text.slice(0, -dotted.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
	}
	const [head, tail] = text.split('::');
	const parse = (part: string | undefined) =>
		part ? part.split(':').map((group) => parseInt(group, 16)) : [];
	const front = parse(head);
	const back = parse(tail);
	const zeros = tail === undefined ? [] : new Array(8 - front.length - back.length).fill(0);
	return [...front, ...zeros, ...back];
}

function groupsToIpv4(high: number, low: number): string {
	return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
function embeddedIpv4(list: number[]): string | null {
	const groups = list as [number, number, number, number, number, number, number, number];
	const zeroPrefix = (n: number) => groups.slice(0, n).every((g) => g === 0);
	// ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated)
	if (zeroPrefix(5) && groups[5] === 0xffff) {
		return groupsToIpv4(groups[6], groups[7]);
	}
	if (zeroPrefix(4) && groups[4] === 0xffff && groups[5] === 0) {
		return groupsToIpv4(groups[6], groups[7]);
	}
	// ::a.b.c.d (deprecated compatible form), but not :: and ::1 themselves
	if (zeroPrefix(6) && (groups[6] !== 0 || groups[7] > 1)) {
		return groupsToIpv4(groups[6], groups[7]);
	}
	// 64:ff9b::a.b.c.d (NAT64)
	if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) {
		return groupsToIpv4(groups[6], groups[7]);
	}
	// 2002:AABB:CCDD::/48 (6to4)
	if (groups[0] === 0x2002) {
		return groupsToIpv4(groups[1], groups[2]);
	}
	return null;
}

function isBlockedIpv6(address: string): boolean {
	const groups = ipv6Groups(address);
	if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) {
		return true;
	}
	const embedded = embeddedIpv4(groups);
	if (embedded !== null) {
		return isBlockedIpv4(embedded);
	}
	const first = groups[0] ?? 0;
	return (
		groups.every((g) => g === 0) || // unspecified ::
		(groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) || // loopback ::1
		(first & 0xfe00) === 0xfc00 || // unique local fc00::/7
		(first & 0xffc0) === 0xfe80 || // link-local fe80::/10
		(first & 0xffc0) === 0xfec0 || // site-local fec0::/10 (deprecated)
		(first & 0xff00) === 0xff00 || // multicast ff00::/8
		(first === 0x2001 && groups[1] === 0x0db8) || // documentation
		(first === 0x0100 && groups.slice(1, 4).every((g) => g === 0)) // discard 100::/64
	);
}

function isBlockedIpv4(address: string): boolean {
	return IPV4_BLOCKED.some((range) => inIpv4Range(address, range));
}

/** Whether `address` (an IP literal) is anything but a public internet address. */
export function isNonPublicAddress(address: string): boolean {
	const family = net.isIP(address.split('%')[0] ?? '');
	if (family === 4) {
		return isBlockedIpv4(address);
	}
	if (family === 6) {
		return isBlockedIpv6(address);
	}
	return true;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * What can be said about a URL before resolving it: http(s), no credentials, and a host that is
 * not a private literal (the resolved addresses are checked again when connecting).
 */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): UrlCheck {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return { ok: false, reason: m.admin_webhook_url_not_url() };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return { ok: false, reason: m.admin_webhook_url_scheme() };
	}
	if (url.username || url.password) {
		return { ok: false, reason: m.admin_webhook_url_credentials() };
	}
	if (allowPrivate) {
		return { ok: true, url };
	}
	const host = url.hostname.replace(/^\[|\]$/g, '');
	if (net.isIP(host) !== 0 && isNonPublicAddress(host)) {
		return { ok: false, reason: m.admin_webhook_url_private() };
	}
	if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal')) {
		return { ok: false, reason: m.admin_webhook_url_private() };
	}
	return { ok: true, url };
}
