import { expect, test } from '@playwright/test';
import { createProductAsAdmin, newPerson, postIdea, signUp, visit } from './fixtures';

test('a mention leads to the person’s public profile with their ideas', async ({
	page,
	browser
}) => {
	const product = await createProductAsAdmin(browser, 'People');
	const author = newPerson('profiled');
	await signUp(page, author);
	const title = `Profile idea ${Date.now().toString(36)}`;
	await postIdea(page, { title, body: `Ask @${author.handle} about this.`, product });

	// The mention in the body links to the profile, whatever the case of the handle.
	await page.getByRole('link', { name: `@${author.handle}` }).click();
	await expect(page).toHaveURL(new RegExp(`/people/${author.handle}$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(author.displayName);
	await expect(page.getByText(`@${author.handle}`, { exact: true })).toBeVisible();
	// Scoped to the list: the author's own "My activity" links the idea too.
	await expect(
		page
			.getByRole('list', { name: `Ideas by ${author.displayName}` })
			.getByRole('link', { name: title })
	).toBeVisible();
	await visit(page, `/people/${author.handle}`);
	expect(await page.content()).not.toContain(author.email);
});

test('an unknown handle is a 404 with a clear message', async ({ page }) => {
	const response = await page.goto('/people/nobody_here_at_all');
	expect(response?.status()).toBe(404);
	await expect(page.getByText('There is no one with this handle here.')).toBeVisible();
});
