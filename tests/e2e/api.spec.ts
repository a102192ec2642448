import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { createProductAsAdmin, expectAccessible, newPerson, ORIGIN, signUp } from './fixtures';

const run = promisify(execFile);

test('a member creates an API token, sees it once, uses it and revokes it', async ({ page }) => {
	const person = newPerson('tokens');
	await signUp(page, person);
	await page.goto('/settings');
	await page.getByRole('link', { name: 'API tokens' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('API tokens');
	await expectAccessible(page);
	await expectNoTokens(page);
	await page.getByLabel('Name').fill('Weekly report script');
	// read and write are ticked by default; a member is not offered the staff scope.
	await expect(page.getByLabel('write')).toBeChecked();
	await expect(page.getByLabel('staff')).toHaveCount(0);
	await page.getByLabel('Expires').selectOption({ label: 'In 30 days' });
	await page.getByRole('button', { name: 'Create token' }).click();

	const shown = page.getByLabel('Token', { exact: true });
	await expect(shown).toHaveValue(/^rt_[a-z2-7]{32}$/);
	const token = await shown.inputValue();
	await expectAccessible(page);
	await page.screenshot({ path: '/tmp/api-tokens.png', fullPage: true });

	// The token works as the member's credential; cookies alone never write through the API.
	const me = await page.request.get('/api/v1/me', {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(me.status()).toBe(200);
	expect((await me.json()).data).toMatchObject({
		handle: person.handle,
		scopes: ['read', 'write']
	});
	const cookieWrite = await page.request.post('/api/v1/ideas', {
		headers: { origin: ORIGIN, 'content-type': 'application/json' },
		data: { title: 'Written with a cookie', body: 'x', product: 1 }
	});
	expect(cookieWrite.status()).toBe(401);

	// Shown once: back on the page, only its first characters remain, with when it was used.
	await page.goto('/settings/tokens');
	await expect(page.getByLabel('Token', { exact: true })).toHaveCount(0);
	await expect(page.locator('body')).not.toContainText(token);
	const row = page.getByRole('listitem').filter({ hasText: 'Weekly report script' });
	await expect(row).toContainText(token.slice(0, 10));
	await expect(row).toContainText('Last used');
	await row.getByRole('button', { name: 'Revoke Weekly report script' }).click();
	await expect(page.getByText('The token was revoked: it no longer works.')).toBeVisible();
	await expectNoTokens(page);
	const revoked = await page.request.get('/api/v1/me', {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(revoked.status()).toBe(401);
	expect((await revoked.json()).error.code).toBe('invalid_token');
});

async function expectNoTokens(page: import('@playwright/test').Page) {
	await expect(page.getByText('You have no tokens.')).toBeVisible();
}

test('the API example script lists, posts and votes with a token from settings @js-only', async ({
	page,
	browser
}) => {
	const product = await createProductAsAdmin(browser, 'Scripted');
	const slug = product.toLowerCase().replace(/[^a-z0-9]+/g, '-');
	const author = newPerson('author');
	await signUp(page, author);
	await page.goto('/ideas/new');
	await page.getByLabel('Title').fill(`Offline dashboards ${Date.now()}`);
	await page.getByLabel('Description').fill('Read them on the train.');
	await page.getByLabel('Product').selectOption({ label: product });
	await page.getByRole('button', { name: 'Post the idea' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Offline dashboards');
	const target = page.url();

	const scripter = newPerson('scripter');
	await page.context().clearCookies();
	await signUp(page, scripter);
	await page.goto('/settings/tokens');
	await page.getByLabel('Name').fill('api-example');
	await page.getByRole('button', { name: 'Create token' }).click();
	const token = await page.getByLabel('Token', { exact: true }).inputValue();

	const title = `Posted by the API example ${Date.now().toString(36)}`;
	const { stdout } = await run(process.execPath, ['scripts/api-example.js', title], {
		env: { ...process.env, RT_URL: ORIGIN, RT_TOKEN: token, RT_PRODUCT: slug }
	});
	const steps = stdout
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line));
	expect(steps.map((s) => s.step)).toEqual(['me', 'list', 'create', 'vote']);
	expect(steps[3].vote_count).toBe(2);

	// What the script did shows on the site.
	await page.goto(steps[2].url);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await page.goto(target);
	// The script's vote is the scripter's own: the button shows it as pressed.
	await expect(page.getByRole('button', { name: 'Vote', pressed: true })).toBeVisible();
});
