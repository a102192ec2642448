import { describe, expect, it } from 'vitest';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { anonymous, type Actor, type UserActor } from '../policy';
import { authorize, requireUser, safeNext } from './guards';

const member: UserActor = {
	kind: 'user',
	id: 7,
	handle: 'ada',
	displayName: 'Ada',
	email: 'ada@example.com',
	role: 'member'
};

function event(actor: Actor, href = 'https://feedback.example.com/ideas/new?product=app&x=1') {
	return { locals: { actor } as App.Locals, url: new URL(href) };
}

/** What the guard threw, so a test can say which kind of stop it was. */
function thrownBy(run: () => unknown): unknown {
	try {
		run();
	} catch (thrown) {
		return thrown;
	}
	throw new Error('expected the guard to stop the request');
}

describe('safeNext', () => {
	it.each(['/ideas?x=1', '/', '/ideas/42#comments', '/search?q=%2F%2Fevil.com'])(
		'follows %s',
		(path) => {
			expect(safeNext(path)).toBe(path);
		}
	);

	it.each([
		['a protocol-relative URL', '//evil.com'],
		['a backslash that browsers read as a slash', '/\\evil.com'],
		['an absolute URL', 'https://evil.com'],
		['a javascript: URL', 'javascript:alert(1)'],
		['a relative path', 'ideas'],
		['an empty value', '']
	])('refuses %s', (_what, value) => {
		expect(safeNext(value)).toBe('/');
	});

	it.each([
		['a tab', '/\t/evil.com'],
		['a newline', '/\n/evil.com'],
		['a carriage return', '/\r/evil.com']
	])(
		'refuses a path that %s turns into //evil.com (browsers drop it from URLs)',
		(_what, value) => {
			// new URL() is how a browser resolves a Location header.
			expect(new URL(value, 'https://feedback.example.com').host).toBe('evil.com');
			expect(new URL(safeNext(value), 'https://feedback.example.com').host).toBe(
				'feedback.example.com'
			);
		}
	);

	it('falls back to the given page when there is no next', () => {
		expect(safeNext(null, '/account')).toBe('/account');
		expect(safeNext(undefined, '/account')).toBe('/account');
		expect(safeNext('//evil.com', '/account')).toBe('/account');
	});
});

describe('requireUser', () => {
	it('sends an anonymous visitor to sign in, coming back to the same page afterwards', () => {
		const thrown = thrownBy(() => requireUser(event(anonymous)));
		expect(isRedirect(thrown)).toBe(true);
		if (isRedirect(thrown)) {
			expect(thrown.status).toBe(303);
			expect(thrown.location).toBe(
				`/login?next=${encodeURIComponent('/ideas/new?product=app&x=1')}`
			);
			const next = new URL(thrown.location, 'https://feedback.example.com').searchParams.get(
				'next'
			);
			expect(safeNext(next)).toBe('/ideas/new?product=app&x=1');
		}
	});

	it('gives a signed-in user back', () => {
		expect(requireUser(event(member))).toBe(member);
	});
});

describe('authorize', () => {
	it('lets an allowed request through', () => {
		expect(() => authorize(event(member), true)).not.toThrow();
		expect(() => authorize(event(anonymous), true)).not.toThrow();
	});

	it('sends an anonymous visitor without permission to sign in', () => {
		const thrown = thrownBy(() =>
			authorize(event(anonymous, 'https://feedback.example.com/admin/users'), false)
		);
		expect(isRedirect(thrown)).toBe(true);
		if (isRedirect(thrown)) {
			expect(thrown.status).toBe(303);
			expect(thrown.location).toBe('/login?next=%2Fadmin%2Fusers');
		}
	});

	it('answers 403 to a signed-in user without permission, without sending them to sign in again', () => {
		const thrown = thrownBy(() =>
			authorize(event(member, 'https://feedback.example.com/admin/users'), false)
		);
		expect(isRedirect(thrown)).toBe(false);
		expect(isHttpError(thrown, 403)).toBe(true);
		if (isHttpError(thrown)) {
			expect(thrown.body.message).toBe('You do not have permission to do that.');
		}
	});
});
