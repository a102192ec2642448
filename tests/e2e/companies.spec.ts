import { expect, test } from '@playwright/test';
import {
	expectAccessible,
	newPerson,
	readOutbox,
	signInAsAdmin,
	VERIFICATION_SUBJECT,
	signUp,
	visit
} from './fixtures';

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

function csvFile(text: string) {
	return { name: 'companies.csv', mimeType: 'text/csv', buffer: Buffer.from(text) };
}

test('an admin imports companies: a bad row stops the file, the fixed file imports, staff see them @js-only', async ({
	page
}) => {
	const id = unique();
	await signInAsAdmin(page);
	await visit(page, '/admin/companies/import');

	const header = 'name,slug,email_domain,plan,mrr,products';
	const good = [
		`Orbit ${id},orbit-${id},orbit-${id}.example,enterprise,15000,`,
		`Pebble ${id},pebble-${id},pebble-${id}.example,starter,120,`
	];
	const bad = `Gmailers ${id},gmailers-${id},gmail.com,starter,1.2.3,`;
	await page.getByLabel('CSV file').setInputFiles(csvFile([header, ...good, bad].join('\n')));
	await page.getByRole('button', { name: 'Preview the import' }).click();
	await expect(page.getByRole('alert')).toContainText('Nothing was imported: 2 problems');
	const problems = page.getByRole('table', { name: 'Problems by row' });
	await expect(problems.getByRole('row').nth(1)).toContainText(
		/4\s*email_domain\s*gmail\.com is a free mail service/
	);
	await expect(problems.getByRole('row').nth(2)).toContainText(/4\s*mrr\s*Use a plain number/);
	await expectAccessible(page);

	await page.getByLabel('CSV file').setInputFiles(csvFile([header, ...good].join('\n')));
	await page.getByRole('button', { name: 'Preview the import' }).click();
	await expect(page.getByText('Preview: 2 new, 0 updated, 0 unchanged')).toBeVisible();
	await page.getByRole('button', { name: 'Import 2 companies' }).click();
	await expect(page.getByText('Imported: 2 new, 0 updated, 0 unchanged')).toBeVisible();

	await visit(page, `/admin/companies?q=${id}`);
	await expect(page.getByRole('link', { name: `Orbit ${id}` })).toBeVisible();
	await expect(page.getByRole('row', { name: new RegExp(`Pebble ${id}`) })).toContainText('Lead');

	// The staff list, sorted by value, and the company page.
	await visit(page, '/staff/companies?sort=value&dir=desc');
	await expect(page.getByRole('row', { name: new RegExp(`Orbit ${id}`) })).toContainText(
		'Platinum'
	);
	await page.getByRole('link', { name: `Orbit ${id}` }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Orbit ${id}`);
	await expect(page.getByRole('heading', { name: 'What they asked for' })).toBeVisible();
	await expectAccessible(page);
	await page.screenshot({ path: '/tmp/companies-staff-page.png', fullPage: true });
});

test('a member who confirms an address at the company’s domain joins the company', async ({
	page,
	browser
}) => {
	const id = unique();
	const domain = `harbor-${id}.example`;
	const name = `Harbor ${id}`;

	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await signInAsAdmin(admin);
	await admin.goto('/admin/companies');
	await admin.getByLabel('Name', { exact: true }).fill(name);
	await admin.getByLabel('Email domain').fill('gmail.com');
	await admin.getByLabel('Monthly value (MRR)').fill('2400');
	await admin.getByRole('button', { name: 'Create company' }).click();
	await expect(admin.getByText('gmail.com is a free mail service')).toBeVisible();
	await admin.getByLabel('Email domain').fill(domain);
	await admin.getByRole('button', { name: 'Create company' }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText(name);

	const person = { ...newPerson('harbor'), email: `pat.${id}@${domain}` };
	await signUp(page, person);
	await visit(page, '/settings');
	await expect(page.getByText('(not confirmed yet)')).toBeVisible();

	const [mail] = await readOutbox(browser, person.email, 1, { subject: VERIFICATION_SUBJECT });
	expect(mail!.subject).toContain('Confirm your email address');
	const link = /https?:\/\/\S+\/verify-email\/\S+/.exec(mail!.text)![0];
	await visit(page, new URL(link).pathname);
	await page.getByRole('button', { name: 'Confirm my email address' }).click();
	await expect(page.getByText(`You are now a member of ${name}.`)).toBeVisible();
	await page.goto('/settings');
	await expect(page.getByText('(confirmed)')).toBeVisible();

	await admin.goto(`/staff/companies/harbor-${id}`);
	await expect(admin.getByRole('link', { name: person.displayName })).toHaveAttribute(
		'href',
		`/staff/customers/${person.handle}`
	);
	await adminContext.close();
});

test('tier thresholds must climb; the settings page is grouped @js-only', async ({ page }) => {
	await signInAsAdmin(page);
	await visit(page, '/admin/settings');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Site settings');
	const tiers = page.getByRole('group', { name: 'Customer tiers' });
	await expect(page.getByRole('group', { name: 'Moderation' })).toBeVisible();
	await expect(page.getByRole('group', { name: 'Surveys' })).toBeVisible();
	const gold = tiers.getByLabel('Gold customers: monthly value from');
	const before = await gold.inputValue();
	await tiers.getByLabel('Iron customers: monthly value from').fill(before);
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(
		page.getByText(`The gold threshold must be above the iron threshold (${before}).`)
	).toBeVisible();
	await expectAccessible(page);
});
