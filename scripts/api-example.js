#!/usr/bin/env node
// An example client of the Roundtable API that uses nothing but the documented API and a
// personal token (docs/api.md): it lists ideas, posts one, and votes for another.
//
//   RT_URL=https://feedback.example.com RT_TOKEN=rt_… node scripts/api-example.js "My idea title"
//
// Node 20+ (global fetch). Prints what it did as JSON lines; exits 1 on any API error.

const base = (process.env.RT_URL ?? 'http://localhost:3000').replace(/\/$/, '') + '/api/v1';
const token = process.env.RT_TOKEN;
if (!token) {
	console.error('Set RT_TOKEN to a personal API token (Settings → API tokens).');
	process.exit(2);
}

/**
 * One API call; waits and retries once when the token's rate limit says so (429 + Retry-After).
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
async function api(method, path, body) {
	for (let attempt = 0; ; attempt++) {
		const response = await fetch(base + path, {
			method,
			headers: {
				authorization: `Bearer ${token}`,
				...(body === undefined ? {} : { 'content-type': 'application/json' })
			},
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		if (response.status === 429 && attempt === 0) {
			const wait = Number(response.headers.get('retry-after') ?? '1');
			await new Promise((resolve) => setTimeout(resolve, wait * 1000));
			continue;
		}
		const payload = response.status === 204 ? null : await response.json();
		if (!response.ok) {
			const { code, message, fields } = payload.error;
			throw new Error(
				`${method} ${path}: ${response.status} ${code}: ${message}${fields ? ' ' + JSON.stringify(fields) : ''}`
			);
		}
		return payload;
	}
}

/**
 * Every item of a list, following next_cursor (at most `pages` pages).
 * @param {string} path
 */
async function all(path, pages = 10) {
	const items = [];
	let cursor = null;
	for (let i = 0; i < pages; i++) {
		const separator = path.includes('?') ? '&' : '?';
		const page = await api(
			'GET',
			cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path
		);
		items.push(...page.data);
		cursor = page.next_cursor;
		if (!cursor) {
			break;
		}
	}
	return items;
}

async function main() {
	const me = (await api('GET', '/me')).data;
	console.log(JSON.stringify({ step: 'me', handle: me.handle, scopes: me.scopes }));

	const products = await all('/products?limit=100');
	const product = products.find((p) => p.slug === process.env.RT_PRODUCT) ?? products[0];
	if (!product) {
		throw new Error('There are no products to post an idea to.');
	}

	const ideas = await all(`/ideas?product=${product.slug}&sort=top&limit=50`);
	console.log(
		JSON.stringify({
			step: 'list',
			product: product.slug,
			ideas: ideas.length,
			top: ideas.slice(0, 3).map((i) => i.title)
		})
	);

	const title =
		process.argv[2] ?? `Idea from the API example, ${new Date().toISOString().slice(0, 16)}`;
	const created = (
		await api('POST', '/ideas', {
			title,
			body: 'Posted by `scripts/api-example.js` through the public API.',
			product: product.id
		})
	).data;
	console.log(
		JSON.stringify({
			step: 'create',
			id: created.id,
			url: created.url,
			visibility: created.visibility
		})
	);

	// Vote for the most voted idea that is not our own (our own idea has our vote already).
	const target = ideas.find((i) => i.author.handle !== me.handle && i.id !== created.id);
	if (target) {
		const vote = (await api('PUT', `/ideas/${target.id}/vote`, { importance: 'important' })).data;
		console.log(
			JSON.stringify({
				step: 'vote',
				id: target.id,
				title: target.title,
				vote_count: vote.vote_count
			})
		);
	} else {
		console.log(JSON.stringify({ step: 'vote', skipped: 'no idea by someone else to vote for' }));
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
