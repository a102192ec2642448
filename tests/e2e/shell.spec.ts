import { expect, test } from '@playwright/test';
import { expectAccessible, ORIGIN, visit } from './fixtures';

test('every page has the shell: skip link, header, main landmark', async ({ page }) => {
	await visit(page, '/');
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Skip to content' });
	await expect(skip).toBeFocused();
	await expect(page.getByRole('banner')).toContainText('Roundtable');
	await expect(page.getByRole('main')).toBeVisible();
	for (const path of ['/login', '/signup', '/forgot-password', '/reset-password/not-a-token']) {
		await visit(page, path);
	}
});

test('pages stay accessible in dark mode and on a phone', async ({ page }) => {
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.setViewportSize({ width: 375, height: 740 });
	await visit(page, '/', { colorScheme: 'dark' });
	await visit(page, '/signup', { colorScheme: 'dark' });
});

test('an unknown address shows a 404 page', async ({ page }) => {
	const response = await page.goto('/no/such/page');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
	await expectAccessible(page);
});

test('responses carry the security headers', async ({ request }) => {
	const response = await request.get('/');
	const headers = response.headers();
	expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
	expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('a form body over the size limit gets 413 and a malformed form gets 400', async ({
	request
}) => {
	const huge = await request.post('/login', {
		headers: { origin: ORIGIN },
		form: { identifier: 'x'.repeat(600_000), password: 'y' }
	});
	expect(huge.status()).toBe(413);

	const empty = await request.post('/signup', {
		headers: { origin: ORIGIN, accept: 'text/html' },
		form: { email: 'not-an-email' }
	});
	expect(empty.status()).toBe(400);
	const html = await empty.text();
	expect(html).toContain('Enter an email address like name@example.com.');
	expect(html).toContain('Choose a handle.');
	expect(html).toContain('Choose a password.');
});

test('sign-in failures over the limit answer 429 with Retry-After', async ({ request }) => {
	const identifier = `nobody_${Date.now()}`;
	const attempt = () =>
		request.post('/login', {
			headers: { origin: ORIGIN, accept: 'text/html' },
			form: { identifier, password: 'wrong password here' }
		});
	for (let i = 0; i < 4; i++) {
		expect((await attempt()).status()).toBe(400);
	}
	const fifth = await attempt();
	expect(fifth.status()).toBe(429);
	expect(Number(fifth.headers()['retry-after'])).toBeGreaterThan(0);
	expect(await fifth.text()).toContain('Too many failed sign-in attempts.');
});
