// Roadmap and changelog end to end (JavaScript on and off): staff put a voted idea on the roadmap
// in Planned with a target quarter, it shows on the public roadmap; staff write a changelog entry,
// link the idea and publish; the voter is told in the app, the idea moves to Shipped, the entry
// is on /changelog and its page, and the Atom feed is valid Atom.
import { expect, test, type Page } from '@playwright/test';
import { parseAtom } from '../helpers/atom';
import {
	ADMIN,
	readOutbox,
	createProductAsAdmin,
	expectAccessible,
	newPerson,
	postIdea,
	signIn,
	signInAsAdmin,
	signOut,
	signUp,
	visit
} from './fixtures';

const column = (page: Page, name: string) =>
	page.getByRole('region', { name: new RegExp(`^${name} \\(\\d+\\)$`) });

async function filterByProduct(page: Page, product: string) {
	await page.getByLabel('Product', { exact: true }).selectOption({ label: product });
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(page).toHaveURL(/product=/);
}

test('staff plan an idea, ship it with a changelog entry, and its voter is told @js-only', async ({
	page,
	browser
}) => {
	test.setTimeout(180_000);
	const product = await createProductAsAdmin(browser, 'Roadmap');
	const author = newPerson('author');
	const voter = newPerson('voter');
	const suffix = Date.now().toString(36);
	const title = `Export charts as SVG ${suffix}`;
	const entryTitle = `Charts <export> & more ${suffix}`;
	let ideaPath = '';

	await test.step('a member posts an idea and another votes for it', async () => {
		await signUp(page, author);
		await postIdea(page, { title, body: 'Slides need sharp charts.', product });
		ideaPath = new URL(page.url()).pathname;
		await signOut(page);
		await signUp(page, voter);
		await page.goto(ideaPath);
		await page.getByRole('button', { name: 'Vote', exact: true }).click();
		await expect(page.locator('.vote-panel').getByText('2 votes', { exact: true })).toBeVisible();
		await signOut(page);
	});

	await test.step('a member cannot reach the staff tools', async () => {
		await signIn(page, voter.email, voter.password);
		await expect(
			page.getByRole('heading', { name: `Welcome back, ${voter.displayName}` })
		).toBeVisible();
		const staffPage = await page.goto('/staff/roadmap');
		expect(staffPage?.status()).toBe(403);
		const changelogPage = await page.goto('/staff/changelog');
		expect(changelogPage?.status()).toBe(403);
		await page.goto('/');
		await signOut(page);
	});

	await test.step('staff put the idea in Planned with a target quarter', async () => {
		await signInAsAdmin(page);
		await visit(page, '/staff/roadmap');
		await filterByProduct(page, product);
		await page
			.getByLabel('Find ideas by words of the title or description, or by number')
			.fill(title);
		await page.getByRole('button', { name: 'Find', exact: true }).click();
		const found = page.getByRole('list', { name: 'Ideas found' });
		await found
			.getByRole('combobox', { name: `Status of ${title}` })
			.selectOption({ label: 'Planned' });
		await found.getByRole('button', { name: `Set status of ${title}` }).click();
		const planned = column(page, 'Planned');
		await expect(planned.getByRole('link', { name: title })).toBeVisible();

		await planned.getByRole('textbox', { name: `Target quarter for ${title}` }).fill('2027-Q9');
		await planned.getByRole('button', { name: `Save the target quarter for ${title}` }).click();
		await expect(planned.getByText('Write the quarter as year, dash, Q and 1–4')).toBeVisible();
		await expectAccessible(page);
		await planned.getByRole('textbox', { name: `Target quarter for ${title}` }).fill('2027-q1');
		await planned.getByRole('button', { name: `Save the target quarter for ${title}` }).click();
		await expect(planned.getByText('Write the quarter')).toHaveCount(0);
		await expect(planned.getByRole('textbox', { name: `Target quarter for ${title}` })).toHaveValue(
			'2027-Q1'
		);
	});

	await test.step('the public roadmap shows it, filtered by product', async () => {
		await signOut(page);
		await visit(page, '/roadmap');
		await filterByProduct(page, product);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Roadmap: ${product}`);
		const planned = column(page, 'Planned');
		const card = planned
			.getByRole('listitem')
			.filter({ has: page.getByRole('link', { name: title }) });
		await expect(card).toContainText('2 votes');
		await expect(card).toContainText('Target: 2027-Q1');
		await expect(card).toContainText(product);
		await expectAccessible(page);
	});

	await test.step('staff write a draft entry and link the idea; the public does not see the draft', async () => {
		await signInAsAdmin(page);
		await visit(page, '/staff/changelog/new');
		await page.getByLabel('Title').fill(entryTitle);
		await page.getByLabel('Product').selectOption({ label: product });
		await page.getByLabel('What changed').fill('Every chart exports as **SVG** now.');
		await page.getByRole('button', { name: 'Save draft' }).click();
		await expect(page.getByText('Draft saved.')).toBeVisible();
		await page
			.getByLabel('Find ideas by words of the title or description, or by number')
			.fill(title);
		await page.getByRole('button', { name: 'Find', exact: true }).click();
		await page.getByRole('button', { name: `Link ${title}` }).click();
		await expect(page.getByRole('heading', { name: 'Linked ideas (1)' })).toBeVisible();
		await expect(page.getByText('its 1 linked idea shipped')).toBeVisible();
		await expectAccessible(page);

		const visitor = await browser.newPage();
		await visitor.goto('/changelog');
		await expect(visitor.getByText(entryTitle)).toHaveCount(0);
		await visitor.close();
	});

	await test.step('staff publish it; the idea is shipped', async () => {
		await page.getByRole('button', { name: 'Publish', exact: true }).click();
		await expect(page.getByText('Published. Its linked ideas are marked shipped')).toBeVisible();
		await visit(page, '/roadmap');
		await filterByProduct(page, product);
		await expect(column(page, 'Shipped').getByRole('link', { name: title })).toBeVisible();
		await expect(column(page, 'Planned').getByRole('link', { name: title })).toHaveCount(0);
		await signOut(page);
	});

	await test.step('the voter gets an email for each change, from the job queue', async () => {
		const mails = await readOutbox(browser, voter.email, 2);
		const texts = mails.map((mail) => `${mail.subject}\n${mail.text}`);
		expect(texts.some((t) => t.includes(title) && t.includes('Planned'))).toBe(true);
		expect(texts.some((t) => t.includes(title) && t.includes(entryTitle))).toBe(true);
		expect(mails.every((mail) => mail.text.includes('/unsubscribe/'))).toBe(true);
	});

	await test.step('the voter is told in the app and follows the link to the entry', async () => {
		await signIn(page, voter.email, voter.password);
		await expect(
			page.getByRole('link', { name: 'Notifications, 2 unread', exact: true })
		).toBeVisible();
		await visit(page, '/notifications');
		await expect(page.getByRole('link', { name: `“${title}” has shipped` })).toBeVisible();
		await expect(
			page.getByRole('link', { name: `${ADMIN.displayName} moved “${title}” to Planned` })
		).toBeVisible();
		await page.getByRole('link', { name: `Read “${entryTitle}” in the changelog` }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(entryTitle);
		await expect(page.getByRole('link', { name: title })).toBeVisible();
		await expect(page.locator('.body strong')).toHaveText('SVG');
		await expectAccessible(page);
	});

	await test.step('the changelog lists it, offers its feed, and the feed is valid Atom', async () => {
		await visit(page, '/changelog');
		await expect(page.getByRole('heading', { level: 2, name: entryTitle })).toBeVisible();
		const alternate = page.locator('link[rel="alternate"][type="application/atom+xml"]');
		await expect(alternate).toHaveAttribute('href', '/changelog.atom');
		const response = await page.request.get('/changelog.atom');
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
		const feed = parseAtom(await response.text());
		const entry = feed.entries.find((e) => e.title === entryTitle);
		expect(entry, 'the entry is in the feed, its title unescaped once').toBeDefined();
		expect(entry!.id).toMatch(/^tag:localhost,\d{4}-\d{2}-\d{2}:changelog\/\d+$/);
		expect(new URL(entry!.link).pathname).toMatch(/^\/changelog\/\d+-charts-export-more/);
		expect(entry!.content).toContain('<strong>SVG</strong>');
		expect(entry!.content).toContain(`${ideaPath}`);
		expect(feed.self).toMatch(/\/changelog\.atom$/);
	});
});

test('staff order a roadmap column with the move buttons @js-only', async ({ page, browser }) => {
	test.setTimeout(120_000);
	const product = await createProductAsAdmin(browser, 'Ordering');
	const suffix = Date.now().toString(36);
	const first = `Bulk archive ${suffix}`;
	const second = `Saved views ${suffix}`;
	await signInAsAdmin(page);
	for (const title of [first, second]) {
		await postIdea(page, { title, body: 'So we can stop doing it by hand.', product });
	}
	await page.goto('/staff/roadmap');
	await filterByProduct(page, product);
	for (const title of [first, second]) {
		await page
			.getByLabel('Find ideas by words of the title or description, or by number')
			.fill(title);
		await page.getByRole('button', { name: 'Find', exact: true }).click();
		const found = page.getByRole('list', { name: 'Ideas found' });
		await found
			.getByRole('combobox', { name: `Status of ${title}` })
			.selectOption({ label: 'In progress' });
		await found.getByRole('button', { name: `Set status of ${title}` }).click();
		await expect(column(page, 'In progress').getByRole('link', { name: title })).toBeVisible();
	}
	const order = (p: Page) => column(p, 'In progress').getByRole('heading', { level: 3 });
	// Equal votes: the older idea first, until staff say otherwise.
	await expect(order(page)).toHaveText([`1. ${first}`, `2. ${second}`]);
	await expect(page.getByRole('button', { name: `Move up: ${first}` })).toBeDisabled();
	await page.getByRole('button', { name: `Move up: ${second}` }).click();
	await expect(order(page)).toHaveText([`1. ${second}`, `2. ${first}`]);
	await expectAccessible(page);

	await signOut(page);
	await visit(page, '/roadmap');
	await filterByProduct(page, product);
	await expect(column(page, 'In progress').getByRole('heading', { level: 3 })).toHaveText([
		second,
		first
	]);
});
