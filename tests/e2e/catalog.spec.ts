import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, newPerson, signInAsAdmin, signOut, signUp, visit } from './fixtures';

/** A suffix that keeps names unique in the e2e database, which every test of a run shares. */
function unique(): string {
	return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Creates a product through the form and waits for its page. */
async function createProduct(page: Page, name: string, slug: string): Promise<void> {
	await visit(page, '/admin/products');
	await page.getByLabel('Name').fill(name);
	await page.getByLabel('Description').fill('Charts for every port.');
	await page.getByRole('button', { name: 'Create product' }).click();
	await expect(page).toHaveURL(new RegExp(`/admin/products/${slug}\\?notice=created$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
	await expect(page.getByText('The product was created.')).toBeVisible();
}

test('an admin creates a product; a name in use is refused @js-only', async ({ page }) => {
	const id = unique();
	const name = `Harbour Maps ${id}`;
	await signInAsAdmin(page);
	await createProduct(page, name, `harbour-maps-${id}`);
	await expectAccessible(page);

	// The same name again is refused with a message on the field, and nothing is created.
	await visit(page, '/admin/products');
	await page.getByLabel('Name').fill(name.toUpperCase());
	await page.getByRole('button', { name: 'Create product' }).click();
	await expect(page.getByText('This name is already used by another product.')).toBeVisible();
	await expect(page.getByLabel('Name')).toHaveValue(name.toUpperCase());
	await expectAccessible(page);
	await expect(page.getByRole('link', { name, exact: true })).toHaveCount(1);
});

test('an admin edits a product; a bad slug is refused @js-only', async ({ page }) => {
	const id = unique();
	await signInAsAdmin(page);
	await createProduct(page, `Old Charts ${id}`, `old-charts-${id}`);

	// A new name and slug move the page to the new address.
	await page.getByLabel('Name').fill(`Harbour Charts ${id}`);
	await page.getByLabel('Slug').fill(`harbour-charts-${id}`);
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page).toHaveURL(new RegExp(`/admin/products/harbour-charts-${id}\\?notice=saved$`));
	await expect(page.getByText('Your changes were saved.')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Harbour Charts ${id}`);

	// A bad slug is refused on the field and the product keeps its address.
	await page.getByLabel('Slug').fill('Not A Slug!');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByText(/Use lowercase letters, digits and single dashes/)).toBeVisible();
	await expectAccessible(page);
	await visit(page, `/admin/products/harbour-charts-${id}`);
	await expect(page.getByLabel('Slug')).toHaveValue(`harbour-charts-${id}`);
});

test('an archived product leaves the home page until it is restored @js-only', async ({ page }) => {
	const id = unique();
	const name = `Sunset Suite ${id}`;
	await signInAsAdmin(page);
	await createProduct(page, name, `sunset-suite-${id}`);

	await page.getByRole('button', { name: 'Archive product' }).click();
	await expect(page.getByText('The product was archived. Its ideas stay readable.')).toBeVisible();
	await page.getByRole('link', { name: 'All products' }).click();
	const row = page.getByRole('row').filter({ hasText: name });
	await expect(row.getByRole('cell').nth(3)).toHaveText('Archived');
	await visit(page, '/');
	await expect(page.getByRole('heading', { name: 'Products' })).toBeVisible();
	await expect(page.getByText(name)).toHaveCount(0);

	await visit(page, `/admin/products/sunset-suite-${id}`);
	await page.getByRole('button', { name: 'Restore product' }).click();
	await expect(page.getByText('The product was restored.')).toBeVisible();
	// The home page was checked with axe above; only its list changed.
	await page.goto('/');
	await expect(page.getByText(name)).toBeVisible();
});

/** Creates a tag through the form on the tags page. */
async function createTag(page: Page, name: string): Promise<void> {
	await visit(page, '/admin/tags');
	await page.getByLabel('Name', { exact: true }).fill(name);
	await page.getByRole('button', { name: 'Create tag' }).click();
	await expect(page.getByText(`The tag “${name}” was created.`)).toBeVisible();
}

test('an admin creates a tag; a name in use is refused @js-only', async ({ page }) => {
	const id = unique();
	const name = `Export ${id}`;
	await signInAsAdmin(page);
	await createTag(page, name);
	await expect(page.getByLabel(`Slug of tag ${name}`)).toHaveValue(`export-${id}`);
	// The form is ready for the next tag.
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('');
	await expectAccessible(page);

	// A name already used (in another case) is refused on the field.
	await page.getByLabel('Name', { exact: true }).fill(name.toLowerCase());
	await page.getByRole('button', { name: 'Create tag' }).click();
	await expect(page.getByText('This name is already used by another tag.')).toBeVisible();
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name.toLowerCase());
	await expectAccessible(page);
});

test('an admin renames, archives and restores a tag @js-only', async ({ page }) => {
	const id = unique();
	const name = `Speed ${id}`;
	const renamed = `Performance ${id}`;
	await signInAsAdmin(page);
	await createTag(page, name);

	// Emptied, the slug is made again from the new name.
	await page.getByLabel(`Name of tag ${name}`).fill(renamed);
	await page.getByLabel(`Slug of tag ${name}`).fill('');
	await page.getByRole('button', { name: `Save tag ${name}` }).click();
	await expect(page.getByText(`The tag “${renamed}” was saved.`)).toBeVisible();
	await expect(page.getByLabel(`Slug of tag ${renamed}`)).toHaveValue(`performance-${id}`);

	await page.getByRole('button', { name: `Archive tag ${renamed}` }).click();
	await expect(page.getByText(`The tag “${renamed}” was archived`)).toBeVisible();
	const row = page.getByRole('row').filter({ has: page.getByLabel(`Name of tag ${renamed}`) });
	await expect(row.getByRole('cell').nth(2)).toHaveText('Archived');
	await expectAccessible(page);

	await page.getByRole('button', { name: `Restore tag ${renamed}` }).click();
	await expect(page.getByText(`The tag “${renamed}” was restored.`)).toBeVisible();
	await expect(row.getByRole('cell').nth(2)).toHaveText('Active');
});

test('members cannot manage products or tags', async ({ page }) => {
	await signUp(page, newPerson('shopper'));
	for (const path of ['/admin/products', '/admin/tags', '/admin/products/anything']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not allowed');
		await expectAccessible(page);
	}
	// A form posted anyway is refused too.
	const posted = await page.request.post('/admin/tags?/create', {
		form: { name: `Sneaky ${unique()}` },
		headers: { origin: new URL(page.url()).origin }
	});
	expect(posted.status()).toBe(403);
	await signOut(page);
});
