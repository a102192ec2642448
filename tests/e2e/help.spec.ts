// Private help end to end. A member asks the team privately (JavaScript on and off); staff find it
// in the help inbox and answer (with JavaScript); the member sees the official answer. Another
// member gets 404 at the thread's address and searching for its words finds nothing. Every page
// visited is checked with axe.
import { expect, test } from '@playwright/test';
import { expectAccessible, newPerson, signInAsAdmin, signUp, visit } from './fixtures';

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

test('a member asks privately, staff answer officially, nobody else can see it', async ({
	page,
	browser
}) => {
	const marker = `Zqx${unique()}`;
	const member = newPerson('asker');
	await signUp(page, member);

	await visit(page, '/help');
	await page.getByRole('link', { name: 'Ask for help' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Ask the team for help' })
	).toBeVisible();
	await visit(page, '/help/new');
	// Bad input first: nothing is sent and the field says why.
	await page.getByLabel('Subject').fill('Hi');
	await page.getByLabel('Your question').fill('Short subject');
	await page.getByRole('button', { name: 'Send to the team' }).click();
	await expect(page.getByText('Use at least 4 characters for the subject.')).toBeVisible();

	const subject = `Invoice ${marker} is wrong`;
	await page.getByLabel('Subject').fill(subject);
	await page.getByLabel('Your question').fill(`Our invoice ${marker} bills too many seats.`);
	await page.getByRole('button', { name: 'Send to the team' }).click();
	await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
	await expect(
		page.getByText('Private: only you and the team can read this thread.')
	).toBeVisible();
	await expect(page.getByText('Waiting for the team')).toBeVisible();
	await expect(page).toHaveURL(/\/help\/\d+$/);
	const path = new URL(page.url()).pathname;
	await visit(page, path);

	// Staff, with JavaScript, answer from the inbox.
	const staffContext = await browser.newContext({ javaScriptEnabled: true });
	const staff = await staffContext.newPage();
	await signInAsAdmin(staff);
	await visit(staff, '/staff/help');
	await staff.getByRole('link', { name: subject }).click();
	await expect(staff.getByRole('heading', { level: 1, name: subject })).toBeVisible();
	await expectAccessible(staff);
	await staff.getByLabel('Your message').fill('We issued a credit note for the extra seats.');
	await staff.getByRole('button', { name: 'Send' }).click();
	await expect(staff.getByText('We issued a credit note for the extra seats.')).toBeVisible();
	await staffContext.close();

	// The member sees the answer, marked official, and the thread as answered.
	await visit(page, path);
	const answer = page.locator('.message', { hasText: 'We issued a credit note' });
	await expect(answer.getByText('Official', { exact: true })).toBeVisible();
	await expect(page.getByText('Answered', { exact: true })).toBeVisible();
	await visit(page, '/help');
	await expect(page.getByRole('link', { name: subject })).toBeVisible();

	// Another member: 404 at the address, and search does not know the words.
	const otherContext = await browser.newContext();
	const other = await otherContext.newPage();
	await signUp(other, newPerson('other'));
	const response = await other.goto(path);
	expect(response?.status()).toBe(404);
	await expect(other.getByText(marker)).toHaveCount(0);
	await visit(other, `/ideas?q=${marker}`);
	await expect(other.getByText(`No ideas match “${marker}”`)).toBeVisible();
	await visit(other, '/help');
	await expect(other.getByText(marker)).toHaveCount(0);
	await otherContext.close();
});

test('staff suggest publishing; only the member publishes, as a public discussion @js-only', async ({
	page,
	browser
}) => {
	const member = newPerson('publisher');
	await signUp(page, member);
	const subject = `Sharing dashboards ${unique()}`;
	await visit(page, '/help/new');
	await page.getByLabel('Subject').fill(subject);
	await page.getByLabel('Your question').fill('How do other teams share dashboards with clients?');
	await page.getByRole('button', { name: 'Send to the team' }).click();
	await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
	const path = new URL(page.url()).pathname;

	// Staff (with JavaScript) make a category and suggest publishing the thread as a discussion.
	const staffContext = await browser.newContext({ javaScriptEnabled: true });
	const staff = await staffContext.newPage();
	await signInAsAdmin(staff);
	const category = `Tips ${unique()}`;
	await staff.goto('/admin/categories');
	await staff.getByLabel('Name', { exact: true }).last().fill(category);
	await staff.getByLabel('Description').last().fill('Tips from members.');
	await staff.getByRole('button', { name: 'Create category' }).click();
	await expect(staff.getByText(`The category “${category}” was created.`)).toBeVisible();
	await staff.goto(path);
	await expect(staff.getByRole('heading', { name: 'Publish this thread' })).toHaveCount(0);
	await staff.getByLabel('Publish as').selectOption('discussion');
	await staff.getByRole('button', { name: 'Suggest it' }).click();
	await expect(staff.getByText(/Waiting for the member to accept or decline/)).toBeVisible();
	await expectAccessible(staff);
	await staffContext.close();

	// Nothing is public yet; the member sees the suggestion and publishes.
	await visit(page, path);
	await expect(
		page.getByText(/suggests publishing your question as a public discussion/)
	).toBeVisible();
	await page.getByLabel('Category (for a discussion)').selectOption({ label: category });
	await page.getByRole('button', { name: 'Publish', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
	await expect(page).toHaveURL(/\/discussions\/\d+/);
	await expect(page.getByText('How do other teams share dashboards with clients?')).toBeVisible();
	await expectAccessible(page);

	// The private thread links to the public post and says who published it.
	await visit(page, path);
	await expect(page.getByText(/Published as a public discussion on/)).toBeVisible();
	await expect(page.getByRole('link', { name: 'Open the public post' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Publish this thread' })).toHaveCount(0);
});
