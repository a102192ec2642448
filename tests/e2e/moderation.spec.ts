// Moderation end to end (JavaScript on and off): members flag an idea, it reaches the review
// queue, a moderator hides it with a reason and its author sees why; a moderator suspends a
// member, who sees the banner and cannot post. Every page passes axe.
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	ORIGIN,
	createProductAsAdmin,
	expectAccessible,
	newPerson,
	postIdea,
	signInAsAdmin,
	signUp,
	visit,
	type Person
} from './fixtures';

const disclosure = (page: Page, text: string) => page.locator('summary').filter({ hasText: text });

/** A page for a new person, signed up in a context of its own. */
async function personPage(
	browser: Browser,
	label: string
): Promise<{ page: Page; person: Person }> {
	const context = await browser.newContext({
		javaScriptEnabled: test.info().project.use.javaScriptEnabled !== false
	});
	const page = await context.newPage();
	const person = newPerson(label);
	await signUp(page, person);
	return { page, person };
}

/** The e2e admin makes `person` a moderator at /admin/users. */
async function makeModerator(browser: Browser, person: Person): Promise<void> {
	const context = await browser.newContext();
	const admin = await context.newPage();
	await signInAsAdmin(admin);
	await admin.goto(`/admin/users?q=${person.handle}`);
	await admin.getByLabel(`Role of @${person.handle}`).selectOption('moderator');
	await admin.getByRole('button', { name: `Save role of @${person.handle}` }).click();
	await expect(admin.getByText(`@${person.handle} is now Moderator.`)).toBeVisible();
	await context.close();
}

async function flagIdea(page: Page, path: string, reason: string, note = ''): Promise<void> {
	await page.goto(path);
	await disclosure(page, 'Flag this idea').click();
	await page.getByLabel(reason).check();
	if (note) {
		await page.getByLabel(/Note for the moderators/).fill(note);
	}
	await page.getByRole('button', { name: 'Flag this idea' }).click();
}

test('members flag an idea, a moderator hides it with a reason, the author sees why', async ({
	page,
	browser
}) => {
	// Five people sign up (argon2) and axe checks several pages.
	test.setTimeout(180_000);
	const product = await createProductAsAdmin(browser, 'Moderation');
	const author = newPerson('author');
	await signUp(page, author);
	const title = `Cheap watches ${Date.now().toString(36)}`;
	await postIdea(page, { title, body: 'Buy cheap watches at our shop.', product });
	const path = new URL(page.url()).pathname;

	// Two members flag it; the second forgets the note "Something else" needs, then adds it.
	const first = await personPage(browser, 'flagger');
	await flagIdea(first.page, path, 'Spam or advertising');
	await expect(first.page.getByText('Thanks: moderators will review this idea.')).toBeVisible();
	await expectAccessible(first.page);
	await first.page.goto(path);
	await expect(first.page.getByText('You flagged this idea')).toBeVisible();

	const second = await personPage(browser, 'flagger');
	await flagIdea(second.page, path, 'Something else (say what)');
	await expect(second.page.getByText('a note is needed for “Something else”')).toBeVisible();
	await second.page.getByLabel(/Note for the moderators/).fill('An advert, not an idea');
	await second.page.getByRole('button', { name: 'Flag this idea' }).click();
	await expect(second.page.getByText('Thanks: moderators will review this idea.')).toBeVisible();

	// A moderator finds it in the queue, with the reasons, and hides it.
	const moderator = await personPage(browser, 'mod');
	await makeModerator(browser, moderator.person);
	await moderator.page.goto('/');
	await moderator.page.getByRole('link', { name: 'Moderation' }).click();
	await expect(moderator.page.getByRole('heading', { level: 1 })).toHaveText('Review queue');
	const item = moderator.page.getByRole('article', { name: title });
	await expect(item).toContainText('2 open flags');
	await expect(item).toContainText('An advert, not an idea');
	await expectAccessible(moderator.page);
	await item.locator('summary').filter({ hasText: 'Hide' }).click();
	await item.getByLabel('Reason the author will read').fill('Advertising is not allowed here.');
	await item.getByRole('button', { name: `Hide “${title}”` }).click();
	await expect(
		moderator.page.getByText('The post was hidden: its author sees your reason.')
	).toBeVisible();
	await expect(moderator.page.getByRole('article', { name: title })).toHaveCount(0);

	// The audit log has it.
	await visit(moderator.page, `/mod/log?actor=${moderator.person.handle}`);
	await expect(moderator.page.getByRole('cell', { name: 'moderation.hide' })).toBeVisible();
	await expect(
		moderator.page.getByRole('cell', { name: 'Advertising is not allowed here.' })
	).toBeVisible();

	// The author sees why; others no longer find it.
	await visit(page, path);
	await expect(page.getByText('This idea is hidden by moderation')).toBeVisible();
	await expect(page.getByText('Advertising is not allowed here.')).toBeVisible();
	await visit(page, '/notifications');
	await expect(
		page.getByRole('link', {
			name: /is hidden: only you and moderators see it\. Reason: Advertising/
		})
	).toBeVisible();
	const gone = await first.page.goto(path);
	expect(gone?.status()).toBe(404);
	await first.page.goto('/notifications');
	await expect(
		first.page.getByRole('link', { name: /reviewed your flag .* and hid it/ })
	).toBeVisible();
	for (const p of [first.page, second.page, moderator.page]) {
		await p.context().close();
	}
});

test('a suspended member sees why and cannot post; members cannot open moderation', async ({
	page,
	browser
}) => {
	test.setTimeout(180_000);
	const product = await createProductAsAdmin(browser, 'Suspension');
	const member = newPerson('suspect');
	await signUp(page, member);
	await postIdea(page, {
		title: `Bulk export ${Date.now().toString(36)}`,
		body: 'CSV please.',
		product
	});
	const path = new URL(page.url()).pathname;
	const forbidden = await page.goto('/mod/queue');
	expect(forbidden?.status()).toBe(403);
	await expect(page.getByRole('link', { name: 'Moderation' })).toHaveCount(0);

	const moderator = await personPage(browser, 'mod');
	await makeModerator(browser, moderator.person);
	await visit(moderator.page, `/mod/users?q=${member.handle}`);
	await disclosure(moderator.page, `Suspend @${member.handle}`).click();
	const until = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
	await moderator.page.getByLabel('Suspended until').fill(until);
	await moderator.page.getByLabel('Reason the member will read').fill('Repeated spam links.');
	await moderator.page.getByRole('button', { name: `Suspend @${member.handle}` }).click();
	await expect(
		moderator.page.getByText(`@${member.handle} is suspended until ${until}.`)
	).toBeVisible();
	await expectAccessible(moderator.page);

	// The member reads, with the banner, and cannot comment or post.
	await visit(page, path);
	// The banner (a date in words) on every page, with the reason.
	await expect(page.getByText(/Your account is suspended until \w+ \d+, \d{4}\./)).toBeVisible();
	await expect(page.getByText('Repeated spam links.')).toBeVisible();
	await expect(page.getByLabel('Your comment')).toHaveCount(0);
	await expect(page.getByText('so you cannot post, comment, vote or flag')).toBeVisible();
	// A form sent anyway (an old tab) is refused with the reason, and nothing is stored.
	const sent = await page.request.post(`${path}?/comment`, {
		form: { body: 'Let me in' },
		headers: { origin: ORIGIN, 'x-sveltekit-action': 'true' }
	});
	expect(await sent.text()).toContain('Your account is suspended until');
	await page.reload();
	await expect(page.getByText('Let me in')).toHaveCount(0);
	const response = await page.goto('/ideas/new');
	expect(response?.status()).toBe(403);
	await expect(
		page.getByText(/Your account is suspended until .*You can still read/)
	).toBeVisible();

	// Lifted: the banner goes.
	await moderator.page.goto(`/mod/users?q=${member.handle}`);
	await moderator.page
		.getByRole('button', { name: `Lift the suspension of @${member.handle}` })
		.click();
	await expect(moderator.page.getByText(`@${member.handle}’s suspension is lifted.`)).toBeVisible();
	await page.goto(path);
	await expect(page.getByText(/Your account is suspended until/)).toHaveCount(0);
	await moderator.page.context().close();
});
