// Advocacy end to end: staff read a customer's page; a member invites another through their
// referral link and sees the credit (points, leaderboard, settings); a member downloads their own
// data, and nothing staff-only (an internal note, staff's email, tier or advocacy) reaches them.
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	ADMIN,
	createProductAsAdmin,
	newPerson,
	postIdea,
	signInAsAdmin,
	signUp,
	visit,
	type Person
} from './fixtures';

async function signUpThrough(page: Page, link: string, person: Person, inviter: string) {
	await page.goto(link);
	await expect(page.getByText(`${inviter} invited you to join.`)).toBeVisible();
	await page.getByLabel('Email').fill(person.email);
	await page.getByLabel('Handle').fill(person.handle);
	await page.getByLabel('Display name').fill(person.displayName);
	await page.getByLabel('Password').fill(person.password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		`Welcome back, ${person.displayName}`
	);
}

/** Staff (the e2e admin, in a context of its own) add an internal note on the idea at `path`. */
async function addInternalNote(browser: Browser, path: string, text: string) {
	const context = await browser.newContext({ javaScriptEnabled: true });
	try {
		const staff = await context.newPage();
		await signInAsAdmin(staff);
		await staff.goto(path);
		await staff.getByLabel('New internal note').fill(text);
		await staff.getByRole('button', { name: 'Add internal note' }).click();
		await expect(staff.getByText(text)).toBeVisible();
	} finally {
		await context.close();
	}
}

test('staff open a customer page: counts, score breakdown, weekly table and timeline @js-only', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	const product = await createProductAsAdmin(browser, 'Customers');
	const member = newPerson('cust');
	const title = `Customer page idea ${Date.now().toString(36)}`;
	await signUp(page, member);
	await postIdea(page, { title, body: 'Shared folders for reports.', product });
	// A member may not open staff's customer pages.
	const refused = await page.goto(`/staff/customers/${member.handle}`);
	expect(refused?.status()).toBe(403);

	const context = await browser.newContext();
	const staff = await context.newPage();
	await signInAsAdmin(staff);
	await visit(staff, `/staff/customers?q=${encodeURIComponent(member.handle)}`);
	await expect(staff.getByText('1 customer')).toBeVisible();
	await staff.getByRole('link', { name: member.displayName }).click();
	await expect(staff.getByRole('heading', { level: 1 })).toHaveText(member.displayName);
	await expect(staff.getByText(member.email)).toBeVisible();
	await expect(staff.getByRole('heading', { name: 'Advocacy score: 0' })).toBeVisible();
	const counts = staff.getByRole('region', { name: 'Participation' });
	await expect(counts.getByRole('definition').first()).toHaveText('1'); // Ideas
	const weeks = staff.getByRole('region', { name: 'Activity per week' });
	await expect(weeks.getByRole('img', { name: /Acts per week/ })).toBeVisible();
	await weeks.getByText('Show table').click();
	await expect(staff.getByRole('table', { name: 'Acts per week, oldest first' })).toBeVisible();
	// The author's idea and their own vote on it, newest first.
	const timeline = staff.getByRole('region', { name: 'Timeline' });
	await expect(timeline.getByRole('listitem')).toHaveCount(2);
	await expect(timeline.getByRole('listitem').filter({ hasText: 'Posted the idea' })).toContainText(
		title
	);
	await timeline.getByRole('link', { name: title }).first().click();
	await expect(staff.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await visit(staff, `/staff/customers/${member.handle}`);
	await staff.screenshot({ path: '/tmp/advocacy-customer.png', fullPage: true });
	await context.close();
});

test('a member signs up through another’s referral link and the referrer sees the credit @js-only', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	const referrer = newPerson('referrer');
	const friend = newPerson('friend');
	await signUp(page, referrer);
	await visit(page, '/settings');
	await expect(page.getByText('Nobody has joined through your link yet.')).toBeVisible();
	const link = await page.getByLabel('Your referral link').inputValue();
	expect(link).toMatch(/\/join\/[A-Za-z0-9_-]{16}$/);

	const context = await browser.newContext({
		javaScriptEnabled: test.info().project.use.javaScriptEnabled !== false
	});
	const other = await context.newPage();
	await signUpThrough(other, new URL(link).pathname, friend, referrer.displayName);
	await context.close();

	await visit(page, '/settings');
	await expect(page.getByText('1 person has joined through your link')).toBeVisible();
	await expect(page.getByRole('link', { name: friend.displayName })).toBeVisible();
	await visit(page, `/people/${referrer.handle}`);
	await expect(page.getByText('Points this month')).toBeVisible();
	await expect(page.locator('.counts dd').nth(2)).toHaveText('25');
	await visit(page, '/leaderboard');
	const row = page.getByRole('row').filter({ hasText: referrer.displayName });
	await expect(row.getByRole('cell').last()).toHaveText('25');

	// Opting out takes them off the leaderboard.
	await page.goto('/settings');
	await page.getByLabel('No, leave me off').check();
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByText('Saved.')).toBeVisible();
	await visit(page, '/leaderboard');
	await expect(page.getByRole('row').filter({ hasText: referrer.displayName })).toHaveCount(0);
});

test('a member downloads their own data, and nothing staff-only reaches their pages @js-only', async ({
	page,
	browser
}) => {
	test.setTimeout(150_000);
	const product = await createProductAsAdmin(browser, 'Export');
	const member = newPerson('exporter');
	const stamp = Date.now().toString(36);
	const title = `Exported idea ${stamp}`;
	const note = `Zzinternal note ${stamp}: renewal at risk`;
	await signUp(page, member);
	await postIdea(page, { title, body: 'Keep my words.', product });
	const ideaPath = new URL(page.url()).pathname;
	await addInternalNote(browser, ideaPath, note);

	await visit(page, '/settings');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Download my data' }).click()
	]);
	expect(download.suggestedFilename()).toMatch(new RegExp(`^${member.handle}-data-.*\\.json$`));
	const text = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
	const data = JSON.parse(text);
	expect(data.profile).toMatchObject({ handle: member.handle, email: member.email });
	expect(data.ideas.map((i: { title: string }) => i.title)).toEqual([title]);
	expect(data.votes.map((v: { title: string }) => v.title)).toEqual([title]);

	// Every page the member loads about themself, and the export, is free of staff-only data.
	const pages: Record<string, string> = { export: text };
	for (const path of [ideaPath, `/people/${member.handle}`, '/settings', '/leaderboard']) {
		await visit(page, path);
		pages[path] = await page.content();
	}
	await expect(page.getByRole('heading', { name: 'Leaderboard', level: 1 })).toBeVisible();
	await page.goto(`/people/${member.handle}`);
	await expect(page.getByRole('heading', { name: 'My activity' })).toBeVisible();
	await expect(page.getByText('Posted the idea')).toBeVisible();
	await page.screenshot({ path: '/tmp/advocacy-profile.png', fullPage: true });
	for (const [where, html] of Object.entries(pages)) {
		for (const secret of [note, 'Zzinternal', ADMIN.email, 'Advocacy', 'Tier']) {
			expect(html, `${secret} in ${where}`).not.toContain(secret);
		}
	}
});
