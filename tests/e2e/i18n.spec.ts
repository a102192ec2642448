// The interface language: the browser's Accept-Language for visitors, a visitor's choice in the
// footer, a member's saved setting on every device; an unknown code changes nothing.
import { expect, test } from '@playwright/test';
import { expectAccessible, newPerson, ORIGIN, signIn, signUp } from './fixtures';

test.describe('a German browser', () => {
	test.use({ locale: 'de-DE' });

	test('gets German, and a visitor can switch to English', async ({ page }) => {
		await page.goto('/ideas');
		await expect(page.locator('html')).toHaveAttribute('lang', 'de');
		const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
		await expect(nav.getByRole('link', { name: 'Ideen' })).toBeVisible();
		await expectAccessible(page);

		const footer = page.getByRole('contentinfo');
		await footer.getByLabel('Sprache').selectOption('en');
		await footer.getByRole('button', { name: 'Sprache ändern' }).click();
		await expect(page).toHaveURL(/\/ideas$/);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Ideas');

		// Kept for the visitor on the next page too; "Browser default" goes back to German.
		await page.goto('/discussions');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await page.getByRole('contentinfo').getByLabel('Language').selectOption('');
		await page.getByRole('contentinfo').getByRole('button', { name: 'Change language' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'de');
	});

	test('the public pages read in German and stay accessible @js-only', async ({ page }) => {
		const pages: [string, string][] = [
			['/ideas', 'Ideen'],
			['/discussions', 'Diskussionen'],
			['/products', 'Produkte'],
			['/challenges', 'Challenges'],
			['/testimonials', 'Kundenstimmen'],
			['/leaderboard', 'Bestenliste'],
			['/login', 'Anmelden'],
			['/no/such/page', 'Seite nicht gefunden']
		];
		for (const [path, heading] of pages) {
			await page.goto(path);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
			await expect(page.getByRole('contentinfo')).toContainText('Community und Co-Creation');
			await expectAccessible(page);
		}
	});
});

test('a member’s language follows them to another browser', async ({ page, browser }) => {
	const person = newPerson('sprache');
	await signUp(page, person);
	await page.goto('/settings');
	const section = page.getByRole('region', { name: 'Language' });
	await section.getByLabel('Language').selectOption('de');
	await section.getByRole('button', { name: 'Change language' }).click();
	await expect(page).toHaveURL(/\/settings$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');
	await expect(page.getByRole('region', { name: 'Sprache' }).getByLabel('Sprache')).toHaveValue(
		'de'
	);
	await expectAccessible(page);

	// An English browser elsewhere: German once signed in, English again after signing out.
	const context = await browser.newContext({ locale: 'en-US' });
	const other = await context.newPage();
	await signIn(other, person.email, person.password);
	await expect(other.locator('html')).toHaveAttribute('lang', 'de');
	await expect(other.getByRole('link', { name: 'Einstellungen', includeHidden: true })).toHaveCount(
		1
	);
	await other.locator('summary', { hasText: 'Kontomenü' }).click();
	await other.getByRole('button', { name: 'Abmelden' }).click();
	await expect(other.locator('html')).toHaveAttribute('lang', 'en');
	await context.close();
});

test('an unknown language code is refused and changes nothing', async ({ page }) => {
	await page.goto('/language');
	const response = await page.request.post('/language', {
		form: { locale: 'xx-evil', returnTo: '/' },
		headers: { origin: ORIGIN, accept: 'text/html' }
	});
	expect(response.status()).toBe(400);
	expect(await response.text()).toContain('is not a language this site offers');
	await page.goto('/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
