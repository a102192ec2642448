// Comments end to end (JavaScript on and off): a member comments with an @mention, the idea's
// author is told, opens the notification and replies; the commenter is told, edits and deletes;
// a visitor is sent to sign in and back; staff answers are marked official.
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

/** A <details> summary (reply, edit, delete), by its full text including the screen-reader part. */
const disclosure = (page: Page, text: string) => page.locator('summary').filter({ hasText: text });

const notificationsLink = (page: Page, unread: number) =>
	page.getByRole('link', {
		name: unread > 0 ? `Notifications, ${unread} unread` : 'Notifications',
		exact: true
	});

test('comment, mention, reply, notifications, edit and delete', async ({ page, browser }) => {
	// Four people sign in (argon2) and axe checks ten pages: more than the default minute.
	test.setTimeout(120_000);
	const product = await createProductAsAdmin(browser, 'Comments');
	const ada = newPerson('ada');
	const bob = newPerson('bob');
	const title = `Saved filters ${Date.now().toString(36)}`;
	let ideaPath = '';
	const bobsComment = page.getByRole('article', { name: `${bob.displayName}'s comment` });
	const mention = page.getByRole('link', {
		name: `${bob.displayName} mentioned you in a comment on “${title}”`
	});

	await test.step('Ada posts an idea', async () => {
		await signUp(page, ada);
		await postIdea(page, {
			title,
			body: 'I apply the same five filters every morning.',
			product
		});
		ideaPath = new URL(page.url()).pathname;
		await signOut(page);
	});

	await test.step('Bob comments and mentions Ada', async () => {
		await signUp(page, bob);
		await visit(page, ideaPath);
		await expect(page.getByRole('heading', { name: 'Comments (0)' })).toBeVisible();
		await page
			.getByLabel('Your comment')
			.fill(`Count me in, @${ada.handle}: could filters be **shared** too?`);
		await page.getByRole('button', { name: 'Post comment' }).click();
		await expect(bobsComment).toContainText('could filters be shared too?');
		await expect(bobsComment.getByRole('link', { name: `@${ada.handle}` })).toHaveAttribute(
			'href',
			`/people/${ada.handle.toLowerCase()}`
		);
		await expect(page.getByRole('heading', { name: 'Comments (1)' })).toBeVisible();
		await signOut(page);
	});

	await test.step('a visitor reads it; commenting sends them to sign in and back', async () => {
		await visit(page, ideaPath);
		await expect(bobsComment).toBeVisible();
		await expect(page.getByLabel('Your comment')).toHaveCount(0);
		const signInToComment = page.getByRole('link', { name: 'Sign in to comment' });
		await expect(signInToComment).toHaveAttribute(
			'href',
			`/login?next=${encodeURIComponent(ideaPath)}`
		);
		await signInToComment.click();
		await expect(page).toHaveURL(/\/login\?next=/);
		await page.getByLabel('Email or handle').fill(ada.email);
		await page.getByLabel('Password').fill(ada.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL(new RegExp(`${ideaPath}$`));
	});

	await test.step('Ada sees the mention in the header and inbox and opens it', async () => {
		await expect(notificationsLink(page, 1)).toBeVisible();
		await visit(page, '/notifications');
		await expect(mention).toBeVisible();
		await expect(page.getByRole('listitem').filter({ has: mention })).toContainText('Unread');
		await mention.click();
		await expect(page).toHaveURL(new RegExp(`${ideaPath}#comment-\\d+$`));
		await expect(notificationsLink(page, 0)).toBeVisible();
	});

	await test.step('Ada replies to Bob', async () => {
		await disclosure(page, `Reply to ${bob.displayName}'s comment`).click();
		await page
			.getByLabel(`Your reply to ${bob.displayName}'s comment`)
			.fill('Shared filters are a great idea.');
		await page.getByRole('button', { name: `Post reply to ${bob.displayName}'s comment` }).click();
		const replies = page.getByRole('list', { name: `Replies to ${bob.displayName}'s comment` });
		await expect(
			replies.getByRole('article', { name: `${ada.displayName}'s comment` })
		).toContainText('Shared filters are a great idea.');
		await expect(page.getByRole('heading', { name: 'Comments (2)' })).toBeVisible();
		await visit(page, ideaPath);
		await signOut(page);
	});

	await test.step('Bob is told about the reply and marks all read', async () => {
		await signInAs(page, bob);
		await expect(notificationsLink(page, 1)).toBeVisible();
		await visit(page, '/notifications');
		await expect(
			page.getByRole('link', { name: `${ada.displayName} replied to your comment on “${title}”` })
		).toBeVisible();
		await page.getByRole('button', { name: 'Mark all as read' }).click();
		await expect(page.getByText('Nothing unread.')).toBeVisible();
		await expect(notificationsLink(page, 0)).toBeVisible();
	});

	await test.step('Bob edits his comment: it says so', async () => {
		await visit(page, ideaPath);
		await expect(bobsComment).not.toContainText('(edited)');
		await disclosure(page, `Edit ${bob.displayName}'s comment`).click();
		await bobsComment.getByLabel('Edit your comment').fill('Count me in: shared filters, please.');
		await bobsComment
			.getByRole('button', { name: `Save changes to ${bob.displayName}'s comment` })
			.click();
		await expect(bobsComment).toContainText('shared filters, please.');
		await expect(bobsComment).toContainText('(edited)');
	});

	await test.step("Bob deletes it: the words go, Ada's reply stays", async () => {
		await disclosure(page, `Delete ${bob.displayName}'s comment`).click();
		await page.getByRole('button', { name: `Yes, delete ${bob.displayName}'s comment` }).click();
		const deleted = page.getByRole('article', { name: 'deleted comment' });
		await expect(deleted).toContainText('[deleted]');
		await expect(deleted).not.toContainText('shared filters');
		await expect(page.getByText('Shared filters are a great idea.')).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Comments (1)' })).toBeVisible();
		await visit(page, ideaPath);
		await signOut(page);
	});

	await test.step("Ada's inbox still lists the mention, of a deleted comment", async () => {
		await signInAs(page, ada);
		await visit(page, '/notifications');
		await expect(page.getByRole('listitem').filter({ has: mention })).toContainText(
			'(comment deleted)'
		);
		await signOut(page);
	});

	await test.step('staff answers are official', async () => {
		await signInAsAdmin(page);
		await visit(page, ideaPath);
		await page.getByLabel('Your comment').fill('We are looking into saved filters.');
		await page.getByRole('button', { name: 'Post comment' }).click();
		const answer = page.getByRole('article', { name: `${ADMIN.displayName}'s comment` });
		await expect(answer).toContainText('We are looking into saved filters.');
		await expect(answer.getByText('Official', { exact: true })).toBeVisible();
	});
});

async function signInAs(page: Page, person: Person): Promise<void> {
	await signIn(page, person.email, person.password);
	await expect(
		page.getByRole('heading', { name: `Welcome back, ${person.displayName}` })
	).toBeVisible();
}
