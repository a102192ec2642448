// Email preferences end to end (JavaScript on and off): a member changes which emails they get;
// a mention emailed through the job queue (to the outbox: no SMTP server in e2e) carries a
// one-click unsubscribe link that works without signing in, by the page and by an RFC 8058 POST;
// a forged link is refused.
import { expect, test, type Page } from '@playwright/test';
import {
	createProductAsAdmin,
	expectAccessible,
	newPerson,
	postIdea,
	readOutbox,
	signIn,
	signOut,
	signUp,
	visit
} from './fixtures';

const checkbox = (page: Page, label: string) =>
	page.getByRole('checkbox', { name: label, exact: true });

test('a member chooses which emails they get', async ({ page }) => {
	const member = newPerson('prefs');
	await signUp(page, member);
	await visit(page, '/settings');
	await page.getByRole('link', { name: 'email preferences' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Email notifications');
	await visit(page, '/settings/notifications');

	// The defaults: what is addressed to you right away, comments on followed ideas in the digest.
	for (const label of ['Status changes', 'Official replies', 'Replies', 'Mentions']) {
		await expect(checkbox(page, label)).toBeChecked();
	}
	await expect(checkbox(page, 'Comments on ideas you follow')).not.toBeChecked();
	await expect(page.getByRole('radio', { name: 'Send me the weekly digest' })).toBeChecked();

	await checkbox(page, 'Mentions').uncheck();
	await checkbox(page, 'Comments on ideas you follow').check();
	await page.getByRole('radio', { name: 'No digest' }).check();
	await page.getByRole('button', { name: 'Save preferences' }).click();
	await expect(page.getByRole('status')).toHaveText('Your email preferences were saved.');
	// The saved choices stay on the form after saving, and after a fresh load.
	await expect(checkbox(page, 'Mentions')).not.toBeChecked();
	await visit(page, '/settings/notifications');
	await expect(checkbox(page, 'Mentions')).not.toBeChecked();
	await expect(checkbox(page, 'Replies')).toBeChecked();
	await expect(checkbox(page, 'Comments on ideas you follow')).toBeChecked();
	await expect(page.getByRole('radio', { name: 'No digest' })).toBeChecked();

	// Signed out, the page sends you to sign in.
	await signOut(page);
	await page.goto('/settings/notifications');
	await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Fnotifications/);
});

test('an emailed unsubscribe link works in one click, without signing in', async ({
	page,
	browser,
	request
}) => {
	test.setTimeout(120_000);
	const product = await createProductAsAdmin(browser, 'Email');
	const ada = newPerson('ada');
	const bob = newPerson('bob');
	const title = `Keyboard shortcuts ${Date.now().toString(36)}`;

	await signUp(page, ada);
	await postIdea(page, { title, body: 'J and K to move between ideas.', product });
	const ideaPath = new URL(page.url()).pathname;
	await signOut(page);

	await signUp(page, bob);
	await page.goto(ideaPath);
	await page.getByLabel('Your comment').fill(`Yes please, @${ada.handle}: and ? for help.`);
	await page.getByRole('button', { name: 'Post comment' }).click();
	await expect(page.getByRole('article', { name: `${bob.displayName}'s comment` })).toBeVisible();
	await signOut(page);

	// The mention email, from the outbox.
	const [mail] = await readOutbox(browser, ada.email);
	expect(mail!.subject).toBe(`${bob.displayName} mentioned you on “${title}”`);
	expect(mail!.text).toContain(`${ideaPath}#comment-`);
	expect(mail!.text).toMatch(/Email preferences: http:\/\/\S+\/settings\/notifications/);
	const link = /Unsubscribe from these emails: (\S+)/.exec(mail!.text)?.[1];
	expect(link, 'unsubscribe link in the email').toMatch(/\/unsubscribe\/\d+\.mention\.[\w-]{43}$/);
	const unsubscribePath = new URL(link!).pathname;

	// Not signed in: the link asks first (a GET changes nothing), then one click unsubscribes.
	await visit(page, unsubscribePath);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Unsubscribe');
	await expect(page.getByText('Stop emails for: mentions?')).toBeVisible();
	await page.getByRole('button', { name: 'Unsubscribe' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('You are unsubscribed');
	await expect(page.getByRole('status')).toHaveText('You will get no more emails for: mentions.');
	await expectAccessible(page);

	await signIn(page, ada.email, ada.password);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		`Welcome back, ${ada.displayName}`
	);
	await visit(page, '/settings/notifications');
	await expect(checkbox(page, 'Mentions')).not.toBeChecked();
	await expect(checkbox(page, 'Replies')).toBeChecked();

	// Turned back on, then off again the way a mail provider does it (RFC 8058): a POST from
	// its own server, with no Origin and no session.
	await checkbox(page, 'Mentions').check();
	await page.getByRole('button', { name: 'Save preferences' }).click();
	await expect(page.getByRole('status')).toHaveText('Your email preferences were saved.');
	const oneClick = await request.post(unsubscribePath, {
		form: { 'List-Unsubscribe': 'One-Click' }
	});
	expect(oneClick.status()).toBe(200);
	await page.goto('/settings/notifications');
	await expect(checkbox(page, 'Mentions')).not.toBeChecked();

	// A cross-site form post anywhere else is still refused.
	const elsewhere = await request.post('/settings/notifications', {
		form: { digest: 'off' },
		headers: { Origin: 'https://evil.example' }
	});
	expect(elsewhere.status()).toBe(403);

	// A forged link: a clear 400, nothing changed.
	const forged = unsubscribePath.replace('.mention.', '.reply.');
	const response = await page.goto(forged);
	expect(response?.status()).toBe(400);
	await expect(page.getByText('This unsubscribe link is not valid')).toBeVisible();
	const forgedPost = await request.post(forged, { form: { 'List-Unsubscribe': 'One-Click' } });
	expect(forgedPost.status()).toBe(400);
	await page.goto('/settings/notifications');
	await expect(checkbox(page, 'Replies')).toBeChecked();
});
