// Testimonials end to end (the member's part with JavaScript on and off; staff in a context of
// their own with JavaScript on). A member who gave a product 5 stars is suggested to staff, who
// invite them with a message; the member opens the notification, writes a testimonial and consents
// to its publication; staff publish it; it is on /testimonials and in /testimonials.json (public
// fields only); the member withdraws consent from their settings and it is gone from both, and
// staff see it as withdrawn.
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	ADMIN,
	createProductAsAdmin,
	expectAccessible,
	newPerson,
	signInAsAdmin,
	signUp,
	visit
} from './fixtures';

const slugOf = (name: string) =>
	name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

/** The staff side, always with JavaScript (staff screens are tested with it only). */
async function staffPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ javaScriptEnabled: true });
	const page = await context.newPage();
	await signInAsAdmin(page);
	return page;
}

interface Feed {
	testimonials: Record<string, unknown>[];
}

test('invited, written with consent, published, withdrawn', async ({ page, browser }) => {
	test.setTimeout(240_000);
	const product = await createProductAsAdmin(browser, 'Praised');
	const member = newPerson('fan');
	const suffix = Date.now().toString(36);
	const quote = `Roundtable keeps our customers and our roadmap in one calm place ${suffix}.`;
	const personal = `Would you tell others what you told us? ${suffix}`;

	await test.step('the member gives the product 5 stars', async () => {
		await signUp(page, member);
		await page.goto(`/products/${slugOf(product)}`);
		await page.getByLabel('5 stars: excellent').check();
		await page.getByLabel('Title').fill('Exactly what we needed');
		await page
			.getByLabel('Review', { exact: true })
			.fill('Our whole team uses it every week, and the roadmap finally makes sense.');
		await page.getByRole('button', { name: 'Publish my review' }).click();
		await expect(page.getByText('Thank you: your review is published.')).toBeVisible();
	});

	const staff = await staffPage(browser);
	const candidate = () => staff.locator('.candidates > li').filter({ hasText: member.handle });
	const listed = () => staff.locator('.testimonials > li').filter({ hasText: member.handle });

	await test.step('staff see them with the reason, and invite them with a message', async () => {
		await visit(staff, '/staff/testimonials');
		await expect(candidate()).toContainText('5-star review');
		await expect(candidate().getByRole('link', { name: 'Exactly what we needed' })).toBeVisible();
		await candidate().locator('summary').click();
		await candidate().getByLabel('Personal message (optional)').fill(personal);
		await candidate()
			.getByRole('button', { name: `Invite ${member.displayName}` })
			.click();
		await expect(staff.getByText('Invitation sent')).toBeVisible();
		await expect(candidate()).toHaveCount(0);
		await expect(listed()).toContainText('Invited');
	});

	await test.step('the member opens the notification and writes, with consent', async () => {
		await visit(page, '/notifications');
		await page
			.getByRole('link', { name: `${ADMIN.displayName} invited you to write a testimonial` })
			.click();
		await expect(
			page.getByRole('heading', { level: 1, name: 'Write a testimonial' })
		).toBeVisible();
		await expect(page.getByText(personal)).toBeVisible();
		await expectAccessible(page);
		await page.getByLabel('Your testimonial').fill(quote);
		await page.getByLabel('Product (optional)').selectOption({ label: product });
		const consent = page.getByRole('checkbox', { name: /I agree that .* may publish/ });
		await expect(consent).toHaveAccessibleName(new RegExp(`my name “${member.displayName}”`));
		await consent.check();
		await page.getByRole('button', { name: 'Send testimonial' }).click();
		await expect(page.getByText('Thank you: your testimonial is saved.')).toBeVisible();
		await expect(
			page.getByText('Sent, with your consent: waiting for the team to publish it.', {
				exact: true
			})
		).toBeVisible();
		expect(new URL(page.url()).pathname).toBe('/settings/testimonials');
		await expectAccessible(page);
	});

	await test.step('staff publish it; it is on the public page and in the JSON', async () => {
		await staff.goto('/staff/testimonials');
		await listed().getByRole('button', { name: 'Publish' }).click();
		await expect(listed()).toContainText('Published');
		await expectAccessible(staff);

		await visit(page, '/testimonials');
		const card = page.locator('.quotes > li').filter({ hasText: quote });
		await expect(card).toContainText(member.displayName);
		await expect(card).toContainText(`about ${product}`);

		const response = await page.request.get(`/testimonials.json?product=${slugOf(product)}`);
		expect(response.headers()['access-control-allow-origin']).toBe('*');
		const feed = (await response.json()) as Feed;
		expect(feed.testimonials).toHaveLength(1);
		expect(feed.testimonials[0]).toMatchObject({ quote, name: member.displayName });
		expect(JSON.stringify(feed)).not.toContain(member.email);
	});

	await test.step('the member withdraws consent: gone from the page and the JSON', async () => {
		await visit(page, '/settings/testimonials');
		await page.getByRole('button', { name: 'Withdraw consent' }).click();
		await expect(
			page.getByText('Consent withdrawn: the testimonial is no longer shown anywhere.')
		).toBeVisible();
		await expectAccessible(page);

		await page.goto('/testimonials');
		await expect(page.getByText(quote)).toHaveCount(0);
		const feed = (await (await page.request.get('/testimonials.json')).json()) as Feed;
		expect(JSON.stringify(feed)).not.toContain(quote);

		await staff.goto('/staff/testimonials');
		await expect(listed()).toContainText('Withdrawn');
		await expect(listed().getByRole('button', { name: 'Publish' })).toHaveCount(0);
		await staff.context().close();
	});
});
