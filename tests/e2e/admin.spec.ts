import { expect, test } from '@playwright/test';
import { newPerson, signInAsAdmin, signOut, signUp, visit } from './fixtures';

test('an admin makes a member staff; the member sees the new role @js-only', async ({
	page,
	browser
}) => {
	const member = newPerson('promo');
	const memberContext = await browser.newContext();
	const memberPage = await memberContext.newPage();
	await signUp(memberPage, member);

	await signInAsAdmin(page);
	await visit(page, `/admin/users?q=${member.handle}`);
	await expect(page.getByRole('cell', { name: member.email })).toBeVisible();
	await page.getByLabel(`Role of @${member.handle}`).selectOption('staff');
	await page.getByRole('button', { name: `Save role of @${member.handle}` }).click();
	await expect(page.getByText(`@${member.handle} is now Staff.`)).toBeVisible();

	await memberPage.goto('/');
	await expect(memberPage.locator('summary')).toContainText('Staff');
	await memberContext.close();
});

test('members cannot open the admin area; visitors are asked to sign in', async ({ page }) => {
	const response = await page.goto('/admin/users');
	expect(response?.url()).toContain('/login?next=%2Fadmin%2Fusers');

	await signUp(page, newPerson('nosy'));
	const forbidden = await page.goto('/admin/users');
	expect(forbidden?.status()).toBe(403);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not allowed');
	await signOut(page);
});
