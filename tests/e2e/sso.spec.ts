import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, newPerson, signIn, signOut, signUp, visit } from './fixtures';

/** At the run's identity provider (tests/e2e/oidc-provider.js): say who you are, approve. */
async function approveAtProvider(
	page: Page,
	person: { email: string; name?: string; username?: string; verified?: boolean }
) {
	await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
	await page.getByLabel('Email', { exact: true }).fill(person.email);
	await page.getByLabel('Name', { exact: true }).fill(person.name ?? '');
	await page.getByLabel('Username', { exact: true }).fill(person.username ?? '');
	await page.getByLabel('Email verified').setChecked(person.verified ?? true);
	await page.getByRole('button', { name: 'Approve' }).click();
}

test('a visitor signs up through the identity provider, sees it in settings and signs in with it again', async ({
	page
}) => {
	const person = newPerson('sso');
	await visit(page, '/login');
	await page.getByRole('link', { name: 'Continue with Acme SSO' }).click();
	await approveAtProvider(page, {
		email: person.email,
		name: person.displayName,
		username: person.handle
	});
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		`Welcome back, ${person.displayName}`
	);

	await visit(page, '/settings');
	const methods = page.getByRole('region', { name: 'Ways to sign in' });
	await expect(methods.getByText('Acme SSO', { exact: true })).toBeVisible();
	await expect(methods.getByText(person.email)).toBeVisible();
	await expect(methods.getByText('not set yet')).toBeVisible();
	// Its only way in: no unlink button until a password exists.
	await expect(methods.getByRole('button', { name: 'Unlink Acme SSO' })).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'Set a password' })).toBeVisible();
	await page.screenshot({ path: '/tmp/sso-settings.png', fullPage: true });

	await page.goto('/');
	await signOut(page);
	await page.goto('/login');
	await page.getByRole('link', { name: 'Continue with Acme SSO' }).click();
	await approveAtProvider(page, { email: person.email, name: 'A different name' });
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		`Welcome back, ${person.displayName}`
	);
});

test('an unverified address never opens an account; its owner links and unlinks the provider from settings', async ({
	page
}) => {
	const person = newPerson('ssolink');
	await signUp(page, person);
	await signOut(page);

	await page.goto('/login');
	await page.getByRole('link', { name: 'Continue with Acme SSO' }).click();
	await approveAtProvider(page, { email: person.email, verified: false });
	await expect(page).toHaveURL(/\/login\?sso=email_unverified/);
	await expect(page.getByRole('alert')).toContainText(
		'An account with this email already exists, and Acme SSO has not verified the address.'
	);
	await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
	await expectAccessible(page);
	await page.screenshot({ path: '/tmp/sso-login-refused.png', fullPage: true });

	await signIn(page, person.email, person.password);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		`Welcome back, ${person.displayName}`
	);
	await page.goto('/settings');
	const methods = page.getByRole('region', { name: 'Ways to sign in' });
	await methods.getByRole('link', { name: 'Link Acme SSO' }).click();
	const workEmail = `work.${person.email}`;
	await approveAtProvider(page, { email: workEmail, verified: false });
	await expect(page.getByRole('status')).toHaveText(
		'Acme SSO is now linked: you can use it to sign in.'
	);
	await expect(methods.getByText(workEmail, { exact: false })).toBeVisible();
	await expectAccessible(page);

	await methods.getByRole('button', { name: 'Unlink Acme SSO' }).click();
	await expect(page.getByRole('status')).toHaveText('Acme SSO was unlinked from your account.');
	await expect(methods.getByRole('link', { name: 'Link Acme SSO' })).toBeVisible();
});
