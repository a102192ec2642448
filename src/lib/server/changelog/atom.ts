// The changelog as an Atom feed (RFC 4287), written as text: every value is escaped for XML and
// stripped of the characters XML 1.0 cannot carry at all, so no title or body can break the feed.
import { m } from '$lib/paraglide/messages';
import type { ChangelogEntryView } from './index';

/** Characters XML 1.0 forbids even when escaped (C0 controls but tab, LF, CR; U+FFFE/U+FFFF; lone surrogates). */
const NOT_XML =
	// eslint-disable-next-line no-control-regex -- matching those characters is the point
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe inside an XML element or a double-quoted attribute. */
export function escapeXml(text: string): string {
	return text
		.replace(NOT_XML, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

export interface FeedOptions {
	/** The site's origin, e.g. `https://feedback.example.com`. */
	origin: string;
	siteName: string;
	/** Shown as the feed's subtitle and on the product filter's feed. */
	productName?: string | null;
	/** The feed's own path with its query (`/changelog.atom?product=api`). */
	selfPath: string;
	/** The page the feed mirrors (`/changelog?product=api`). */
	pagePath: string;
	entries: ChangelogEntryView[];
}

/**
 * A tag URI (RFC 4151) for an entry: the site's host, the day it was published, and its id.
 * It never changes, even when the entry is edited or the title (and so the slug) changes.
 */
export function entryTagUri(host: string, entry: { id: number; publishedAt: Date }): string {
	return `tag:${host},${entry.publishedAt.toISOString().slice(0, 10)}:changelog/${entry.id}`;
}

function linkedIdeasHtml(origin: string, entry: ChangelogEntryView): string {
	if (entry.ideas.length === 0) {
		return '';
	}
	const items = entry.ideas
		.map(
			(idea) => `<li><a href="${escapeXml(origin + idea.path)}">${escapeXml(idea.title)}</a></li>`
		)
		.join('');
	// The HTML is itself escaped once more as the element's text (content type="html").
	return `<h2>${escapeXml(m.roadmap_changelog_ideas_shipped())}</h2><ul>${items}</ul>`;
}

/** The feed document. Entries must be published (they have a path and a date). */
export function buildAtomFeed(options: FeedOptions): string {
	const { origin } = options;
	const host = new URL(origin).hostname;
	const published = options.entries.filter(
		(entry): entry is ChangelogEntryView & { publishedAt: Date; path: string } =>
			entry.publishedAt !== null && entry.path !== null
	);
	// The feed changed when its newest entry was published or any entry was last edited.
	const updated = published.reduce<Date>(
		(latest, entry) => (entry.updatedAt > latest ? entry.updatedAt : latest),
		published[0]?.publishedAt ?? new Date(0)
	);
	const title = options.productName
		? m.roadmap_changelog_feed_title_product({
				siteName: options.siteName,
				product: options.productName
			})
		: m.roadmap_changelog_feed_title({ siteName: options.siteName });
	const lines = [
		'<?xml version="1.0" encoding="utf-8"?>',
		'<feed xmlns="http://www.w3.org/2005/Atom">',
		`\t<id>${escapeXml(origin + options.selfPath)}</id>`,
		`\t<title type="text">${escapeXml(title)}</title>`,
		`\t<subtitle type="text">${escapeXml(m.roadmap_changelog_feed_subtitle({ siteName: options.siteName }))}</subtitle>`,
		`\t<updated>${updated.toISOString()}</updated>`,
		`\t<link rel="self" type="application/atom+xml" href="${escapeXml(origin + options.selfPath)}"/>`,
		`\t<link rel="alternate" type="text/html" href="${escapeXml(origin + options.pagePath)}"/>`,
		`\t<author><name>${escapeXml(options.siteName)}</name></author>`,
		`\t<generator>Roundtable</generator>`
	];
	for (const entry of published) {
		const url = origin + entry.path;
		const html = entry.bodyHtml + linkedIdeasHtml(origin, entry);
		lines.push(
			'\t<entry>',
			`\t\t<id>${escapeXml(entryTagUri(host, entry))}</id>`,
			`\t\t<title type="text">${escapeXml(entry.title)}</title>`,
			`\t\t<link rel="alternate" type="text/html" href="${escapeXml(url)}"/>`,
			`\t\t<published>${entry.publishedAt.toISOString()}</published>`,
			`\t\t<updated>${(entry.updatedAt > entry.publishedAt ? entry.updatedAt : entry.publishedAt).toISOString()}</updated>`,
			`\t\t<author><name>${escapeXml(entry.author?.displayName ?? options.siteName)}</name></author>`,
			...(entry.product
				? [
						`\t\t<category term="${escapeXml(entry.product.slug)}" label="${escapeXml(entry.product.name)}"/>`
					]
				: []),
			`\t\t<content type="html">${escapeXml(html)}</content>`,
			'\t</entry>'
		);
	}
	lines.push('</feed>', '');
	return lines.join('\n');
}
