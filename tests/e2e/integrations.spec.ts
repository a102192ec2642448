import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { createProductAsAdmin, expectAccessible, postIdea, signInAsAdmin, visit } from './fixtures';

test('@js-only an admin registers a webhook, an idea is posted, the signed delivery shows in the log', async ({
	page,
	browser
}) => {
	const arrivals: { headers: http.IncomingHttpHeaders; body: string }[] = [];
	const receiver = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			arrivals.push({ headers: request.headers, body });
			response.end('ok');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;
	try {
		const product = await createProductAsAdmin(browser, 'Hooks');
		await signInAsAdmin(page);
		await visit(page, '/admin/webhooks');
		await page.getByLabel('Payload URL').fill(url);
		await page.getByLabel('Description').fill('CRM sync');
		await page.getByLabel('Idea posted').check();
		await page.getByRole('button', { name: 'Create webhook' }).click();
		const secret = (await page.getByTestId('new-secret').textContent())!.trim();
		expect(secret).toMatch(/^whsec_/);
		await expectAccessible(page);

		const title = `Webhook idea ${Date.now().toString(36)}`;
		await postIdea(page, { title, body: 'Sent to the CRM.', product });

		await page.goto('/admin/webhooks');
		const href = await page.getByRole('link', { name: url }).first().getAttribute('href');
		await page.goto(href!);
		await expect
			.poll(
				async () => {
					await page.reload();
					return page.getByText('Delivered').count();
				},
				{ timeout: 20_000 }
			)
			.toBeGreaterThan(0);
		await expect(page.getByRole('heading', { name: 'idea.created Delivered' })).toBeVisible();
		await expect(page.getByRole('cell', { name: '200' })).toBeVisible();
		await visit(page, page.url());
		await page.screenshot({ path: '/tmp/webhooks-log.png', fullPage: true });

		const arrival = arrivals.find((a) => JSON.parse(a.body).data.title === title)!;
		const [t, v1] = String(arrival.headers['roundtable-signature'])
			.split(',')
			.map((part) => part.split('=')[1]);
		expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${arrival.body}`).digest('hex'));

		// A redelivery sends the same event again.
		await page
			.getByRole('button', { name: /^Redeliver/ })
			.first()
			.click();
		await expect(page.getByText('The event is being sent again')).toBeVisible();
		await expect
			.poll(() => arrivals.filter((a) => JSON.parse(a.body).data.title === title).length, {
				timeout: 20_000
			})
			.toBe(2);
	} finally {
		await new Promise<void>((resolve) => receiver.close(() => resolve()));
	}
});

test('@js-only an admin imports a CSV with a dry run, then for real, sees the ideas and votes, and exports', async ({
	page,
	browser
}) => {
	const product = await createProductAsAdmin(browser, 'Imported');
	await signInAsAdmin(page);
	await visit(page, '/admin/import');
	await page.getByLabel('CSV file').setInputFiles('tests/fixtures/import/roundtable.csv');
	await page.getByLabel('Product for ideas that name none').selectOption({ label: product });
	await page.getByRole('button', { name: 'Dry run' }).click();
	await expect(
		page.getByRole('heading', { name: 'Dry run: what the import would do' })
	).toBeVisible();
	// 2 ideas, 3 votes, 1 comment, 3 new members; line 8 votes for an unknown idea, line 9 is an empty comment.
	await expect(page.getByTestId('import-counts')).toHaveText(
		'2 ideas, 3 votes, 1 comments, 3 member accounts'
	);
	await expect(
		page.getByRole('cell', { name: 'No idea “r9” in this file or an earlier import.' })
	).toBeVisible();
	await expect(page.getByRole('cell', { name: 'A comment needs a body.' })).toBeVisible();
	await page.screenshot({ path: '/tmp/webhooks-import-dry.png', fullPage: true });
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Import these 2 ideas, 3 votes and 1 comments' }).click();
	await expect(page.getByRole('heading', { name: 'Import done' })).toBeVisible();
	await expect(page.getByTestId('import-counts')).toHaveText(
		'2 ideas, 3 votes, 1 comments, 3 member accounts'
	);

	await page.goto('/ideas?sort=top');
	const idea = page.getByRole('link', { name: 'Offline mode for the mobile app' });
	await expect(idea).toBeVisible();
	await idea.click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Offline mode for the mobile app' })
	).toBeVisible();
	await expect(page.getByText('We need this for the warehouse crew too.')).toBeVisible();
	await expect(page.getByText('Kim Import').first()).toBeVisible();
	await page.screenshot({ path: '/tmp/webhooks-imported-idea.png', fullPage: true });

	await visit(page, '/admin/export');
	const download = await page.request.get('/admin/export/download');
	expect(download.headers()['content-disposition']).toContain('roundtable-export-');
	const text = await download.text();
	const data = JSON.parse(text);
	const offline = data.tables.post.find(
		(p: { title: string }) => p.title === 'Offline mode for the mobile app'
	);
	expect(offline.vote_count).toBe(2);
	expect(text).not.toContain('password_hash');
	expect(text).not.toContain('$argon2');
});
