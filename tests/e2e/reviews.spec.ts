// Reviews end to end (JavaScript on and off): a customer reviews a product and re-reviews it,
// another member marks it helpful, staff reply officially and link it to an idea, and the
// product page's aggregates, filter, JSON-LD and the products ranking are right. Crafted
// requests (a second review, a rating of 9, a short body, helpful on one's own review, a reply by
// a member) are refused with a message and store nothing.
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	ADMIN,
	ORIGIN,
	createProductAsAdmin,
	expectAccessible,
	newPerson,
	postIdea,
	signInAsAdmin,
	signUp,
	visit
} from './fixtures';

const slugOf = (name: string) =>
	name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

/** A second person in a context of their own (the project's options, JavaScript on or off). */
async function personPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext();
	return context.newPage();
}

async function crafted(page: Page, path: string, form: Record<string, string>) {
	return page.request.post(path, {
		headers: { origin: ORIGIN, accept: 'text/html' },
		form
	});
}

async function jsonLd(page: Page) {
	const text = await page.locator('script[type="application/ld+json"]').textContent();
	return JSON.parse(text ?? '{}') as {
		name: string;
		aggregateRating?: { ratingValue: number; reviewCount: number };
	};
}

test('review, re-review, helpful, official reply, tracked in, aggregates', async ({
	page,
	browser
}) => {
	// Three people sign in (argon2) and axe checks a dozen pages.
	test.setTimeout(360_000);
	const product = await createProductAsAdmin(browser, 'Reviewed');
	const productPath = `/products/${slugOf(product)}`;
	const carol = newPerson('carol');
	const dan = newPerson('dan');
	const ideaTitle = `Faster CSV exports ${Date.now().toString(36)}`;
	const title = `Great charts, slow exports ${Date.now().toString(36)}`;
	let reviewPath = '';
	const carolsReview = (p: Page) => p.getByRole('article', { name: title });

	await test.step('Carol reviews the product', async () => {
		await signUp(page, carol);
		await postIdea(page, {
			title: ideaTitle,
			body: 'Exporting a year of data takes minutes.',
			product
		});
		await visit(page, productPath);
		await expect(page.getByText('No reviews yet.')).toBeVisible();
		await page.getByLabel('2 stars: poor').check();
		await page.getByLabel('Title').fill(title);
		await page
			.getByLabel('Review', { exact: true })
			.fill('The charts are lovely but exporting a year of data takes minutes.');
		await page.getByRole('button', { name: 'Publish my review' }).click();
		await expect(page.getByText('Thank you: your review is published.')).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Your review' })).toBeVisible();
		await expect(carolsReview(page).first()).toContainText('Rated 2 out of 5');
		await expect(page.locator('.summary .value')).toHaveText('2.0');
		await expect(page.getByText('1 review', { exact: true })).toBeVisible();
		await expectAccessible(page);
		reviewPath = (await carolsReview(page)
			.first()
			.getByRole('link', { name: title })
			.getAttribute('href'))!;
		expect(reviewPath).toMatch(/^\/reviews\/\d+$/);
	});

	await test.step('crafted requests are refused and store nothing', async () => {
		const second = await crafted(page, `${productPath}?/review`, {
			rating: '5',
			title: 'A second review',
			body: 'Trying to review the same product twice.'
		});
		expect(second.status()).toBe(409);
		expect(await second.text()).toContain('You have already reviewed this product');
		const nine = await crafted(page, `${productPath}?/review`, {
			rating: '9',
			title: 'Off the scale',
			body: 'Nine stars out of five, obviously.'
		});
		expect(nine.status()).toBe(400);
		expect(await nine.text()).toContain('Choose a rating from 1 to 5 stars.');
		const short = await crafted(page, `${productPath}?/review`, {
			rating: '3',
			title: 'Short',
			body: 'Too short.'
		});
		expect(short.status()).toBe(400);
		expect(await short.text()).toContain('Write at least 20 characters about your experience.');
		const own = await crafted(page, `${reviewPath}?/helpful`, { helpful: '1' });
		expect(own.status()).toBe(400);
		expect(await own.text()).toContain('You cannot mark your own review helpful');
		await page.goto(productPath);
		await expect(page.getByText('1 review', { exact: true })).toBeVisible();
		await expect(page.locator('.summary .value')).toHaveText('2.0');
		await expect(carolsReview(page).first()).toContainText('0 people found this helpful');
	});

	await test.step('Carol re-reviews: the review is edited, not doubled', async () => {
		await page.locator('summary', { hasText: 'Edit your review' }).click();
		await page.getByLabel('4 stars: good').check();
		await page
			.getByLabel('Review', { exact: true })
			.fill('The charts are lovely, and exports got much faster in the last release.');
		await page.getByRole('button', { name: 'Update my review' }).click();
		await expect(
			page.getByText('Your review is updated. The earlier version is kept.')
		).toBeVisible();
		await expect(carolsReview(page).first()).toContainText('Rated 4 out of 5');
		await expect(page.locator('.summary .value')).toHaveText('4.0');
		await expect(page.getByText('1 review', { exact: true })).toBeVisible();
	});

	const danPage = await personPage(browser);
	await test.step('Dan marks it helpful, and cannot reply officially', async () => {
		await signUp(danPage, dan);
		await visit(danPage, productPath);
		const review = carolsReview(danPage);
		await review.getByRole('button', { name: `Helpful: ${title}` }).click();
		await expect(review).toContainText('1 person found this helpful');
		await expect(review.getByRole('button', { name: `Helpful: ${title}` })).toHaveAttribute(
			'aria-pressed',
			'true'
		);
		const reply = await crafted(danPage, `${reviewPath}?/reply`, { body: 'I am not staff.' });
		expect(reply.status()).toBe(403);
		expect(await reply.text()).toContain('Only staff can reply officially to a review.');

		// Dan reviews too: five stars.
		await danPage.getByLabel('5 stars: excellent').check();
		await danPage.getByLabel('Title').fill('Does what it says');
		await danPage
			.getByLabel('Review', { exact: true })
			.fill('We moved our whole reporting onto it in a week.');
		await danPage.getByRole('button', { name: 'Publish my review' }).click();
		await expect(danPage.getByText('Thank you: your review is published.')).toBeVisible();
	});

	const adminPage = await personPage(browser);
	await test.step('staff see the earlier version, reply, and link the review to the idea', async () => {
		await signInAsAdmin(adminPage);
		await visit(adminPage, reviewPath);
		await expect(adminPage.getByRole('heading', { name: 'Earlier versions (1)' })).toBeVisible();
		await expect(adminPage.locator('.versions')).toContainText('Rated 2 out of 5');
		await adminPage
			.getByLabel('Official reply')
			.fill('Thanks Carol! Exports are **twice** as fast now.');
		await adminPage.getByRole('button', { name: 'Publish the reply' }).click();
		const reply = adminPage.getByRole('region', { name: 'Official reply', exact: true });
		await expect(reply).toContainText('Exports are twice as fast now.');
		await expect(reply).toContainText(`from ${ADMIN.displayName}`);
		await adminPage
			.getByLabel('Idea', { exact: true })
			.selectOption({ label: `${ideaTitle} (Open)` });
		await adminPage.getByRole('button', { name: 'Save the link' }).click();
		await expect(adminPage.getByText(`Tracked in ${ideaTitle}`)).toBeVisible();
		await expectAccessible(adminPage);
	});

	await test.step('Carol is notified and sees the reply and the link', async () => {
		await visit(page, '/notifications');
		const note = page.getByRole('link', {
			name: `${ADMIN.displayName} replied officially to your review “${title}”`
		});
		await note.click();
		await expect(page).toHaveURL(new RegExp(`${reviewPath}#comment-\\d+$`));
		await expect(page.getByRole('region', { name: 'Official reply', exact: true })).toContainText(
			'Exports are twice as fast now.'
		);
		await expect(page.getByRole('link', { name: ideaTitle })).toBeVisible();
		// Members do not see earlier versions.
		await expect(page.getByRole('heading', { name: /Earlier versions/ })).toHaveCount(0);
		await expectAccessible(page);
	});

	await test.step('the product page aggregates, filter, JSON-LD and ranking are right', async () => {
		await visit(page, productPath);
		await expect(page.locator('.summary .value')).toHaveText('4.5');
		await expect(page.getByText('2 reviews', { exact: true })).toBeVisible();
		const table = page.getByRole('table', { name: `How reviewers rated ${product}` });
		await expect(table.getByRole('row', { name: /^5 stars/ })).toContainText('1 (50%)');
		await expect(table.getByRole('row', { name: /^4 stars/ })).toContainText('1 (50%)');
		await expect(table.getByRole('row', { name: /^2 stars/ })).toContainText('0 (0%)');
		const list = page.getByRole('list', { name: `Reviews of ${product}` });
		await expect(list.getByRole('article')).toHaveCount(2);
		await expect(carolsReview(page).last()).toContainText(`Tracked in ${ideaTitle}`);
		await expect(carolsReview(page).last()).toContainText('Official reply');
		const data = await jsonLd(page);
		expect(data.name).toBe(product);
		expect(data.aggregateRating).toMatchObject({ ratingValue: 4.5, reviewCount: 2 });

		// Only the five-star reviews, through the plain GET form.
		await page.getByLabel('Show', { exact: true }).selectOption({ label: '5 stars' });
		await page.getByRole('button', { name: 'Show reviews' }).click();
		await expect(page).toHaveURL(/stars=5/);
		await expect(list.getByRole('article')).toHaveCount(1);
		await expect(list.getByRole('article')).toContainText('Does what it says');
		await expectAccessible(page);

		await visit(page, '/products');
		const entry = page.getByRole('listitem').filter({ hasText: product });
		await expect(entry).toContainText('4.5 out of 5 from 2 reviews');
	});

	await danPage.context().close();
	await adminPage.context().close();
});
