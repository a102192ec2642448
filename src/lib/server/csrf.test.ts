import { describe, expect, it } from 'vitest';
import { isForbiddenCrossSiteForm } from './csrf';

const site = 'https://feedback.example.com';

function post(path: string, headers: Record<string, string>, method = 'POST') {
	const url = new URL(path, site);
	return isForbiddenCrossSiteForm(new Request(url, { method, headers, body: 'x=1' }), url);
}

describe('isForbiddenCrossSiteForm', () => {
	const form = { 'content-type': 'application/x-www-form-urlencoded' };

	it('lets same-origin form posts through', () => {
		expect(post('/ideas/new', { ...form, origin: site })).toBe(false);
	});

	it('refuses form posts from another origin or with no origin, whatever the form type', () => {
		expect(post('/ideas/new', { ...form, origin: 'https://evil.example' })).toBe(true);
		expect(post('/ideas/new', form)).toBe(true);
		expect(post('/settings', { 'content-type': 'multipart/form-data; boundary=x' })).toBe(true);
		expect(post('/settings', { 'content-type': 'TEXT/PLAIN' })).toBe(true);
		expect(post('/settings', form, 'DELETE')).toBe(true);
	});

	it('does not concern JSON or reads', () => {
		expect(post('/api/v1/ideas', { 'content-type': 'application/json' })).toBe(false);
		const url = new URL('/ideas', site);
		expect(isForbiddenCrossSiteForm(new Request(url), url)).toBe(false);
	});

	it('leaves the API to its own check: it never writes with the session cookie', () => {
		expect(post('/api/v1/ideas', form)).toBe(false);
		expect(post('/api/v1/ideas/4/vote', { ...form, origin: 'https://evil.example' }, 'PUT')).toBe(
			false
		);
		expect(post('/api/v2/ideas', form)).toBe(true);
		expect(post('/api/v1x', form)).toBe(true);
	});

	it('lets a one-click unsubscribe through from a mail provider (no origin), only there', () => {
		expect(post('/unsubscribe/12.reply.abc', form)).toBe(false);
		expect(post('/unsubscribe/12.reply.abc/', { 'content-type': 'multipart/form-data' })).toBe(
			false
		);
		expect(post('/unsubscribe', form)).toBe(true);
		expect(post('/unsubscribe/12.reply.abc/more', form)).toBe(true);
		expect(post('/settings/notifications', form)).toBe(true);
	});
});
