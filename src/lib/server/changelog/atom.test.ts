import { describe, expect, it } from 'vitest';
import { parseAtom } from '../../../../tests/helpers/atom';
import { xssPayloads } from '../../../../tests/helpers/xss-payloads';
import { buildAtomFeed, entryTagUri, escapeXml } from './atom';
import type { ChangelogEntryView } from './index';

const published = new Date('2026-11-20T10:00:00.000Z');

function entry(id: number, overrides: Partial<ChangelogEntryView> = {}): ChangelogEntryView {
	return {
		id,
		title: `Release ${id}`,
		slug: `${id}-release-${id}`,
		path: `/changelog/${id}-release-${id}`,
		bodySource: 'Faster exports.',
		bodyHtml: '<p>Faster <strong>exports</strong> &amp; imports.</p>\n',
		product: { id: 1, name: 'Analytics', slug: 'analytics' },
		author: { handle: 'sam', displayName: 'Sam Lindqvist' },
		createdAt: published,
		updatedAt: published,
		publishedAt: published,
		ideas: [],
		...overrides
	};
}

function feed(entries: ChangelogEntryView[]) {
	return buildAtomFeed({
		origin: 'https://feedback.example.com',
		siteName: 'Roundtable',
		selfPath: '/changelog.atom',
		pagePath: '/changelog',
		entries
	});
}

describe('buildAtomFeed', () => {
	it('has what RFC 4287 requires of a feed and its entries', () => {
		const edited = new Date('2026-11-21T08:30:00.000Z');
		const parsed = parseAtom(
			feed([
				entry(2, {
					updatedAt: edited,
					ideas: [
						{
							id: 7,
							title: 'Dark mode',
							path: '/ideas/7-dark-mode',
							voteCount: 3,
							status: { name: 'Shipped', category: 'done' }
						}
					]
				}),
				entry(1, { product: null, author: null })
			])
		);
		expect(parsed.id).toBe('https://feedback.example.com/changelog.atom');
		expect(parsed.self).toBe('https://feedback.example.com/changelog.atom');
		expect(parsed.alternate).toBe('https://feedback.example.com/changelog');
		expect(parsed.title).toBe('Roundtable changelog');
		expect(parsed.updated).toBe(edited.toISOString());
		expect(parsed.entries).toHaveLength(2);
		const [first, second] = parsed.entries;
		expect(first).toMatchObject({
			id: 'tag:feedback.example.com,2026-11-20:changelog/2',
			title: 'Release 2',
			link: 'https://feedback.example.com/changelog/2-release-2',
			published: published.toISOString(),
			updated: edited.toISOString(),
			contentType: 'html',
			author: 'Sam Lindqvist',
			category: 'analytics'
		});
		// The HTML comes back exactly as it was, links to the shipped ideas made absolute.
		expect(first!.content).toBe(
			'<p>Faster <strong>exports</strong> &amp; imports.</p>\n<h2>Ideas shipped</h2><ul><li><a href="https://feedback.example.com/ideas/7-dark-mode">Dark mode</a></li></ul>'
		);
		expect(second).toMatchObject({ author: 'Roundtable', category: null });
	});

	it('is valid with no entries, dated the epoch', () => {
		const parsed = parseAtom(feed([]));
		expect(parsed.entries).toEqual([]);
		expect(parsed.updated).toBe('1970-01-01T00:00:00.000Z');
	});

	it('leaves drafts out', () => {
		const parsed = parseAtom(feed([entry(1), entry(2, { publishedAt: null, path: null })]));
		expect(parsed.entries.map((e) => e.title)).toEqual(['Release 1']);
	});

	const hostile = [
		'</title><script>alert(1)</script>',
		'Q&A <b>bold</b> "double" \'single\' ]]> <![CDATA[x]]>',
		'&amp; &lt; &#x26; &unknown;',
		'Café 🚀 — 日本語',
		// Payloads with control characters are the next test's: those characters are dropped.
		...xssPayloads.filter((p) => ![...p].some((c) => c < ' ' && !'\t\n\r'.includes(c)))
	];

	it.each(hostile)('a hostile title stays text and the feed stays valid: %s', (title) => {
		const parsed = parseAtom(feed([entry(1, { title, bodyHtml: `<p>${escapeXml(title)}</p>` })]));
		expect(parsed.entries[0]!.title).toBe(title);
		expect(parsed.entries[0]!.content).toBe(`<p>${escapeXml(title)}</p>`);
	});

	it('drops characters XML 1.0 cannot carry instead of writing a broken feed', () => {
		const title = 'Null\u0000 bell\u0007 lone\uD800 surrogate\uFFFF end';
		const parsed = parseAtom(feed([entry(1, { title })]));
		expect(parsed.entries[0]!.title).toBe('Null bell lone surrogate end');
	});

	it('keeps tab, newline and astral characters', () => {
		expect(escapeXml('a\tb\nc 🚀')).toBe('a\tb\nc 🚀');
	});
});

describe('entryTagUri', () => {
	it('is a tag URI of the host, the publication day and the id', () => {
		expect(entryTagUri('example.com', { id: 12, publishedAt: published })).toBe(
			'tag:example.com,2026-11-20:changelog/12'
		);
	});
});
