// Browsing ideas: the list, its filters, sort tabs and search, a product's page, and the similar
// ideas API. Ordering, filtering and pagination in depth are in tests/integration/idea-queries.
import { expect, test, type Page } from '@playwright/test';
import {
	createProductAsAdmin,
	expectAccessible,
	newPerson,
	postIdea,
	signUp,
	visit
} from './fixtures';

/** Letters only, so the search parser sees one plain word. */
function token(): string {
	return Array.from({ length: 8 }, () =>
		String.fromCharCode(97 + Math.floor(Math.random() * 26))
	).join('');
}

function ideaTitles(page: Page) {
	return page.locator('article').getByRole('heading');
}

test('the ideas page: header link, sort tabs, filter form and search box', async ({ page }) => {
	await visit(page, '/ideas');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ideas');
	await expect(
		page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ideas' })
	).toHaveAttribute('aria-current', 'page');
	await expect(page.getByRole('link', { name: 'Post an idea' })).toHaveAttribute(
		'href',
		'/ideas/new'
	);
	const tabs = page.getByRole('navigation', { name: 'Sort ideas' });
	await expect(tabs.getByRole('link', { name: 'Trending' })).toHaveAttribute(
		'aria-current',
		'page'
	);

	await tabs.getByRole('link', { name: 'Newest' }).click();
	await expect(page).toHaveURL(/\/ideas\?sort=newest$/);
	await expect(tabs.getByRole('link', { name: 'Newest' })).toHaveAttribute('aria-current', 'page');
	await expect(tabs.getByRole('link', { name: 'Trending' })).not.toHaveAttribute(
		'aria-current',
		/.*/
	);

	// The form keeps the sort, and the chosen filter stays chosen on the page it leads to.
	await page.getByLabel('Status').selectOption({ label: 'Planned' });
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(page).toHaveURL(/\/ideas\?status=planned&sort=newest$/);
	await expect(page.getByLabel('Status')).toHaveValue('planned');
	await expect(tabs.getByRole('link', { name: 'Newest' })).toHaveAttribute('aria-current', 'page');
	await expectAccessible(page);

	// A search nobody's idea matches says so, and keeps the filters.
	const nothing = `${token()} ${token()}`;
	await page.getByLabel('Search ideas').fill(nothing);
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(page).toHaveURL(/[?&]q=/);
	await expect(page.getByText(`No ideas match “${nothing}” with these filters.`)).toBeVisible();
	await expect(page).toHaveTitle(/^Search: /);
	await expect(page.getByLabel('Search ideas')).toHaveValue(nothing);
	await expectAccessible(page);

	await page.getByRole('link', { name: 'Clear', exact: true }).click();
	await expect(page).toHaveURL(/\/ideas\?sort=newest$/);
	await expect(page.getByLabel('Status')).toHaveValue('');
});

test('unknown filters, products and page links are refused', async ({ page }) => {
	for (const path of [
		'/ideas?product=no-such-product',
		'/ideas?status=no-such-status',
		'/ideas?tag=no-such-tag',
		'/products/no-such-product'
	]) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(404);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
	}
	await expectAccessible(page);

	const broken = await page.goto('/ideas?sort=top&after=not-a-cursor');
	expect(broken?.status()).toBe(400);
	await expect(page.getByText('This page link is not valid any more.')).toBeVisible();

	// An unknown sort is the default one.
	const odd = await page.goto('/ideas?sort=sideways');
	expect(odd?.status()).toBe(200);
	await expect(
		page.getByRole('navigation', { name: 'Sort ideas' }).getByRole('link', { name: 'Trending' })
	).toHaveAttribute('aria-current', 'page');
});

test('a visitor filters, sorts and searches a product’s ideas, and opens the product page', async ({
	page,
	browser
}) => {
	// An admin, an author and three ideas (argon2 and axe each take a while on a busy machine).
	test.slow();
	const product = await createProductAsAdmin(browser, 'Browse');
	const word = token();
	const titles = {
		calendar: `Calendar sync ${word}`,
		offline: `Offline drafts ${word}`,
		keyboard: `Keyboard shortcuts ${word}`
	};
	const authorContext = await browser.newContext();
	const author = await authorContext.newPage();
	await signUp(author, newPerson('browse'));
	await postIdea(author, {
		title: titles.calendar,
		body: 'Two-way sync with **Google Calendar**.',
		product
	});
	await postIdea(author, { title: titles.offline, body: 'Write ideas on the train.', product });
	await postIdea(author, {
		title: titles.keyboard,
		body: 'Press <kbd>j</kbd> and <script>alert(1)</script> to move between ideas.',
		product
	});
	await authorContext.close();

	// Filter by the product (a signed-out visitor).
	await visit(page, '/ideas');
	await page.getByLabel('Product').selectOption({ label: product });
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(page).toHaveURL(/\/ideas\?product=[a-z0-9-]+$/);
	await expect(ideaTitles(page)).toHaveCount(3);
	await expectAccessible(page);

	// Newest first: the last one posted leads.
	await page
		.getByRole('navigation', { name: 'Sort ideas' })
		.getByRole('link', { name: 'Newest' })
		.click();
	await expect(page).toHaveURL(/sort=newest/);
	await expect(ideaTitles(page)).toHaveText([titles.keyboard, titles.offline, titles.calendar]);

	// Search: the matched words are highlighted; the body's HTML is text.
	await page.getByLabel('Search ideas').fill(`shortcut ${word}`);
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(ideaTitles(page)).toHaveText([titles.keyboard]);
	await expect(page.locator('article h2 mark')).toHaveText(['shortcuts', word]);
	await expect(page.locator('article')).toContainText('move between ideas');
	await expect(page.locator('article script')).toHaveCount(0);
	await expectAccessible(page);

	// A phrase, and a word left out.
	await page.getByLabel('Search ideas').fill(`"calendar sync" ${word}`);
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(ideaTitles(page)).toHaveText([titles.calendar]);
	await page.getByLabel('Search ideas').fill(`${word} -calendar`);
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(ideaTitles(page)).toHaveCount(2);
	await expect(page.getByRole('link', { name: titles.calendar })).toHaveCount(0);

	// The product's page lists them too, and a title leads to the idea.
	await page.locator('article').first().getByRole('link', { name: product }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(product);
	await expect(ideaTitles(page)).toHaveCount(3);
	await expectAccessible(page);
	await page.getByRole('link', { name: titles.offline }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(titles.offline);
});

test('the similar ideas API answers JSON and explains bad input', async ({ request }) => {
	const none = await request.get('/api/v1/ideas/similar?title=abc');
	expect(none.status()).toBe(200);
	expect(await none.json()).toEqual({ data: [] });

	const missing = await request.get('/api/v1/ideas/similar');
	expect(missing.status()).toBe(400);
	const body = await missing.json();
	expect(body.error.code).toBe('invalid_request');
	expect(body.error.fields.title).toBeTruthy();

	const badProduct = await request.get('/api/v1/ideas/similar?title=Dark%20mode&product=one');
	expect(badProduct.status()).toBe(400);
	expect((await badProduct.json()).error.fields).toEqual({
		product: 'product must be a positive whole number.'
	});

	const ok = await request.get(`/api/v1/ideas/similar?title=${encodeURIComponent('Dark mode')}`);
	expect(ok.status()).toBe(200);
	expect(Array.isArray((await ok.json()).data)).toBe(true);
});
