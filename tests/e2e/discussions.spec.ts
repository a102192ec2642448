// Discussions end to end (JavaScript on and off): an admin creates a category; a member asks a
// question with a poll and votes; another member replies, quoting; the asker sees the reply as
// new and accepts it as the answer, which tells the answerer. A moderator locks a thread and a
// reply is refused; a member cannot use the thread tools; a second ballot is refused.
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	ORIGIN,
	expectAccessible,
	newPerson,
	signIn,
	signInAsAdmin,
	signOut,
	signUp,
	visit,
	type Person
} from './fixtures';

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

/** Creates a discussion category on an admin's page; returns its name. */
async function createCategoryAs(admin: Page): Promise<string> {
	const name = `Help ${unique()}`;
	await visit(admin, '/admin/categories');
	await admin.getByLabel('Name', { exact: true }).last().fill(name);
	await admin.getByLabel('Description').last().fill('Ask the community.');
	await admin.getByRole('button', { name: 'Create category' }).click();
	await expect(admin.getByText(`The category “${name}” was created.`)).toBeVisible();
	return name;
}

/** An admin (in a context of its own) creates a discussion category; returns its name. */
async function createCategory(browser: Browser): Promise<string> {
	const context = await browser.newContext();
	const admin = await context.newPage();
	await signInAsAdmin(admin);
	const name = await createCategoryAs(admin);
	await context.close();
	return name;
}

async function startDiscussion(
	page: Page,
	input: { category: string; title: string; body: string; question?: boolean; poll?: string[] }
): Promise<string> {
	await visit(page, '/discussions/new');
	await page.getByLabel('Category').selectOption({ label: input.category });
	await page.getByLabel('Title').fill(input.title);
	await page.getByLabel('What do you want to discuss?').fill(input.body);
	if (input.question) {
		await page.getByLabel('This is a question').check();
	}
	if (input.poll) {
		await page.getByLabel('Poll question').fill(input.poll[0]!);
		await page.getByLabel('Options, one per line').fill(input.poll.slice(1).join('\n'));
	}
	await page.getByRole('button', { name: 'Start the discussion' }).click();
	await expect(page.getByRole('heading', { level: 1, name: input.title })).toBeVisible();
	return new URL(page.url()).pathname;
}

/** Signs in and waits until it took (the fixture only clicks, and a navigation would cancel it). */
async function signInAs(page: Page, person: Person) {
	await signIn(page, person.email, person.password);
	await expect(
		page.getByRole('heading', { level: 1, name: `Welcome back, ${person.displayName}` })
	).toBeVisible();
}

async function reply(page: Page, body: string) {
	await page.getByLabel('Write a reply').fill(body);
	await page.getByRole('button', { name: 'Post reply' }).click();
}

test('a member asks with a poll, votes, gets a quoted reply and accepts it', async ({
	page,
	browser
}) => {
	test.setTimeout(150_000);
	const category = await createCategory(browser);
	const ada: Person = newPerson('asker');
	const bob: Person = newPerson('answerer');
	const title = `How do I share a dashboard ${unique()}?`;
	let path = '';

	await test.step('Ada starts a question with a poll and votes', async () => {
		await signUp(page, ada);
		await visit(page, '/discussions');
		await page.getByRole('link', { name: 'Start a discussion' }).click();
		path = await startDiscussion(page, {
			category,
			title,
			body: 'Our agency needs to **see** the funnel without an account.',
			question: true,
			poll: ['How do you share today?', 'PDF by mail', 'Screenshots', 'We do not']
		});
		await expect(page.getByText('Question', { exact: true })).toBeVisible();
		await expect(page.getByText('No answer accepted yet.')).toBeVisible();
		await expect(page.getByText('Results show once you have voted.')).toBeVisible();
		const otherOption = await page.getByLabel('Screenshots').getAttribute('value');
		await page.getByLabel('PDF by mail').check();
		await page.getByRole('button', { name: 'Vote', exact: true }).click();
		const results = page.getByRole('list', { name: 'Results' });
		await expect(results).toContainText(/PDF by mail\s*\(your choice\)\s*1 vote, 100%/);
		await expect(results).toContainText(/Screenshots\s*0 votes, 0%/);
		await expect(page.getByRole('button', { name: 'Vote', exact: true })).toHaveCount(0);
		await expectAccessible(page);

		// A second ballot (a stale form, a double submit): refused, and nothing changes.
		const second = await page.request.post(`${path}?/vote`, {
			form: { option: otherOption! },
			headers: { origin: ORIGIN, accept: 'text/html' }
		});
		expect(second.status()).toBe(409);
		expect(await second.text()).toContain('You have already voted in this poll');
		await page.reload();
		await expect(page.getByText('1 member has voted.')).toBeVisible();
		await signOut(page);
	});

	await test.step('Bob sees it as new, quotes the question and replies', async () => {
		await signUp(page, bob);
		await visit(page, '/discussions');
		const row = page.getByRole('listitem').filter({ hasText: title });
		await expect(row.getByText('New', { exact: true })).toBeVisible();
		await row.getByRole('link', { name: title }).click();
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await page.getByRole('link', { name: 'Quote the question' }).click();
		await expect(page.getByLabel('Write a reply')).toHaveValue(
			new RegExp(`^@${ada.handle} wrote:\\n\\n> Our agency needs`)
		);
		const quoted = await page.getByLabel('Write a reply').inputValue();
		await reply(page, `${quoted}Use Share → Public link, read-only.`);
		const bobsReply = page.getByRole('article', { name: new RegExp(`by ${bob.displayName}$`) });
		await expect(bobsReply).toContainText('Use Share → Public link, read-only.');
		await expect(bobsReply.locator('blockquote')).toContainText('Our agency needs to see');
		await expect(page.getByRole('heading', { name: 'Replies (1)' })).toBeVisible();
		await expectAccessible(page);
		await signOut(page);
	});

	await test.step('Ada sees the new reply and accepts it as the answer', async () => {
		await signInAs(page, ada);
		await visit(page, '/discussions');
		const row = page.getByRole('listitem').filter({ hasText: title });
		await expect(row.getByText('1 new reply')).toBeVisible();
		await row.getByRole('link', { name: title }).click();
		await expect(page.getByText('New since your last visit')).toBeVisible();
		await expectAccessible(page);
		await page
			.getByRole('button', {
				name: new RegExp(`^Mark as answer Reply \\d+ by ${bob.displayName}$`)
			})
			.click();
		const answer = page.getByRole('region', { name: 'Accepted answer' });
		await expect(answer).toContainText('Use Share → Public link, read-only.');
		await expect(page.getByText('Answered question')).toBeVisible();
		// Seen now: the divider is gone on the next visit.
		await page.reload();
		await expect(page.getByText('New since your last visit')).toHaveCount(0);
		await visit(page, '/discussions');
		await expect(
			page.getByRole('listitem').filter({ hasText: title }).getByText('Answered')
		).toBeVisible();
		await signOut(page);
	});

	await test.step('Bob is told his reply was accepted', async () => {
		await signInAs(page, bob);
		await visit(page, '/notifications');
		await page
			.getByRole('link', {
				name: `${ada.displayName} accepted your reply as the answer to “${title}”`
			})
			.click();
		await expect(page).toHaveURL(new RegExp(`${path}#comment-\\d+$`));
	});
});

test('a moderator locks a thread and replies are refused; members get no thread tools @js-only', async ({
	page,
	browser
}) => {
	test.setTimeout(150_000);
	const mod = newPerson('mod');
	const member = newPerson('member');
	const title = `Release notes ${unique()}`;

	// The admin makes Mo a moderator.
	const modContext = await browser.newContext();
	const modPage = await modContext.newPage();
	await signUp(modPage, mod);
	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await signInAsAdmin(admin);
	const category = await createCategoryAs(admin);
	await admin.goto(`/admin/users?q=${mod.handle}`);
	await admin.getByLabel(`Role of @${mod.handle}`).selectOption('moderator');
	await admin.getByRole('button', { name: `Save role of @${mod.handle}` }).click();
	await expect(admin.getByText(`@${mod.handle} is now Moderator.`)).toBeVisible();
	await adminContext.close();

	await signUp(page, member);
	const path = await startDiscussion(page, {
		category,
		title,
		body: 'What should go in the next release notes?'
	});
	await expect(page.getByRole('heading', { name: 'Thread tools' })).toHaveCount(0);
	// The member forges the tool's form: refused, nothing changes.
	const forged = await page.request.post(`${path}?/tool`, {
		form: { tool: 'lock' },
		headers: { origin: ORIGIN, accept: 'text/html' }
	});
	expect(forged.status()).toBe(403);
	expect(await forged.text()).toContain('Only moderators and staff can use the thread tools.');
	await page.reload();
	await expect(page.getByText('Locked', { exact: true })).toHaveCount(0);

	await visit(modPage, path);
	await modPage.getByRole('button', { name: 'Lock the thread' }).click();
	await expect(modPage.getByText('This discussion is locked by a moderator')).toBeVisible();
	await expect(modPage.getByRole('button', { name: 'Unlock the thread' })).toBeVisible();
	await modPage.getByRole('button', { name: 'Pin the thread' }).click();
	await expect(modPage.getByText('Pinned', { exact: true })).toBeVisible();
	await expectAccessible(modPage);
	await modContext.close();

	// The member's open page still has the composer: posting is refused with a clear message.
	await reply(page, 'One more thing before it locks…');
	await expect(
		page.getByText('This discussion is locked by a moderator, so it takes no new replies.')
	).toBeVisible();
	await page.reload();
	await expect(page.getByLabel('Write a reply')).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'Replies (0)' })).toBeVisible();
	await expectAccessible(page);
	await visit(page, '/discussions');
	const row = page.getByRole('listitem').filter({ hasText: title });
	await expect(row.getByText('Pinned')).toBeVisible();
	await expect(row.getByText('Locked')).toBeVisible();
});
