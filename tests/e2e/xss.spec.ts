import { expect, test } from '@playwright/test';
import { xssPayloads } from '../helpers/xss-payloads';
import { createProductAsAdmin, postIdea, signInAsAdmin } from './fixtures';

test('hostile markdown in an idea renders as inert text: no dialog, no script', async ({
	page,
	browser
}) => {
	const dialogs: string[] = [];
	page.on('dialog', async (dialog) => {
		dialogs.push(dialog.message());
		await dialog.dismiss();
	});
	const product = await createProductAsAdmin(browser, 'Hostile');
	// Posted by a trusted account: a new member's post with this many links is held back by the
	// new-member link limit (tests/integration/moderation.test.ts covers that); the renderer is the same for everyone.
	await signInAsAdmin(page);
	const title = `Payloads ${Date.now().toString(36)}`;
	await postIdea(page, { title, body: xssPayloads.join('\n\n').slice(0, 19_000), product });

	// Give any injected handler (onerror, onload, autofocus…) its chance to fire.
	await page.mouse.move(200, 400);
	await page.waitForTimeout(500);
	expect(dialogs).toEqual([]);
	const body = page.locator('.body');
	expect(await body.locator('script, iframe, object, embed, style, img, svg').count()).toBe(0);
	for (const href of await body.locator('a').all()) {
		const url = new URL((await href.getAttribute('href')) ?? '', page.url());
		expect(['http:', 'https:', 'mailto:']).toContain(url.protocol);
	}
});
