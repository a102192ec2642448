// Reads an Atom feed with a real XML parser and checks what RFC 4287 requires of it, so a test
// fails on a feed that a reader would refuse (not well-formed, or missing a required element).
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface AtomEntry {
	id: string;
	title: string;
	updated: string;
	published: string;
	link: string;
	content: string;
	contentType: string;
	author: string;
	category: string | null;
}

export interface AtomFeed {
	id: string;
	title: string;
	updated: string;
	self: string;
	alternate: string | null;
	author: string | null;
	entries: AtomEntry[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Node = Record<string, unknown>;

function text(node: unknown, what: string): string {
	const value = typeof node === 'object' && node !== null ? (node as Node)['#text'] : node;
	if (typeof value !== 'string' || value === '') {
		throw new Error(`Atom: ${what} is missing or empty`);
	}
	return value;
}

function links(node: Node): Node[] {
	const link = node.link;
	return (Array.isArray(link) ? link : link ? [link] : []) as Node[];
}

function date(node: Node, name: string, where: string): string {
	const value = text(node[name], `${where} ${name}`);
	if (!RFC3339.test(value)) {
		throw new Error(`Atom: ${where} ${name} "${value}" is not an RFC 3339 date`);
	}
	return value;
}

function authorName(node: Node): string | null {
	const author = node.author as Node | undefined;
	return author ? text(author.name, 'author name') : null;
}

/** Parses and checks a feed; throws with what is wrong. Text comes back unescaped. */
export function parseAtom(xml: string): AtomFeed {
	const valid = XMLValidator.validate(xml);
	if (valid !== true) {
		throw new Error(`Atom: not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
	}
	const parser = new XMLParser({
		ignoreAttributes: false,
		attributeNamePrefix: '@',
		parseTagValue: false,
		trimValues: false,
		processEntities: true,
		htmlEntities: false,
		isArray: (name) => name === 'entry'
	});
	const doc = parser.parse(xml) as Node;
	const feed = doc.feed as Node | undefined;
	if (!feed) {
		throw new Error('Atom: the root element is not <feed>');
	}
	if (feed['@xmlns'] !== 'http://www.w3.org/2005/Atom') {
		throw new Error('Atom: <feed> is not in the Atom namespace');
	}
	const feedLinks = links(feed);
	const self = feedLinks.find((l) => l['@rel'] === 'self');
	if (!self || typeof self['@href'] !== 'string') {
		throw new Error('Atom: the feed has no link rel="self"');
	}
	const feedAuthor = authorName(feed);
	const entries = ((feed.entry as Node[] | undefined) ?? []).map((entry, i): AtomEntry => {
		const where = `entry ${i + 1}`;
		const alternate = links(entry).find((l) => (l['@rel'] ?? 'alternate') === 'alternate');
		if (!alternate || typeof alternate['@href'] !== 'string') {
			throw new Error(`Atom: ${where} has no alternate link`);
		}
		const content = entry.content as Node | undefined;
		const author = authorName(entry) ?? feedAuthor;
		if (!author) {
			throw new Error(`Atom: ${where} has no author and neither has the feed`);
		}
		const category = entry.category as Node | undefined;
		return {
			id: text(entry.id, `${where} id`),
			title: text(entry.title, `${where} title`),
			updated: date(entry, 'updated', where),
			published: date(entry, 'published', where),
			link: alternate['@href'] as string,
			content: content ? text(content, `${where} content`) : '',
			contentType: content ? String(content['@type'] ?? 'text') : '',
			author,
			category: category ? String(category['@term']) : null
		};
	});
	const alternate = feedLinks.find((l) => l['@rel'] === 'alternate');
	return {
		id: text(feed.id, 'feed id'),
		title: text(feed.title, 'feed title'),
		updated: date(feed, 'updated', 'feed'),
		self: self['@href'] as string,
		alternate: alternate ? String(alternate['@href']) : null,
		author: feedAuthor,
		entries
	};
}
