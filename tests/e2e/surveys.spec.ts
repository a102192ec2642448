// Surveys end to end. A member who has taken part is asked the NPS question once (an admin lets
// new accounts be asked for the length of one page view), answers it with JavaScript on and off,
// and is not asked again; a crafted score of 11 is refused. A voter is asked the CSAT question
// after the idea ships and answers it; the author says "Not now". Staff read the answers at
// /staff/surveys, filter them and download them as CSV (@js-only).
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	ORIGIN,
	createProductAsAdmin,
	expectAccessible,
	newPerson,
	postIdea,
	signInAsAdmin,
	signOut,
	signUp,
	visit
} from './fixtures';

// The staff test reads the answers the first two gave.
test.describe.configure({ mode: 'serial' });

const NPS_QUESTION = 'How likely are you to recommend Roundtable to a friend or colleague?';
const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const CSAT_REASON = `The export works with our warehouse ${suffix}`;

const surveyCard = (page: Page) => page.getByRole('complementary', { name: 'Quick question' });

/** An admin (in a context of their own) sets the days before a member's first NPS question. */
async function setMinAccountDays(browser: Browser, days: number): Promise<void> {
	const context = await browser.newContext();
	try {
		const admin = await context.newPage();
		await signInAsAdmin(admin);
		await admin.goto('/admin/settings');
		await admin.getByLabel('Days before a member’s first NPS question').fill(String(days));
		await admin.getByRole('button', { name: 'Save settings' }).click();
		await expect(admin.getByText('The settings were saved.')).toBeVisible();
	} finally {
		await context.close();
	}
}

async function comment(page: Page, body: string): Promise<void> {
	await page.getByLabel('Your comment').fill(body);
	await page.getByRole('button', { name: 'Post comment' }).click();
	await expect(page.locator('p', { hasText: body })).toBeVisible();
}

test('a member who took part is asked NPS once, answers, and is not asked again @js-only', async ({
	page,
	browser
}) => {
	test.setTimeout(180_000);
	const product = await createProductAsAdmin(browser, 'Surveyed');
	const member = newPerson('nps');
	const reason = `Quick answers from the team ${suffix}`;

	await test.step('three acts, but a new account: no question yet', async () => {
		await signUp(page, member);
		// Posting counts twice (the idea and the author's vote), the comment once.
		await postIdea(page, { title: `Dark mode ${suffix}`, body: 'Easier at night.', product });
		await comment(page, 'Especially for the charts.');
		await page.goto('/ideas');
		await expect(surveyCard(page)).toHaveCount(0);
	});

	await test.step('asked once new accounts may be asked; the card is accessible', async () => {
		await setMinAccountDays(browser, 0);
		try {
			await visit(page, '/ideas');
		} finally {
			// The question, once asked, stays until answered: the setting can go back at once.
			await setMinAccountDays(browser, 14);
		}
		const card = surveyCard(page);
		await expect(card.getByRole('group', { name: NPS_QUESTION })).toBeVisible();
		await expect(card.getByRole('radio')).toHaveCount(11);
		await expect(card.getByRole('radio', { name: '0: Not at all likely' })).toBeVisible();
		await expect(card.getByRole('radio', { name: '10: Extremely likely' })).toBeVisible();
		// Still the same question on the next page.
		await page.goto('/');
		await expect(surveyCard(page)).toBeVisible();
	});

	await test.step('a crafted score of 11 is refused, and nothing is stored', async () => {
		const offer = await surveyCard(page).locator('input[name="offer"]').inputValue();
		const response = await page.request.post('/surveys?/answer', {
			headers: { origin: ORIGIN, accept: 'text/html' },
			form: { offer, score: '11', returnTo: '/' },
			maxRedirects: 0
		});
		expect(response.status()).toBe(400);
		expect(await response.text()).toContain('Choose a score from 0 to 10.');
		await page.goto('/');
		await expect(surveyCard(page)).toBeVisible();
	});

	await test.step('the member answers and is thanked on the same page', async () => {
		await page.goto('/ideas?sort=new');
		const card = surveyCard(page);
		await card.getByRole('radio', { name: '9', exact: true }).check();
		await card.getByLabel('What is the main reason for your score?').fill(reason);
		await card.getByRole('button', { name: 'Send' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Thank you!' })).toBeVisible();
		expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/ideas?sort=new');
		await expectAccessible(page);
	});

	await test.step('not asked again, and the thanks is gone on the next page', async () => {
		await page.goto('/');
		await expect(surveyCard(page)).toHaveCount(0);
		await expect(page.getByText('Thank you!')).toHaveCount(0);
		await visit(page, '/surveys');
		await expect(page.getByText('We have no question for you right now.')).toBeVisible();
	});
});

test('a voter is asked CSAT after the idea ships and answers; the author says not now @js-only', async ({
	page,
	browser
}) => {
	test.setTimeout(180_000);
	const product = await createProductAsAdmin(browser, 'Shipped');
	const author = newPerson('author');
	const voter = newPerson('voter');
	const title = `Snowflake export ${suffix}`;
	let ideaPath = '';

	await test.step('a member posts an idea and another votes', async () => {
		await signUp(page, author);
		await postIdea(page, { title, body: 'We moved our warehouse.', product });
		ideaPath = new URL(page.url()).pathname;
		await signOut(page);
		await signUp(page, voter);
		await page.goto(ideaPath);
		await page.getByRole('button', { name: 'Vote', exact: true }).click();
		await expect(page.locator('.vote-panel').getByText('2 votes', { exact: true })).toBeVisible();
		await expect(surveyCard(page)).toHaveCount(0);
	});

	await test.step('staff ship it', async () => {
		const context = await browser.newContext();
		const admin = await context.newPage();
		await signInAsAdmin(admin);
		await admin.goto(ideaPath);
		await admin.getByLabel('New status').selectOption({ label: 'Shipped' });
		await admin.getByRole('button', { name: 'Change status' }).click();
		await expect(admin.locator('.status-done')).toHaveText('Shipped');
		await context.close();
	});

	await test.step('the voter is asked about the idea, by name, and answers', async () => {
		await visit(page, '/notifications');
		const card = surveyCard(page);
		await expect(
			card.getByRole('group', {
				name: `How satisfied are you with “${title}”, now that it has shipped?`
			})
		).toBeVisible();
		await expect(card.getByRole('link', { name: 'See it' })).toHaveAttribute('href', ideaPath);
		await card.getByRole('radio', { name: '5: Very satisfied' }).check();
		await card.getByLabel('What is the main reason for your score?').fill(CSAT_REASON);
		await card.getByRole('button', { name: 'Send' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Thank you!' })).toBeVisible();
		expect(new URL(page.url()).pathname).toBe('/notifications');
		await page.goto(ideaPath);
		await expect(surveyCard(page)).toHaveCount(0);
		await signOut(page);
	});

	await test.step('the author (who voted too) is asked, and says not now: asked no more', async () => {
		await page.goto('/login');
		await page.getByLabel('Email or handle').fill(author.email);
		await page.getByLabel('Password').fill(author.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		const card = surveyCard(page);
		await expect(card.getByRole('group', { name: new RegExp(title) })).toBeVisible();
		await card.getByRole('button', { name: 'Not now' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'won’t ask again' })).toBeVisible();
		await page.goto(ideaPath);
		await expect(surveyCard(page)).toHaveCount(0);
	});
});

test('staff read the answers, filter them and download them @js-only', async ({ page }) => {
	test.setTimeout(120_000);
	await signInAsAdmin(page);
	await visit(page, '/staff/surveys');
	await expect(page.getByRole('heading', { level: 1, name: 'Surveys' })).toBeVisible();
	const row = page.getByRole('row').filter({ hasText: CSAT_REASON });
	await expect(row).toContainText('CSAT');
	await expect(row).toContainText('Satisfied');
	await expect(row.getByRole('link', { name: /^Voter / })).toHaveAttribute(
		'href',
		/^\/staff\/customers\/voter_/
	);

	await page.getByLabel('Score group').selectOption({ label: 'CSAT dissatisfied (1–2)' });
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(page).toHaveURL(/group=dissatisfied/);
	await expect(page.getByRole('row').filter({ hasText: CSAT_REASON })).toHaveCount(0);
	await page.getByLabel('Score group').selectOption({ label: 'CSAT satisfied (4–5)' });
	await page.getByLabel('Only answers with a reason').check();
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(page.getByRole('row').filter({ hasText: CSAT_REASON })).toBeVisible();
	await expectAccessible(page);
	await expectAccessible(page, { colorScheme: 'dark' });

	const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
	const csv = await page.request.get(href!);
	expect(csv.headers()['content-type']).toContain('text/csv');
	const body = await csv.text();
	expect(body.split('\r\n')[0]).toBe(
		'date,kind,score,group,reason,member,handle,customer page,company,product,about,about url'
	);
	expect(body).toContain(`,csat,5,satisfied,${CSAT_REASON},`);
	expect(body).not.toContain(',nps,');
});
