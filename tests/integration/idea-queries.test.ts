import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { IDEA_SORTS, type IdeaSort } from '$lib/domain/ideas';
import type { Db } from '$lib/server/db/index';
import {
	InvalidCursorError,
	encodeCursor,
	findSimilarIdeas,
	highlightToHtml,
	listIdeaFilterOptions,
	listIdeas,
	markdownToPlainText,
	searchIdeas,
	truncateText,
	type IdeaSummary
} from '$lib/server/ideas/queries';
import { backends, useTestDatabase } from '../helpers/test-db';
import { xssPayloads } from '../helpers/xss-payloads';

const BASE = new Date('2026-03-01T12:00:00.000Z');
const HOUR = 60 * 60 * 1000;

interface Seeded {
	id: number;
	title: string;
	votes: number;
	comments: number;
	createdAt: Date;
	hot: number;
	statusSlug: string;
	tags: string[];
}

interface World {
	users: { alice: number; bob: number };
	products: { analytics: number; mobile: number; legacy: number };
	statuses: Record<string, number>;
	tags: Record<string, number>;
	/** The 25 "Pager" ideas in Analytics, for sorting, filters and pagination. */
	pager: Seeded[];
	byTitle: Map<string, number>;
}

async function insertIdea(
	db: Db,
	world: Omit<World, 'pager' | 'byTitle'>,
	idea: {
		title: string;
		body?: string;
		product: number;
		status?: string;
		author?: number;
		votes?: number;
		comments?: number;
		createdAt?: Date;
		deleted?: boolean;
		mergedInto?: number;
		tags?: string[];
	}
): Promise<{ id: number; hot: number }> {
	const createdAt = idea.createdAt ?? BASE;
	const votes = idea.votes ?? 0;
	const row = await db
		.insertInto('post')
		.values({
			kind: 'idea',
			product_id: idea.product,
			author_id: idea.author ?? world.users.alice,
			title: idea.title,
			body_source: idea.body ?? '',
			body_html: '',
			status_id: world.statuses[idea.status ?? 'open']!,
			vote_count: votes,
			comment_count: idea.comments ?? 0,
			// The votes module's formula (docs/design.md, Trending).
			hot_score: sql`log(greatest(${votes}::int, 1)) + (extract(epoch from ${createdAt}::timestamptz) - 1700000000) / 45000`,
			created_at: createdAt,
			last_activity_at: createdAt,
			deleted_at: idea.deleted ? new Date() : null,
			merged_into_id: idea.mergedInto ?? null
		})
		.returning(['id', 'hot_score'])
		.executeTakeFirstOrThrow();
	for (const tag of idea.tags ?? []) {
		await db.insertInto('post_tag').values({ post_id: row.id, tag_id: world.tags[tag]! }).execute();
	}
	return { id: row.id, hot: row.hot_score };
}

async function seed(db: Db): Promise<World> {
	const user = (handle: string) =>
		db
			.insertInto('app_user')
			.values({
				email: `${handle}@example.com`,
				handle,
				display_name: handle[0]!.toUpperCase() + handle.slice(1),
				password_hash: 'not-a-real-hash'
			})
			.returning('id')
			.executeTakeFirstOrThrow()
			.then((r) => r.id);
	const product = (name: string, slug: string, archived = false) =>
		db
			.insertInto('product')
			.values({ name, slug, archived_at: archived ? new Date() : null })
			.returning('id')
			.executeTakeFirstOrThrow()
			.then((r) => r.id);
	const tag = (name: string, slug: string) =>
		db
			.insertInto('tag')
			.values({ name, slug })
			.returning('id')
			.executeTakeFirstOrThrow()
			.then((r) => r.id);

	const statusRows = await db.selectFrom('idea_status').select(['id', 'slug']).execute();
	const base = {
		users: { alice: await user('alice'), bob: await user('bob') },
		products: {
			analytics: await product('Analytics', 'analytics'),
			mobile: await product('Mobile', 'mobile'),
			legacy: await product('Legacy', 'legacy', true)
		},
		statuses: Object.fromEntries(statusRows.map((s) => [s.slug, s.id])),
		tags: { ux: await tag('UX', 'ux'), export: await tag('Export', 'export') }
	};

	// Ties on purpose: votes repeat every 4 ideas, comments every 3, and ideas come in pairs
	// posted at the same instant, so only the id tie-break keeps pages apart.
	const pager: Seeded[] = [];
	for (let n = 1; n <= 25; n++) {
		const votes = n % 4;
		const comments = n % 3;
		const createdAt = new Date(BASE.getTime() - Math.floor(n / 2) * HOUR);
		const statusSlug = n % 5 === 0 ? 'planned' : 'open';
		const tags = n % 2 === 0 ? ['ux'] : n % 7 === 0 ? ['ux', 'export'] : [];
		const { id, hot } = await insertIdea(db, base, {
			title: `Pager idea ${n}`,
			body: `Body of pager idea number ${n}.`,
			product: base.products.analytics,
			status: statusSlug,
			author: n % 2 ? base.users.alice : base.users.bob,
			votes,
			comments,
			createdAt,
			tags
		});
		pager.push({
			id,
			title: `Pager idea ${n}`,
			votes,
			comments,
			createdAt,
			hot,
			statusSlug,
			tags
		});
	}
	// Neither a deleted nor a merged idea is ever listed, however many votes it has.
	await insertIdea(db, base, {
		title: 'Pager idea deleted',
		product: base.products.analytics,
		votes: 100,
		comments: 100,
		deleted: true
	});
	await insertIdea(db, base, {
		title: 'Pager idea merged',
		product: base.products.analytics,
		votes: 99,
		comments: 99,
		mergedInto: pager[0]!.id
	});

	const byTitle = new Map<string, number>();
	const add = async (title: string, idea: Omit<Parameters<typeof insertIdea>[2], 'title'>) => {
		byTitle.set(title, (await insertIdea(db, base, { title, ...idea })).id);
	};
	await add('Dark mode for the dashboard', {
		body: 'Night owls want a dark theme for dashboards.',
		product: base.products.mobile,
		votes: 8
	});
	await add('Export reports to CSV', {
		body: 'Let me export **any** report as a [CSV file](https://example.com/csv), like a spreadsheet.',
		product: base.products.mobile,
		votes: 5,
		tags: ['export']
	});
	await add('Export to PDF', {
		body: 'A PDF export for board meetings.',
		product: base.products.mobile,
		votes: 3
	});
	await add('Spreadsheet sync with Google Sheets', {
		body: 'Keep a sheet up to date.',
		product: base.products.mobile
	});
	await add('CSV export of funnels', {
		body: 'Funnels only.',
		product: base.products.analytics,
		votes: 1
	});
	await add('Script <script>alert(1)</script> tags in titles', {
		body: 'Searching scripts: <script>alert(1)</script> and <img src=x onerror=alert(1)> must stay text.',
		product: base.products.mobile
	});
	await add('Stray \u0002markers\u0003 and \u0003reversed\u0002 ones', {
		body: 'Control \u0003characters\u0002 in markers text.',
		product: base.products.mobile
	});
	await add('Export deleted idea', {
		body: 'Export to CSV, but deleted.',
		product: base.products.mobile,
		votes: 50,
		deleted: true
	});
	await add('Export merged idea', {
		body: 'Export to CSV, merged into another.',
		product: base.products.mobile,
		votes: 40,
		mergedInto: pager[0]!.id
	});
	await add('Legacy export tool', {
		body: 'An old product, archived, still readable.',
		product: base.products.legacy
	});
	await add('Long body idea', {
		body: `# A heading\n\n${'word '.repeat(120)}\n\n- a list item`,
		product: base.products.mobile
	});

	return { ...base, pager, byTitle };
}

function sortKey(sort: IdeaSort, idea: Seeded): number {
	switch (sort) {
		case 'trending':
			return idea.hot;
		case 'top':
			return idea.votes;
		case 'newest':
			return idea.createdAt.getTime();
		case 'discussed':
			return idea.comments;
	}
}

function expectedOrder(sort: IdeaSort, ideas: Seeded[]): number[] {
	return [...ideas]
		.sort((a, b) => sortKey(sort, b) - sortKey(sort, a) || b.id - a.id)
		.map((idea) => idea.id);
}

async function walk(
	db: Db,
	options: Omit<Parameters<typeof listIdeas>[1], 'cursor'>
): Promise<{ ids: number[]; pages: number }> {
	const ids: number[] = [];
	let cursor: string | null = null;
	let pages = 0;
	do {
		const page: { ideas: IdeaSummary[]; nextCursor: string | null } = await listIdeas(db, {
			...options,
			cursor
		});
		pages++;
		ids.push(...page.ideas.map((idea) => idea.id));
		cursor = page.nextCursor;
		expect(pages).toBeLessThan(50);
	} while (cursor);
	return { ids, pages };
}

describe('excerpts and highlights', () => {
	it('turns markdown into a line of plain text', () => {
		expect(
			markdownToPlainText(
				'## Why\n\n> We **really** need [CSV](https://x.example) and `code`.\n\n- one\n- two\n\n```js\nlet a = 1;\n```'
			)
		).toBe('Why We really need CSV and code. one two let a = 1;');
	});

	it('cuts at a word near the length, with an ellipsis', () => {
		expect(truncateText('short', 10)).toBe('short');
		expect(truncateText('one two three four five', 16)).toBe('one two three…');
		expect(truncateText('x'.repeat(30), 10)).toBe(`${'x'.repeat(10)}…`);
	});

	it('escapes everything and keeps <mark> balanced', () => {
		const start = '\u0002';
		const stop = '\u0003';
		expect(highlightToHtml(`a ${start}<b>${stop} & "c"`)).toBe(
			'a <mark>&lt;b&gt;</mark> &amp; &quot;c&quot;'
		);
		expect(highlightToHtml(`${stop}x${start}${start}y`)).toBe('x<mark>y</mark>');
	});
});

describe.each(backends)('idea queries on %s', (backend) => {
	const t = useTestDatabase(backend);
	let world: World;

	beforeAll(async () => {
		world = await seed(t.db);
	});

	const id = (title: string) => {
		const found = world.byTitle.get(title);
		if (found === undefined) {
			throw new Error(`no idea titled ${title}`);
		}
		return found;
	};

	describe('listIdeas', () => {
		it.each(IDEA_SORTS)('orders by %s, ties broken by newest id', async (sort) => {
			const { ideas } = await listIdeas(t.db, { sort, productSlug: 'analytics', limit: 100 });
			const pagerIds = new Set(world.pager.map((idea) => idea.id));
			expect(ideas.map((idea) => idea.id).filter((ideaId) => pagerIds.has(ideaId))).toEqual(
				expectedOrder(sort, world.pager)
			);
		});

		it.each(IDEA_SORTS)(
			'walks every idea exactly once across pages when sorted by %s',
			async (sort) => {
				const all = await listIdeas(t.db, { sort, limit: 100 });
				const { ids, pages } = await walk(t.db, { sort, limit: 7 });
				expect(new Set(ids).size).toBe(ids.length);
				expect(ids).toEqual(all.ideas.map((idea) => idea.id));
				expect(pages).toBe(Math.ceil(ids.length / 7));
			}
		);

		it('pages a filtered list with the filter kept', async () => {
			const { ids } = await walk(t.db, { sort: 'top', productSlug: 'analytics', limit: 4 });
			expect(ids.length).toBe(26); // the 25 pager ideas and "CSV export of funnels"
			const planned = await walk(t.db, { sort: 'newest', statusSlug: 'planned', limit: 2 });
			expect(planned.ids).toEqual(
				expectedOrder(
					'newest',
					world.pager.filter((idea) => idea.statusSlug === 'planned')
				)
			);
		});

		it('never lists deleted or merged ideas', async () => {
			const { ideas } = await listIdeas(t.db, { sort: 'top', limit: 100 });
			const titles = ideas.map((idea) => idea.title);
			expect(titles).not.toContain('Pager idea deleted');
			expect(titles).not.toContain('Pager idea merged');
			expect(titles).not.toContain('Export deleted idea');
			expect(titles).not.toContain('Export merged idea');
			expect(titles).toContain('Legacy export tool');
		});

		it('filters by product, status and tag, alone and together', async () => {
			const mobile = await listIdeas(t.db, { sort: 'top', productSlug: 'mobile', limit: 100 });
			expect(mobile.ideas.length).toBeGreaterThan(0);
			expect(mobile.ideas.every((idea) => idea.product.slug === 'mobile')).toBe(true);

			const planned = await listIdeas(t.db, { sort: 'top', statusSlug: 'planned', limit: 100 });
			expect(planned.ideas.map((idea) => idea.title).sort()).toEqual(
				['Pager idea 5', 'Pager idea 10', 'Pager idea 15', 'Pager idea 20', 'Pager idea 25'].sort()
			);
			expect(planned.ideas.every((idea) => idea.status.slug === 'planned')).toBe(true);

			const exportTag = await listIdeas(t.db, { sort: 'top', tagSlug: 'export', limit: 100 });
			expect(exportTag.ideas.map((idea) => idea.title).sort()).toEqual(
				['Export reports to CSV', 'Pager idea 7', 'Pager idea 21'].sort()
			);

			const together = await listIdeas(t.db, {
				sort: 'newest',
				productSlug: 'analytics',
				statusSlug: 'planned',
				tagSlug: 'ux',
				limit: 100
			});
			expect(together.ideas.map((idea) => idea.title).sort()).toEqual(
				['Pager idea 10', 'Pager idea 20'].sort()
			);
		});

		it('finds nothing for a product, status or tag that does not exist', async () => {
			for (const filter of [{ productSlug: 'nope' }, { statusSlug: 'nope' }, { tagSlug: 'nope' }]) {
				const page = await listIdeas(t.db, { sort: 'top', ...filter });
				expect(page).toEqual({ ideas: [], nextCursor: null });
			}
		});

		it('summarises an idea: path, excerpt, product, status, tags, counts, author', async () => {
			const { ideas } = await listIdeas(t.db, { sort: 'top', tagSlug: 'export', limit: 100 });
			const csv = ideas.find((idea) => idea.title === 'Export reports to CSV')!;
			expect(csv).toEqual({
				id: id('Export reports to CSV'),
				title: 'Export reports to CSV',
				path: `/ideas/${id('Export reports to CSV')}-export-reports-to-csv`,
				excerpt: 'Let me export any report as a CSV file, like a spreadsheet.',
				product: { name: 'Mobile', slug: 'mobile' },
				status: { name: 'Open', slug: 'open', category: 'open' },
				tags: [{ name: 'Export', slug: 'export' }],
				voteCount: 5,
				commentCount: 0,
				createdAt: BASE,
				author: { handle: 'alice', displayName: 'Alice' },
				challenge: null
			});
			const seven = ideas.find((idea) => idea.title === 'Pager idea 7')!;
			expect(seven.tags).toEqual([
				{ name: 'Export', slug: 'export' },
				{ name: 'UX', slug: 'ux' }
			]);
		});

		it('cuts a long body to a short plain-text excerpt', async () => {
			const { ideas } = await listIdeas(t.db, { sort: 'top', productSlug: 'mobile', limit: 100 });
			const long = ideas.find((idea) => idea.title === 'Long body idea')!;
			expect(long.excerpt.startsWith('A heading word word')).toBe(true);
			expect(long.excerpt.endsWith('…')).toBe(true);
			expect(long.excerpt.length).toBeLessThanOrEqual(201);
		});

		it('refuses a cursor that is not its own', async () => {
			const first = await listIdeas(t.db, { sort: 'top', limit: 3 });
			expect(first.nextCursor).not.toBeNull();
			await expect(
				listIdeas(t.db, { sort: 'newest', cursor: first.nextCursor, limit: 3 })
			).rejects.toThrow(InvalidCursorError);
			for (const cursor of [
				'garbage',
				'',
				encodeCursor({ sort: 'newest', key: 'yesterday', id: 1 }),
				encodeCursor({ sort: 'top', key: 2 ** 40, id: 1 }),
				encodeCursor({ sort: 'top', key: 1.5, id: 1 }),
				encodeCursor({ sort: 'top', key: 3, id: 0 }),
				Buffer.from('["top", 1]').toString('base64url'),
				Buffer.from('["top", "1; drop table post", 5]').toString('base64url')
			]) {
				if (cursor === '') {
					// An empty cursor is the first page.
					await expect(listIdeas(t.db, { sort: 'top', cursor })).resolves.toBeTruthy();
					continue;
				}
				await expect(listIdeas(t.db, { sort: 'top', cursor })).rejects.toThrow(InvalidCursorError);
			}
		});

		it('refuses a newest cursor holding an impossible time', async () => {
			for (const key of ['2026-02-30T00:00:00.000000Z', '2026-13-01T00:00:00.000000Z']) {
				await expect(
					listIdeas(t.db, { sort: 'newest', cursor: encodeCursor({ sort: 'newest', key, id: 1 }) })
				).rejects.toThrow(InvalidCursorError);
			}
			const ok = encodeCursor({ sort: 'newest', key: '2026-03-01T11:59:59.999999Z', id: 1 });
			await expect(listIdeas(t.db, { sort: 'newest', cursor: ok })).resolves.toBeTruthy();
		});

		it('ranks trending by votes and age: ten times the votes equal 12.5 hours', async () => {
			const trending = await listIdeas(t.db, { sort: 'trending', limit: 100 });
			const position = (title: string) => trending.ideas.findIndex((idea) => idea.title === title);
			// Same instant: more votes first. "Dark mode" (8 votes) beats "Export reports" (5).
			expect(position('Dark mode for the dashboard')).toBeLessThan(
				position('Export reports to CSV')
			);
			// 3 votes make up for 5 hours (log10 3 = 0.48 > 5/12.5), not for 11 (0.88).
			expect(position('Pager idea 11')).toBeLessThan(position('Pager idea 1'));
			expect(position('Pager idea 1')).toBeLessThan(position('Pager idea 23'));
		});
	});

	describe('listIdeaFilterOptions', () => {
		it('offers every product (archived last), status in order, and tag', async () => {
			const options = await listIdeaFilterOptions(t.db);
			expect(options.products).toEqual([
				{ name: 'Analytics', slug: 'analytics', archived: false },
				{ name: 'Mobile', slug: 'mobile', archived: false },
				{ name: 'Legacy', slug: 'legacy', archived: true }
			]);
			expect(options.statuses.map((s) => s.slug)).toEqual([
				'open',
				'under-review',
				'planned',
				'in-progress',
				'shipped',
				'declined'
			]);
			expect(options.tags.map((tag) => tag.slug)).toEqual(['export', 'ux']);
		});
	});

	describe('searchIdeas', () => {
		const titles = async (q: string, extra: Partial<Parameters<typeof searchIdeas>[1]> = {}) =>
			(await searchIdeas(t.db, { q, ...extra })).ideas.map((idea) => idea.title);

		it('finds ideas by stemmed words in title and body, never deleted or merged ones', async () => {
			const found = await titles('exporting');
			expect(found.sort()).toEqual(
				[
					'CSV export of funnels',
					'Export reports to CSV',
					'Export to PDF',
					'Legacy export tool'
				].sort()
			);
		});

		it('supports "quoted phrases"', async () => {
			expect(await titles('"export reports"')).toEqual(['Export reports to CSV']);
			expect(await titles('"reports export"')).toEqual([]);
		});

		it('supports -excluded words and or', async () => {
			expect((await titles('export -csv')).sort()).toEqual(
				['Export to PDF', 'Legacy export tool'].sort()
			);
			expect((await titles('pdf or owls')).sort()).toEqual(
				['Dark mode for the dashboard', 'Export to PDF'].sort()
			);
		});

		it('ranks a title match above a body-only match', async () => {
			expect(await titles('spreadsheet')).toEqual([
				'Spreadsheet sync with Google Sheets',
				'Export reports to CSV'
			]);
		});

		it('filters by product', async () => {
			expect(await titles('export', { productSlug: 'legacy' })).toEqual(['Legacy export tool']);
			expect(await titles('export', { productSlug: 'nope' })).toEqual([]);
		});

		it('highlights the matched words', async () => {
			const { ideas } = await searchIdeas(t.db, { q: 'dark' });
			expect(ideas).toHaveLength(1);
			expect(ideas[0]!.titleHtml).toBe('<mark>Dark</mark> mode for the dashboard');
			expect(ideas[0]!.excerptHtml).toBe(
				'Night owls want a <mark>dark</mark> theme for dashboards.'
			);
			expect(ideas[0]!.path).toBe(
				`/ideas/${id('Dark mode for the dashboard')}-dark-mode-for-the-dashboard`
			);
		});

		it('shows a long body as short passages around the match', async () => {
			const { ideas } = await searchIdeas(t.db, { q: 'heading' });
			expect(ideas.map((idea) => idea.title)).toEqual(['Long body idea']);
			expect(ideas[0]!.excerptHtml).toMatch(/^<mark>heading<\/mark> word word/);
			expect(ideas[0]!.excerpt.length).toBeLessThanOrEqual(301);
		});

		it('escapes the user’s HTML: only <mark> is markup', async () => {
			const { ideas } = await searchIdeas(t.db, { q: 'scripts tags' });
			expect(ideas).toHaveLength(1);
			const [idea] = ideas;
			expect(idea!.titleHtml).toBe(
				'<mark>Script</mark> &lt;script&gt;alert(1)&lt;/script&gt; <mark>tags</mark> in titles'
			);
			// ts_headline drops what it parses as tags from passages; whatever it keeps is text.
			expect(idea!.excerptHtml).toContain('<mark>scripts</mark>');
			expect(idea!.excerptHtml).toContain('&lt;img src=x onerror=alert(1)&gt;');
			for (const html of [idea!.titleHtml, idea!.excerptHtml]) {
				expect(html).not.toMatch(/<(?!\/?mark>)/);
			}
		});

		it('keeps every known XSS payload as text in titles and excerpts', async () => {
			const sandbox = await t.db
				.insertInto('product')
				.values({ name: 'Sandbox', slug: 'sandbox' })
				.returning('id')
				.executeTakeFirstOrThrow();
			for (const payload of xssPayloads) {
				await insertIdea(t.db, world, {
					title: `Zebra ${payload}`.slice(0, 200),
					body: `${payload} zebra ${payload}`,
					product: sandbox.id
				});
			}
			const { ideas } = await searchIdeas(t.db, {
				q: 'zebra',
				productSlug: 'sandbox',
				limit: 100
			});
			expect(ideas).toHaveLength(xssPayloads.length);
			for (const idea of ideas) {
				for (const html of [idea.titleHtml, idea.excerptHtml]) {
					expect(html).not.toMatch(/<(?!\/?mark>)/);
				}
				expect(idea.titleHtml).toMatch(/^<mark>Zebra<\/mark> /);
				// Unescaped, the title is exactly what was written.
				const text = idea.titleHtml
					.replace(/<\/?mark>/g, '')
					.replace(/&lt;/g, '<')
					.replace(/&gt;/g, '>')
					.replace(/&quot;/g, '"')
					.replace(/&#39;/g, "'")
					.replace(/&amp;/g, '&');
				expect(text).toBe(idea.title);
			}
		});

		it('keeps <mark> balanced even when the text holds the marker characters', async () => {
			const { ideas } = await searchIdeas(t.db, { q: 'markers reversed characters' });
			expect(ideas).toHaveLength(1);
			for (const html of [ideas[0]!.titleHtml, ideas[0]!.excerptHtml]) {
				expect(html.includes('\u0002') || html.includes('\u0003')).toBe(false);
				expect(html.match(/<mark>/g)?.length).toBe(html.match(/<\/mark>/g)?.length);
				expect(html).not.toMatch(/<mark>[^<]*<mark>/);
			}
			expect(ideas[0]!.titleHtml).toBe('Stray <mark>markers</mark> and <mark>reversed</mark> ones');
		});

		it('returns nothing, without an error, for an empty or stop-word query', async () => {
			for (const q of ['', '   ', 'the', 'the and of', '-', '"', 'or', '""', '-the', '!!! ???']) {
				await expect(searchIdeas(t.db, { q })).resolves.toEqual({ ideas: [], hasMore: false });
			}
		});

		it('copes with search syntax that would break to_tsquery', async () => {
			for (const q of ["it's", 'a & b | !c', "':*", '(export', 'export:*', '\\', 'ex\u0000port']) {
				await expect(searchIdeas(t.db, { q: q.replace('\u0000', '') })).resolves.toBeTruthy();
			}
		});

		it('pages through results with an offset', async () => {
			const first = await searchIdeas(t.db, { q: 'pager', limit: 10 });
			expect(first.ideas).toHaveLength(10);
			expect(first.hasMore).toBe(true);
			const rest = await searchIdeas(t.db, { q: 'pager', limit: 10, offset: 20 });
			expect(rest.ideas).toHaveLength(5);
			expect(rest.hasMore).toBe(false);
			const all = await searchIdeas(t.db, { q: 'pager', limit: 100 });
			expect(all.ideas).toHaveLength(25);
		});
	});

	describe('findSimilarIdeas', () => {
		it('finds ideas sharing words with the draft, its own product first', async () => {
			const similar = await findSimilarIdeas(t.db, {
				title: 'Export to CSV',
				productId: world.products.analytics
			});
			expect(similar[0]!.title).toBe('CSV export of funnels');
			expect(similar.map((idea) => idea.title)).toContain('Export reports to CSV');
			expect(similar[0]).toEqual({
				id: id('CSV export of funnels'),
				title: 'CSV export of funnels',
				path: `/ideas/${id('CSV export of funnels')}-csv-export-of-funnels`,
				voteCount: 1,
				status: { name: 'Open', category: 'open' },
				product: { id: world.products.analytics, name: 'Analytics' }
			});
		});

		it('orders by score without a product', async () => {
			const similar = await findSimilarIdeas(t.db, { title: 'Export reports to CSV please' });
			expect(similar[0]!.title).toBe('Export reports to CSV');
		});

		it('leaves out deleted and merged ideas, and the idea being edited', async () => {
			const titlesOf = async (options: Parameters<typeof findSimilarIdeas>[1]) =>
				(await findSimilarIdeas(t.db, { limit: 20, ...options })).map((idea) => idea.title);
			const similar = await titlesOf({ title: 'Export deleted idea' });
			expect(similar).not.toContain('Export deleted idea');
			expect(similar).not.toContain('Export merged idea');
			expect(await titlesOf({ title: 'Pager idea merged' })).not.toContain('Pager idea merged');

			expect(await titlesOf({ title: 'Export to PDF' })).toContain('Export to PDF');
			expect(
				await titlesOf({ title: 'Export to PDF', excludeId: id('Export to PDF') })
			).not.toContain('Export to PDF');
		});

		it('catches typos by trigram similarity', async () => {
			const similar = await findSimilarIdeas(t.db, { title: 'Darkmode dashbord' });
			expect(similar.map((idea) => idea.title)).toContain('Dark mode for the dashboard');
		});

		it('ignores unrelated ideas and titles under four characters', async () => {
			expect(await findSimilarIdeas(t.db, { title: 'Quantum teleportation' })).toEqual([]);
			expect(await findSimilarIdeas(t.db, { title: 'CSV' })).toEqual([]);
			expect(await findSimilarIdeas(t.db, { title: '   a  ' })).toEqual([]);
			expect(await findSimilarIdeas(t.db, { title: 'the of and' })).toEqual([]);
		});

		it('respects the limit', async () => {
			expect(await findSimilarIdeas(t.db, { title: 'Pager idea', limit: 3 })).toHaveLength(3);
			expect(await findSimilarIdeas(t.db, { title: 'Pager idea' })).toHaveLength(5);
		});
	});
});
