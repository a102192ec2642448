// Shared e2e steps: people to sign up and in, and the axe check every visited page gets.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';

/** The app's origin, for requests that must pass the same-origin check on form posts. */
export const ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 4173}`;

export const ADMIN = {
	email: 'admin@e2e.example',
	handle: 'e2e_admin',
	displayName: 'Ada Admin',
	password: 'correct horse battery staple admin'
};

export interface Person {
	email: string;
	handle: string;
	displayName: string;
	password: string;
}

export function newPerson(label = 'user'): Person {
	const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
	return {
		email: `${label}.${id}@e2e.example`,
		handle: `${label}_${id}`.slice(0, 30),
		displayName: `${label[0]!.toUpperCase()}${label.slice(1)} ${id.slice(-4)}`,
		password: `tidy lantern ${id} meadow`
	};
}

export interface AuditOptions {
	colorScheme?: 'light' | 'dark';
}

/**
 * Axe runs inside the page, which a JavaScript-off page cannot do: there, the exact HTML the
 * visitor received is audited in a JavaScript-on copy, served at the same address (so the real
 * stylesheets load) with its scripts removed (so nothing hydrates or changes it).
 */
async function auditablePage(page: Page, options: AuditOptions) {
	if (test.info().project.use.javaScriptEnabled !== false) {
		return { page, close: async () => {} };
	}
	const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
	const url = page.url().split('#')[0]!;
	const context = await page
		.context()
		.browser()!
		.newContext({
			javaScriptEnabled: true,
			viewport: page.viewportSize(),
			colorScheme: options.colorScheme ?? 'light'
		});
	const copy = await context.newPage();
	await copy.route(url, (route) =>
		route.fulfill({ status: 200, contentType: 'text/html', body: html })
	);
	await copy.goto(url);
	return { page: copy, close: () => context.close() };
}

/** Fails the test when axe finds WCAG 2.2 A/AA violations on the page as it is now. */
export async function expectAccessible(page: Page, options: AuditOptions = {}): Promise<void> {
	const target = await auditablePage(page, options);
	try {
		const results = await new AxeBuilder({ page: target.page })
			.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
			.analyze();
		const summary = results.violations.map(
			(v) =>
				`${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
		);
		expect(summary, `accessibility violations on ${page.url()}`).toEqual([]);
	} finally {
		await target.close();
	}
}

/** Goes to `path` and checks the page with axe. */
export async function visit(page: Page, path: string, options: AuditOptions = {}): Promise<void> {
	await page.goto(path);
	await expectAccessible(page, options);
}

export async function signUp(page: Page, person: Person): Promise<void> {
	await visit(page, '/signup');
	await page.getByLabel('Email').fill(person.email);
	await page.getByLabel('Handle').fill(person.handle);
	await page.getByLabel('Display name').fill(person.displayName);
	await page.getByLabel('Password').fill(person.password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		`Welcome back, ${person.displayName}`
	);
}

export async function signIn(page: Page, identifier: string, password: string): Promise<void> {
	await page.goto('/login');
	await page.getByLabel('Email or handle').fill(identifier);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page: Page): Promise<void> {
	await page.locator('summary', { hasText: 'Account menu' }).click();
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
}

/** Signs the e2e admin in, creating the account first if no test has yet (ADMIN_EMAIL makes it admin). */
export async function signInAsAdmin(page: Page): Promise<void> {
	const welcome = page.getByRole('heading', { name: `Welcome back, ${ADMIN.displayName}` });
	await signIn(page, ADMIN.email, ADMIN.password);
	// Wait for the answer before reading it: either signed in, or told the account does not exist.
	await expect(welcome.or(page.getByRole('alert'))).toBeVisible();
	if (await welcome.isVisible()) {
		return;
	}
	await page.goto('/signup');
	await page.getByLabel('Email').fill(ADMIN.email);
	await page.getByLabel('Handle').fill(ADMIN.handle);
	await page.getByLabel('Display name').fill(ADMIN.displayName);
	await page.getByLabel('Password').fill(ADMIN.password);
	await page.getByRole('button', { name: 'Create account' }).click();
	// Another worker may have created it in the meantime: then signing in works.
	const taken = page.getByText('An account with this email already exists');
	await expect(welcome.or(taken)).toBeVisible();
	if (await taken.isVisible()) {
		await signIn(page, ADMIN.email, ADMIN.password);
	}
	await expect(welcome).toBeVisible();
}

/** An admin (in a context of its own) creates a product; returns its name. */
export async function createProductAsAdmin(browser: Browser, label = 'Product'): Promise<string> {
	const name = `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
	const context = await browser.newContext();
	const admin = await context.newPage();
	await signInAsAdmin(admin);
	await admin.goto('/admin/products');
	await admin.getByLabel('Name', { exact: true }).fill(name);
	await admin.getByRole('button', { name: 'Create product' }).click();
	await expect(admin.getByText(name).first()).toBeVisible();
	await context.close();
	return name;
}

/** Posts an idea at /ideas/new, confirming past similar ideas if asked; ends on the idea page. */
export async function postIdea(
	page: Page,
	idea: { title: string; body: string; product: string }
): Promise<void> {
	await page.goto('/ideas/new');
	await page.getByLabel('Title').fill(idea.title);
	await page.getByLabel('Description').fill(idea.body);
	await page.getByLabel('Product').selectOption({ label: idea.product });
	await page.getByRole('button', { name: 'Post the idea' }).click();
	const heading = page.getByRole('heading', { level: 1, name: idea.title });
	const anyway = page.getByRole('button', { name: 'Post mine anyway' });
	await expect(heading.or(anyway)).toBeVisible();
	if (await anyway.isVisible()) {
		await anyway.click();
	}
	await expect(heading).toBeVisible();
}

/** The subject of the mail every sign-up gets (auth/verification.ts). */
export const VERIFICATION_SUBJECT = /^Confirm your email address/;

/**
 * The outbox's messages to `recipient` (newest first) as an admin reads them at /admin/outbox,
 * waiting until there are at least `count`: mail goes out from the job queue, a moment later.
 * Only messages whose subject matches `subject`; without one, every message but the address
 * confirmation each sign-up gets (so a test waiting for "the" mail is not handed that one).
 */
export async function readOutbox(
	browser: Browser,
	recipient: string,
	count = 1,
	options: { subject?: RegExp } = {}
): Promise<{ subject: string; text: string }[]> {
	const wanted = (subject: string) =>
		options.subject ? options.subject.test(subject) : !VERIFICATION_SUBJECT.test(subject);
	const context = await browser.newContext();
	try {
		const admin = await context.newPage();
		await signInAsAdmin(admin);
		let messages: { subject: string; text: string }[] = [];
		await expect(async () => {
			await admin.goto(`/admin/outbox?to=${encodeURIComponent(recipient)}`);
			const all = await admin.locator('.messages article').evaluateAll((articles) =>
				articles.map((a) => ({
					subject: a.querySelector('h2')?.textContent ?? '',
					text: a.querySelector('pre')?.textContent ?? ''
				}))
			);
			messages = all.filter((m) => wanted(m.subject.trim()));
			expect(messages.length).toBeGreaterThanOrEqual(count);
		}).toPass({ timeout: 30_000 });
		await expectAccessible(admin);
		return messages;
	} finally {
		await context.close();
	}
}
