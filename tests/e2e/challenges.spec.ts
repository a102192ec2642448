// Challenges end to end: staff open one (with a refused bad date first); a member submits an idea
// into it and votes on the entries (JavaScript on and off); staff close it early and announce a
// winner with a note; the public page shows the winner, refuses votes, and the winner is notified.
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	ORIGIN,
	createProductAsAdmin,
	expectAccessible,
	newPerson,
	signInAsAdmin,
	signUp,
	visit
} from './fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A `datetime-local` value (UTC, as the form reads it) `offset` ms from now. */
const utc = (offset: number) => new Date(Date.now() + offset).toISOString().slice(0, 16);

async function fillChallenge(
	staff: Page,
	fields: { title: string; product: string; start: string; end: string }
) {
	await staff.getByLabel('Question').fill(fields.title);
	await staff.getByLabel('Description').fill('Tell us about **your** first week with us.');
	await staff.getByLabel('Product').selectOption({ label: fields.product });
	await staff.getByLabel('Starts (UTC)').fill(fields.start);
	await staff.getByLabel('Ends (UTC)').fill(fields.end);
	await staff.getByLabel('Prizes').fill('A year of Pro for the winner.');
}

/** Staff open a challenge that runs from an hour ago for a day; returns its id. */
async function openChallenge(staff: Page, product: string, title: string): Promise<number> {
	await visit(staff, '/staff/challenges/new');
	await fillChallenge(staff, { title, product, start: utc(-HOUR), end: utc(DAY) });
	await staff.getByRole('button', { name: 'Open the challenge' }).click();
	await expect(staff.getByText('The challenge is saved.')).toBeVisible();
	return Number(/\/staff\/challenges\/(\d+)/.exec(staff.url())![1]);
}

/** The e2e admin, in a JavaScript-on context of its own (staff screens are @js-only). */
async function asStaff<T>(browser: Browser, act: (staff: Page) => Promise<T>): Promise<T> {
	const context = await browser.newContext({ javaScriptEnabled: true });
	try {
		const staff = await context.newPage();
		await signInAsAdmin(staff);
		return await act(staff);
	} finally {
		await context.close();
	}
}

test('staff open a challenge: a bad date is refused per field, then it is listed @js-only', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	const product = await createProductAsAdmin(browser, 'Challenges');
	const title = `How should onboarding work? ${Date.now().toString(36)}`;
	await signInAsAdmin(page);
	await visit(page, '/staff/challenges/new');
	await fillChallenge(page, { title, product, start: utc(DAY), end: utc(HOUR) });
	await page.getByRole('button', { name: 'Open the challenge' }).click();
	await expect(page.getByText('The end must be after the start.')).toBeVisible();
	await expect(page.getByLabel('Ends (UTC)')).toHaveAttribute('aria-invalid', 'true');
	await expectAccessible(page);
	// Nothing was stored.
	await page.goto('/staff/challenges');
	await expect(page.getByRole('link', { name: title })).toHaveCount(0);

	await openChallenge(page, product, title);
	await visit(page, '/staff/challenges');
	await expect(
		page.getByRole('row', { name: new RegExp(title.replace('?', '\\?')) })
	).toContainText('Open');
	await visit(page, '/challenges');
	const open = page.getByRole('region', { name: 'Open now' });
	await expect(open.getByRole('link', { name: title })).toBeVisible();
});

test('a member enters an idea and votes; staff close the challenge and announce the winner', async ({
	page,
	browser
}) => {
	test.setTimeout(150_000);
	const product = await createProductAsAdmin(browser, 'Challenges');
	const question = `What slows your first week down? ${Date.now().toString(36)}`;
	const id = await asStaff(browser, (staff) => openChallenge(staff, product, question));

	const member = newPerson('entrant');
	await signUp(page, member);
	await visit(page, '/challenges');
	await page.getByRole('link', { name: question }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(question);
	await expect(page.getByText('A year of Pro for the winner.')).toBeVisible();
	await expectAccessible(page);

	// The ordinary idea form, entering the idea into the challenge.
	await page.getByRole('link', { name: 'Submit an idea' }).click();
	await expect(page.getByText('Your idea will be entered into the challenge')).toBeVisible();
	const title = `A setup checklist ${Date.now().toString(36)}`;
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Description').fill('A checklist that follows me until I am set up.');
	await expect(page.getByLabel('Product')).toHaveValue(/\d+/);
	await page.getByRole('button', { name: 'Post the idea' }).click();
	const heading = page.getByRole('heading', { level: 1, name: title });
	const anyway = page.getByRole('button', { name: 'Post mine anyway' });
	await expect(heading.or(anyway)).toBeVisible();
	if (await anyway.isVisible()) {
		await anyway.click();
	}
	await expect(heading).toBeVisible();
	await page.getByRole('link', { name: question }).click();

	// The author's own vote came with the entry; they take it back and give it again.
	const entry = page.getByRole('listitem').filter({ hasText: title });
	await expect(entry).toContainText(/\b1\s*vote\b/);
	await entry.getByRole('button', { name: `Take back your vote for “${title}”` }).click();
	await expect(entry).toContainText(/\b0\s*votes\b/);
	await entry.getByRole('button', { name: `Vote for “${title}”` }).click();
	await expect(entry).toContainText(/\b1\s*vote\b/);
	await expectAccessible(page);

	// Staff close it early (end in the past) and announce the winner with a note.
	await asStaff(browser, async (staff) => {
		await visit(staff, `/staff/challenges/${id}`);
		await staff.getByLabel('Starts (UTC)').fill(utc(-2 * HOUR));
		await staff.getByLabel('Ends (UTC)').fill(utc(-MINUTE));
		await staff.getByRole('button', { name: 'Save changes' }).click();
		await expect(staff.getByText('Your changes are saved.')).toBeVisible();
		await staff.getByLabel('Place').selectOption({ label: 'Place 1' });
		await staff.getByLabel('Note for the winner').fill('The clearest **first week** we read.');
		await expectAccessible(staff);
		await staff.getByRole('button', { name: 'Announce the winners' }).click();
		await expect(staff.getByText('they got their points and badge')).toBeVisible();
		await expect(staff.getByText('this challenge can no longer change')).toBeVisible();
	});

	await visit(page, `/challenges/${id}`);
	const winners = page.getByRole('region', { name: 'Winners' });
	await expect(winners.getByText('Place 1')).toBeVisible();
	await expect(winners.getByRole('link', { name: title })).toBeVisible();
	await expect(winners.getByText('first week', { exact: true })).toBeVisible();
	await expect(page.getByText('This challenge has closed')).toBeVisible();
	await expect(
		page.getByRole('button', { name: `Take back your vote for “${title}”` })
	).toHaveCount(0);
	// A vote sent anyway (a stale page) is refused with the reason, and nothing changes.
	const postId = /\/ideas\/(\d+)/.exec(
		(await winners.getByRole('link', { name: title }).getAttribute('href'))!
	)![1]!;
	const refused = await page.request.post(`/challenges/${id}?/unvote`, {
		form: { idea: postId },
		headers: { origin: ORIGIN, accept: 'text/html' }
	});
	expect(refused.status()).toBe(409);
	expect(await refused.text()).toContain('entries take votes only while their challenge runs');
	await page.reload();
	await expect(page.getByRole('listitem').filter({ hasText: title }).last()).toContainText(
		/\b1\s*vote\b/
	);

	await visit(page, '/notifications');
	const told = page.getByRole('link', {
		name: `Your idea “${title}” won place 1 in the challenge “${question}”`
	});
	await told.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(question);
});
