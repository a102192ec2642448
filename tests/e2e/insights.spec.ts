// The insights dashboard end to end (staff only, so @js-only): a member's idea shows up as a new
// contributor this week; staff change the range (preset, bad and good custom dates), open a table
// and download its CSV; the page passes axe in light and dark; members are refused.
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import {
	createProductAsAdmin,
	expectAccessible,
	newPerson,
	postIdea,
	signInAsAdmin,
	signOut,
	signUp,
	visit
} from './fixtures';

test('staff read the insights, change the range, open a table and download its CSV @js-only', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	const product = await createProductAsAdmin(browser, 'Insights');
	const member = newPerson('cleo');

	await test.step('a member takes part, and may not see the insights', async () => {
		await signUp(page, member);
		await postIdea(page, {
			title: `Saved filters ${Date.now().toString(36)}`,
			body: 'Please.',
			product
		});
		const refused = await page.goto('/staff/insights');
		expect(refused?.status()).toBe(403);
		await signOut(page);
	});

	await signInAsAdmin(page);
	await visit(page, '/staff/insights');
	await expect(page.getByRole('heading', { level: 1, name: 'Insights' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Last 90 days' })).toHaveAttribute(
		'aria-current',
		'page'
	);
	const contributors = page.locator('section', {
		has: page.getByRole('heading', { name: 'Active contributors' })
	});
	await expect(
		contributors.getByRole('img', { name: /Active contributors per week/ })
	).toBeVisible();

	await test.step('change the range: a preset, then dates that cannot be used, then good ones', async () => {
		await page.getByRole('link', { name: 'Last 30 days' }).click();
		await expect(page).toHaveURL(/range=30d/);
		await expect(page.getByRole('link', { name: 'Last 30 days' })).toHaveAttribute(
			'aria-current',
			'page'
		);

		await page.getByLabel('From', { exact: true }).fill('2026-12-01');
		await page.getByLabel('To', { exact: true }).fill('2026-01-01');
		await page.getByRole('button', { name: 'Show' }).click();
		await expect(page.getByText('The start date must be on or before the end date.')).toBeVisible();
		await expect(page.getByLabel('From', { exact: true })).toHaveAttribute('aria-invalid', 'true');
		await expectAccessible(page);

		const today = new Date().toISOString().slice(0, 10);
		const start = new Date(Date.now() - 13 * 86_400_000).toISOString().slice(0, 10);
		await page.getByLabel('From', { exact: true }).fill(start);
		await page.getByLabel('To', { exact: true }).fill(today);
		await page.getByRole('button', { name: 'Show' }).click();
		await expect(page).toHaveURL(new RegExp(`from=${start}&to=${today}`));
		await expect(page.getByText('The start date must be on or before')).toHaveCount(0);
	});

	await test.step('open the contributors table: the member counts as new this week', async () => {
		await contributors.getByText('Show table').click();
		const table = contributors.getByRole('table', { name: 'Active contributors per week' });
		await expect(table).toBeVisible();
		const thisWeek = table.getByRole('row').last();
		// Columns: week, contributors, new, returning. At least the member is new this week.
		const newCount = Number(await thisWeek.getByRole('cell').nth(1).textContent());
		expect(newCount).toBeGreaterThanOrEqual(1);
		await expectAccessible(page);
		await page.emulateMedia({ colorScheme: 'dark' });
		await expectAccessible(page);
		await page.emulateMedia({ colorScheme: 'light' });
	});

	await test.step('download the contributors CSV', async () => {
		const downloading = page.waitForEvent('download');
		await contributors.getByRole('link', { name: 'Download contributors (CSV)' }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toMatch(/^insights-contributors-.*\.csv$/);
		const text = fs.readFileSync((await download.path())!, 'utf8');
		const lines = text.trim().split('\r\n');
		expect(lines[0]).toBe('week_start,contributors,new,returning');
		expect(lines.length).toBeGreaterThanOrEqual(3);
		const last = lines[lines.length - 1]!.split(',');
		expect(Number(last[2])).toBeGreaterThanOrEqual(1);
	});
});
