// Voting and following on an idea's page, with JavaScript on and off: vote, give an importance,
// take the vote back, follow and unfollow; a visitor signs in to vote and comes back.
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	createProductAsAdmin,
	expectAccessible,
	newPerson,
	postIdea,
	signUp,
	visit,
	type Person
} from './fixtures';

/** A title no other test uses, so the page's heading names this idea only. */
const uniqueTitle = (words: string) => `${words} ${Math.random().toString(36).slice(2, 8)}`;

/** A new member posts an idea under `product`; returns the idea's path and its author. */
async function postNewIdea(
	browser: Browser,
	product: string,
	title: string
): Promise<{ path: string; author: Person }> {
	const author = newPerson('author');
	const context = await browser.newContext();
	const page = await context.newPage();
	await signUp(page, author);
	await postIdea(page, {
		title,
		body: 'Every Monday we copy the board into a spreadsheet.',
		product
	});
	const path = new URL(page.url()).pathname;
	await context.close();
	return { path, author };
}

const voteButton = (page: Page) => page.getByRole('button', { name: 'Vote', exact: true });
const followButton = (page: Page) => page.getByRole('button', { name: 'Follow', exact: true });
// Scoped to the vote panel: the similar-ideas list on the page shows vote counts too.
const voteCount = (page: Page, text: string) =>
	page.locator('.vote-panel').getByText(text, { exact: true });

test('a member votes, gives an importance, takes the vote back, and follows and unfollows', async ({
	page,
	browser
}) => {
	test.slow();
	const product = await createProductAsAdmin(browser, 'Voting');
	const title = uniqueTitle('Export the roadmap as CSV');
	const { path, author } = await postNewIdea(browser, product, title);

	const voter = newPerson('voter');
	await signUp(page, voter);
	await visit(page, path);
	await expect(voteCount(page, '1 vote')).toBeVisible();
	await expect(page.getByText(`Voted by ${author.displayName}`, { exact: true })).toBeVisible();
	await expect(voteButton(page)).toHaveAttribute('aria-pressed', 'false');
	await expect(followButton(page)).toHaveAttribute('aria-pressed', 'false');

	// Voting counts the vote and follows the idea.
	await voteButton(page).click();
	await expect(voteCount(page, '2 votes')).toBeVisible();
	await expect(voteButton(page)).toHaveAttribute('aria-pressed', 'true');
	await expect(page.getByText('You voted', { exact: true })).toBeVisible();
	await expect(
		page.getByText(`Voted by ${voter.displayName} and ${author.displayName}`, { exact: true })
	).toBeVisible();
	await expect(followButton(page)).toHaveAttribute('aria-pressed', 'true');
	await expectAccessible(page);

	// The importance changes; the count does not.
	await page.getByLabel('Importance', { exact: true }).selectOption({ label: 'Critical' });
	await page.getByRole('button', { name: 'Save importance' }).click();
	await expect(page.getByText('Your vote: Critical', { exact: true })).toBeVisible();
	await expect(voteCount(page, '2 votes')).toBeVisible();
	await visit(page, path);
	await expect(page.getByText('Your vote: Critical', { exact: true })).toBeVisible();
	await expect(page.getByLabel('Importance', { exact: true })).toHaveValue('critical');

	// Taking the vote back leaves the follow as it was.
	await voteButton(page).click();
	await expect(voteCount(page, '1 vote')).toBeVisible();
	await expect(voteButton(page)).toHaveAttribute('aria-pressed', 'false');
	await expect(page.getByText('Your vote: Critical')).toBeHidden();
	await expect(followButton(page)).toHaveAttribute('aria-pressed', 'true');

	// Unfollowing is remembered: voting again does not follow again.
	await followButton(page).click();
	await expect(followButton(page)).toHaveAttribute('aria-pressed', 'false');
	await page.getByLabel('Importance (optional)').selectOption({ label: 'Nice to have' });
	await voteButton(page).click();
	await expect(voteCount(page, '2 votes')).toBeVisible();
	await expect(page.getByText('Your vote: Nice to have', { exact: true })).toBeVisible();
	await visit(page, path);
	await expect(followButton(page)).toHaveAttribute('aria-pressed', 'false');
	await followButton(page).click();
	await expect(followButton(page)).toHaveAttribute('aria-pressed', 'true');
	await expect(page.getByText('You follow this idea.')).toBeVisible();
});

test('a visitor signs in to vote or follow and comes back to the idea', async ({
	page,
	browser
}) => {
	test.slow();
	const product = await createProductAsAdmin(browser, 'Voting');
	const title = uniqueTitle('Dark mode for the changelog');
	const { path } = await postNewIdea(browser, product, title);
	const voter = newPerson('visitor');
	const context = await browser.newContext();
	await signUp(await context.newPage(), voter);
	await context.close();

	await visit(page, path);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(voteCount(page, '1 vote')).toBeVisible();
	await expect(voteButton(page)).toHaveCount(0);
	const back = `/login?next=${encodeURIComponent(path)}`;
	await expect(page.getByRole('link', { name: 'Sign in to follow' })).toHaveAttribute('href', back);

	await page.getByRole('link', { name: 'Sign in to vote' }).click();
	await expect(page).toHaveURL(back);
	await expectAccessible(page);
	await page.getByLabel('Email or handle').fill(voter.handle);
	await page.getByLabel('Password').fill(voter.password);
	await page.getByRole('button', { name: 'Sign in' }).click();

	await expect(page).toHaveURL(path);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await voteButton(page).click();
	await expect(voteCount(page, '2 votes')).toBeVisible();
});
