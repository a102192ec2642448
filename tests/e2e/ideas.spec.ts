import { expect, test } from '@playwright/test';
import {
	createProductAsAdmin,
	expectAccessible,
	newPerson,
	ORIGIN,
	postIdea,
	signUp,
	visit
} from './fixtures';

test('a visitor who wants to post is asked to sign in and comes back to the form', async ({
	page
}) => {
	const person = newPerson('poster');
	await signUp(page, person);
	await page.locator('summary', { hasText: 'Account menu' }).click();
	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.goto('/ideas/new');
	await expect(page).toHaveURL(/\/login\?next=%2Fideas%2Fnew/);
	// Sign in on the page we were sent to: it carries where to go back to.
	await page.getByLabel('Email or handle').fill(person.handle);
	await page.getByLabel('Password').fill(person.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Post an idea');
});

test('a member posts an idea and sees it with their vote', async ({ page, browser }) => {
	const product = await createProductAsAdmin(browser, 'Posting');
	const person = newPerson('idea');
	await signUp(page, person);
	const title = `Export dashboards to PDF ${Date.now().toString(36)}`;
	await visit(page, '/ideas/new');
	await postIdea(page, { title, body: 'So that I can **attach** them to reports.', product });
	await expectAccessible(page);
	await expect(page.getByRole('article').getByText('Open', { exact: true })).toBeVisible();
	await expect(page.locator('.vote-panel')).toContainText('1');
	await expect(page.getByRole('button', { name: 'Vote', exact: true })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await expect(page.locator('.body strong')).toHaveText('attach');
	await expect(page).toHaveURL(/\/ideas\/\d+-export-dashboards-to-pdf/);
});

test('a similar idea is shown before a duplicate is posted', async ({ page, browser }) => {
	// Three people (an admin, an author, a newcomer) each sign in: give it room on a busy machine.
	test.slow();
	const product = await createProductAsAdmin(browser, 'Duplicates');
	const first = newPerson('orig');
	const firstContext = await browser.newContext();
	const firstPage = await firstContext.newPage();
	await signUp(firstPage, first);
	const original = `Offline mode for field technicians ${Date.now().toString(36)}`;
	await postIdea(firstPage, { title: original, body: 'No signal in basements.', product });
	const related = `${original} on tablets`;
	await postIdea(firstPage, { title: related, body: 'Same, on our rugged tablets.', product });
	await firstContext.close();

	await signUp(page, newPerson('dupe'));
	await page.goto('/ideas/new');
	await page.getByLabel('Title').fill('Offline mode for technicians');
	await page.getByLabel('Description').fill('We lose work without signal.');
	await page.getByLabel('Product').selectOption({ label: product });
	const similar = page.getByRole('link', { name: original, exact: true });
	if (test.info().project.use.javaScriptEnabled !== false) {
		// While typing, the similar idea appears under the title.
		await page.getByLabel('Title').pressSequentially(' ');
		await expect(similar).toBeVisible();
		await expectAccessible(page);
	} else {
		await page.getByRole('button', { name: 'Post the idea' }).click();
		await expect(page.getByText('These ideas look similar to yours.')).toBeVisible();
		await expect(similar).toBeVisible();
		await expect(page.getByLabel('Title')).toHaveValue('Offline mode for technicians');
		await expectAccessible(page);
	}
	await similar.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(original);
	// The idea page lists similar ideas too, not itself.
	const similarOnPage = page.getByRole('region', { name: 'Similar ideas' });
	await expect(similarOnPage.getByRole('link', { name: related })).toBeVisible();
	await expect(similarOnPage.getByRole('link', { name: original, exact: true })).toHaveCount(0);
	await expectAccessible(page);
});

test('bad input gets a clear message and nothing is posted', async ({ page }) => {
	await signUp(page, newPerson('badidea'));
	const response = await page.request.post('/ideas/new', {
		headers: { origin: ORIGIN, accept: 'text/html' },
		form: { title: 'Hi', body: '', product: '999999' }
	});
	expect(response.status()).toBe(400);
	const html = await response.text();
	expect(html).toContain('Use at least 4 characters for the title.');
	expect(html).toContain('Describe the idea: what do you need, and why?');
});

test('the author edits and then deletes their idea', async ({ page, browser }) => {
	const product = await createProductAsAdmin(browser, 'Editing');
	await signUp(page, newPerson('editor'));
	const title = `Keyboard shortcuts ${Date.now().toString(36)}`;
	await postIdea(page, { title, body: 'For power users.', product });
	const ideaUrl = page.url();

	await page.getByRole('link', { name: 'Edit idea' }).click();
	await expectAccessible(page);
	await page.getByLabel('Title').fill(`${title} everywhere`);
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${title} everywhere`);
	await expect(page.getByText('edited')).toBeVisible();

	await page.getByText('Delete…').click();
	await page.getByRole('button', { name: 'Delete the idea' }).click();
	await expect(page).toHaveURL(/\/ideas\?deleted=1/);
	const gone = await page.goto(ideaUrl);
	expect(gone?.status()).toBe(410);
});
