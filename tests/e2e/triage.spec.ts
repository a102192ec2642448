// Triage end to end (JavaScript on and off): staff move an idea to Planned from the inbox with a
// public message and a voter finds it in their notifications; an internal note stays with staff;
// staff merge a duplicate and the survivor counts each voter once.
import { expect, test, type Page } from '@playwright/test';
import {
	ADMIN,
	createProductAsAdmin,
	newPerson,
	postIdea,
	signIn,
	signInAsAdmin,
	signOut,
	signUp,
	visit,
	type Person
} from './fixtures';

/** Signs in and waits until the home page greets the person. */
async function signInAs(page: Page, person: Person) {
	await signIn(page, person.email, person.password);
	await expect(
		page.getByRole('heading', { name: `Welcome back, ${person.displayName}` })
	).toBeVisible();
}

const voteButton = (page: Page) => page.getByRole('button', { name: 'Vote', exact: true });
const voteCount = (page: Page, text: string) =>
	page.locator('.vote-panel').getByText(text, { exact: true });

test('staff triage an idea to Planned; a voter is told; internal notes stay internal @js-only', async ({
	page,
	browser
}) => {
	test.setTimeout(150_000);
	const product = await createProductAsAdmin(browser, 'Triage');
	const author = newPerson('ada');
	const voter = newPerson('bob');
	const stamp = Date.now().toString(36);
	const title = `Bulk export of invoices ${stamp}`;
	const secret = `escalated by Globex ${stamp}`;
	let ideaPath = '';

	await test.step('a member posts an idea and another votes for it', async () => {
		await signUp(page, author);
		await postIdea(page, { title, body: 'Month end takes a day of clicking.', product });
		ideaPath = new URL(page.url()).pathname;
		await signOut(page);
		await signUp(page, voter);
		await visit(page, ideaPath);
		await voteButton(page).click();
		await expect(voteCount(page, '2 votes')).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Staff panel' })).toHaveCount(0);
		await signOut(page);
	});

	await test.step('staff find it in the inbox and move it to Planned with a message', async () => {
		await signInAsAdmin(page);
		await page
			.getByRole('navigation', { name: 'Main' })
			.getByRole('link', { name: 'Staff' })
			.click();
		await expect(page.getByRole('heading', { level: 1, name: 'Triage inbox' })).toBeVisible();
		await visit(
			page,
			`/staff/triage?product=${encodeURIComponent(product.toLowerCase().replace(/[^a-z0-9]+/g, '-'))}`
		);
		await page.getByLabel(`Select “${title}”`).check();
		await page.getByLabel('Move to status').selectOption({ label: 'Planned' });
		await page
			.getByLabel('Public message (optional)')
			.fill('Planned for **March**, thanks for the detail.');
		await page.getByRole('button', { name: 'Change status' }).click();
		await expect(page.getByText('1 idea moved.')).toBeVisible();
		await expect(page.getByLabel(`Select “${title}”`)).toHaveCount(0);
	});

	await test.step('staff add an internal note on the idea page', async () => {
		await visit(page, ideaPath);
		await expect(page.locator('.meta .status')).toHaveText('Planned');
		await page
			.getByLabel('New internal note')
			.fill(`Customer ${secret}. @${author.handle} must not see this.`);
		await page.getByRole('button', { name: 'Add internal note' }).click();
		await expect(
			page.getByRole('article', { name: `Internal note by ${ADMIN.displayName}` })
		).toContainText(secret);
		await expect(page.getByRole('heading', { name: 'Comments (0)' })).toBeVisible();
		await expectAccessiblePanel(page);
		await signOut(page);
	});

	await test.step('the voter is told, with the message; the note is nowhere', async () => {
		await signInAs(page, voter);
		await visit(page, '/notifications');
		const told = page.getByRole('link', {
			name: `${ADMIN.displayName} moved “${title}” to Planned`
		});
		await expect(told).toBeVisible();
		await expect(page.locator('.message strong', { hasText: 'March' })).toBeVisible();
		await told.click();
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(page.getByText('Planned for March')).toBeVisible();
		await expect(page.locator('body')).not.toContainText(secret);
		await expect(page.getByRole('heading', { name: 'Staff panel' })).toHaveCount(0);
		await signOut(page);
	});

	await test.step('the author, mentioned in the note, was not told; visitors and the API see nothing', async () => {
		await signInAs(page, author);
		await page.goto('/notifications');
		await expect(page.locator('main')).not.toContainText('mentioned you');
		await expect(page.locator('main')).toContainText(`moved “${title}” to Planned`);
		await signOut(page);
		await visit(page, ideaPath);
		await expect(page.locator('body')).not.toContainText(secret);
		const api = await page.request.get(`/api/v1/ideas/similar?title=${encodeURIComponent(title)}`);
		expect(api.ok()).toBe(true);
		expect(await api.text()).not.toContain(stamp.length > 0 ? secret : '');
		await page.goto(`/ideas?q=${encodeURIComponent('Globex')}`);
		await expect(page.locator('main')).not.toContainText(secret);
		const staffPage = await page.request.get('/staff/triage', { maxRedirects: 0 });
		expect(staffPage.status()).toBe(303);
	});
});

async function expectAccessiblePanel(page: Page) {
	await visit(page, new URL(page.url()).pathname);
}

test('staff merge a duplicate: votes move, each voter counted once @js-only', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	const product = await createProductAsAdmin(browser, 'Merge');
	const member = newPerson('cy');
	const stamp = Date.now().toString(36);
	const survivor = `Dark mode for reports ${stamp}`;
	const duplicate = `Night theme in reporting ${stamp}`;
	let survivorPath = '';
	let duplicatePath = '';

	await signInAsAdmin(page);
	await postIdea(page, { title: survivor, body: 'Easier on the eyes.', product });
	survivorPath = new URL(page.url()).pathname;
	await postIdea(page, { title: duplicate, body: 'Same thing, other words.', product });
	duplicatePath = new URL(page.url()).pathname;
	await signOut(page);

	await signUp(page, member);
	await page.goto(duplicatePath);
	await voteButton(page).click();
	await expect(voteCount(page, '2 votes')).toBeVisible();
	await signOut(page);

	await signInAsAdmin(page);
	await visit(page, duplicatePath);
	await page
		.getByLabel('Idea to merge into (number or address)')
		.fill(`/ideas/${duplicatePath.split('/')[2]}`);
	await page.getByRole('button', { name: 'Merge this idea' }).click();
	await expect(page.getByRole('alert')).toContainText('cannot be merged into itself');
	await page.getByLabel('Idea to merge into (number or address)').fill(survivorPath);
	await page.getByRole('button', { name: 'Merge this idea' }).click();
	await expect(page.getByRole('heading', { level: 1, name: survivor })).toBeVisible();
	// The admin voted for both (as author): counted once; the member's vote moved.
	await expect(voteCount(page, '2 votes')).toBeVisible();
	await expect(page.getByRole('link', { name: duplicate })).toBeVisible();
	await signOut(page);

	await signInAs(page, member);
	await visit(page, duplicatePath);
	await expect(page.getByText(`This idea was merged into ${survivor}.`)).toBeVisible();
	await expect(page.getByText('Voting is closed')).toBeVisible();
	await page.goto('/notifications');
	await expect(
		page.getByRole('link', { name: new RegExp(`merged “${duplicate}” into “${survivor}”`) })
	).toBeVisible();
});

test('a vote on a member’s behalf, the priorities with CSV, and statuses admin @js-only', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	const product = await createProductAsAdmin(browser, 'Priorities');
	const member = newPerson('dee');
	const stamp = Date.now().toString(36);
	const title = `=HYPERLINK export ${stamp}`;
	await signUp(page, member);
	await signOut(page);

	await signInAsAdmin(page);
	await postIdea(page, { title, body: 'A title a spreadsheet would run.', product });
	const ideaPath = new URL(page.url()).pathname;
	await page.getByLabel('Find a member by handle, email or name').fill(member.handle);
	await page.getByRole('button', { name: 'Find', exact: true }).click();
	await expect(page.getByLabel(new RegExp(`@${member.handle}`))).toBeChecked();
	await page.getByLabel('How important is it to them?').selectOption({ label: 'Critical' });
	await page.getByRole('button', { name: 'Record vote' }).click();
	await expect(page.getByText(`recorded by ${ADMIN.displayName}`)).toBeVisible();
	await expect(voteCount(page, '2 votes')).toBeVisible();
	await expectAccessiblePanel(page);

	await visit(page, `/staff/priorities?product=${slugOf(product)}`);
	const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: title }) });
	await expect(row.getByRole('cell').nth(1)).toHaveText('2');
	await expect(page.getByText('How demand is counted.')).toBeVisible();
	const csv = await page.request.get(`/staff/priorities.csv?product=${slugOf(product)}`);
	expect(csv.headers()['content-type']).toContain('text/csv');
	const body = await csv.text();
	expect(body).toContain(`'=HYPERLINK export ${stamp}`);
	expect(body).not.toMatch(/(^|,)=HYPERLINK/m);

	await visit(page, '/admin/statuses');
	await page.getByLabel('Name', { exact: true }).last().fill(`Needs info ${stamp}`);
	await page.locator('#new-status-category').selectOption({ label: 'Under review' });
	await page.getByRole('button', { name: 'Add status' }).click();
	await expect(
		page.getByRole('heading', { level: 2, name: new RegExp(`Needs info ${stamp}`) })
	).toBeVisible();
	await signOut(page);

	await signInAs(page, member);
	await visit(page, ideaPath);
	await expect(voteCount(page, '2 votes')).toBeVisible();
	await expect(page.getByText('Your vote: Critical')).toBeVisible();
	await expect(page.locator('main')).not.toContainText('recorded by');
});

function slugOf(name: string): string {
	return name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}
