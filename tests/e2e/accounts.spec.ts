import { expect, test } from '@playwright/test';
import {
	expectAccessible,
	newPerson,
	signIn,
	readOutbox,
	signOut,
	signUp,
	visit
} from './fixtures';

test('a visitor signs up, signs out and signs in again by handle and by email', async ({
	page
}) => {
	const person = newPerson('ada');
	await visit(page, '/');
	await signUp(page, person);
	await expectAccessible(page);
	await expect(page.locator('summary')).toContainText(person.displayName);

	await signOut(page);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Help shape what we build');

	await visit(page, '/login');
	await signIn(page, person.handle.toUpperCase(), person.password);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		`Welcome back, ${person.displayName}`
	);
	await signOut(page);
	await signIn(page, person.email, person.password);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		`Welcome back, ${person.displayName}`
	);
});

test('sign-up explains what is wrong and creates nothing', async ({ page }) => {
	const person = newPerson('bad');
	await page.goto('/signup');
	await page.getByLabel('Email').fill(person.email);
	await page.getByLabel('Handle').fill(person.handle);
	await page.getByLabel('Display name').fill(person.displayName);
	await page.getByLabel('Password').fill('password123');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByText('This password is one of the most common ones')).toBeVisible();
	await expect(page.getByLabel('Email')).toHaveValue(person.email);
	await expectAccessible(page);

	await signIn(page, person.email, 'password123');
	await expect(page.getByRole('alert')).toHaveText(
		'That email or handle and password do not match an account.'
	);
});

test('a taken email or handle is refused', async ({ page }) => {
	const person = newPerson('twin');
	await signUp(page, person);
	await signOut(page);
	await page.goto('/signup');
	await page.getByLabel('Email').fill(person.email.toUpperCase());
	await page.getByLabel('Handle').fill(person.handle.toUpperCase());
	await page.getByLabel('Display name').fill('Someone Else');
	await page.getByLabel('Password').fill('an entirely different phrase');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByText('An account with this email already exists')).toBeVisible();
	await expect(page.getByText('This handle is taken')).toBeVisible();
});

test('a wrong password is refused, and repeated failures lock the account for a while', async ({
	page
}) => {
	const person = newPerson('lock');
	await signUp(page, person);
	await signOut(page);

	await visit(page, '/login');
	await signIn(page, person.handle, 'not the right password');
	await expect(page.getByRole('alert')).toHaveText(
		'That email or handle and password do not match an account.'
	);
	await expect(page.getByLabel('Email or handle')).toHaveValue(person.handle);
	await expectAccessible(page);

	for (let attempt = 2; attempt <= 5; attempt++) {
		await signIn(page, person.handle, `wrong password ${attempt}`);
	}
	await expect(page.getByRole('alert')).toContainText('Too many failed sign-in attempts.');
	// Locked: even the right password is refused until the window passes.
	await signIn(page, person.handle, person.password);
	await expect(page.getByRole('alert')).toHaveText(
		/Too many failed sign-in attempts\. Try again in \d+ minutes\./
	);
	await expect(page.locator('summary')).toHaveCount(0);
});

test('a forgotten password is reset with the emailed link, once', async ({ page, browser }) => {
	const person = newPerson('reset');
	await signUp(page, person);
	await signOut(page);

	await visit(page, '/login');
	await page.getByRole('link', { name: 'Forgot your password?' }).click();
	await expectAccessible(page);
	await page.getByLabel('Email').fill(person.email);
	await page.getByRole('button', { name: 'Send the link' }).click();
	await expect(page.getByText(`If an account uses ${person.email}`)).toBeVisible();

	// No SMTP server in this run: the message waits in the outbox, which admins can read. It is
	// sent from the job queue, so it may take a moment to arrive.
	const [message] = await readOutbox(browser, person.email);
	const link = /https?:\/\/\S+\/reset-password\/\S+/.exec(message?.text ?? '')?.[0];
	expect(link, 'reset link in the outbox').toBeTruthy();

	const newPassword = 'a brand new phrase for reset';
	await page.goto(new URL(link!).pathname);
	await expectAccessible(page);
	await page.getByLabel('New password').fill(newPassword);
	await page.getByRole('button', { name: 'Set the new password' }).click();
	await expect(
		page.getByText('Your password was changed. Sign in with the new one.')
	).toBeVisible();

	await signIn(page, person.email, person.password);
	await expect(page.getByRole('alert')).toHaveText(
		'That email or handle and password do not match an account.'
	);
	await signIn(page, person.email, newPassword);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		`Welcome back, ${person.displayName}`
	);

	await page.goto(new URL(link!).pathname);
	await expect(page.getByText('This link has expired or was already used.')).toBeVisible();
});

test('changing the password signs out other devices but not this one', async ({
	page,
	browser
}) => {
	const person = newPerson('change');
	await signUp(page, person);
	const otherContext = await browser.newContext();
	const other = await otherContext.newPage();
	await signIn(other, person.handle, person.password);
	await expect(other.locator('summary')).toContainText(person.displayName);

	await visit(page, '/settings');
	await expect(page.getByText('This device')).toBeVisible();
	await page.getByLabel('Current password').fill('not my password at all');
	await page.getByLabel('New password').fill('another sturdy passphrase');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByText('That is not your current password.')).toBeVisible();

	await page.getByLabel('Current password').fill(person.password);
	await page.getByLabel('New password').fill('another sturdy passphrase');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByText('Your password was changed.')).toBeVisible();
	await expectAccessible(page);

	await page.goto('/');
	await expect(page.locator('summary')).toContainText(person.displayName);
	await other.goto('/');
	await expect(other.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
	await otherContext.close();
});

test('"sign out everywhere" ends every session', async ({ page, browser }) => {
	const person = newPerson('every');
	await signUp(page, person);
	const otherContext = await browser.newContext();
	const other = await otherContext.newPage();
	await signIn(other, person.email, person.password);
	await expect(other.locator('summary')).toContainText(person.displayName);

	await page.goto('/settings');
	await page.getByRole('button', { name: 'Sign out everywhere' }).click();
	await expect(page.getByText('You were signed out on every device.')).toBeVisible();
	await other.goto('/settings');
	await expect(other).toHaveURL(/\/login\?next=%2Fsettings/);
	await otherContext.close();
});
