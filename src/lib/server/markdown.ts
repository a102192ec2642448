// The one markdown renderer for user-written text: safe HTML, rendered once on write and stored.
import MarkdownIt from 'markdown-it';
import type { StateCore, StateInline, Token } from 'markdown-it';

// User content is untrusted: search engines should not credit it, and an opened tab must not
// get a handle on ours (`target` is never set, `noopener` covers a user's own middle-click).
const LINK_REL = 'nofollow ugc noopener';

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
// Only the protocol of the result is read; relative and fragment links resolve to https: here,
// exactly as they would against any page of ours.
const RESOLVE_BASE = 'https://roundtable.invalid/';

const HANDLE = /^[A-Za-z0-9_]{3,30}/;
const CONTINUES_HANDLE = /[A-Za-z0-9_@]/;
// Deny by default: a mention starts a word. Anything else before the '@' (a letter, '.', '+',
// '/', '=', ':') means an email address, a URL path or a query string, not a person.
const MENTION_MAY_FOLLOW = /[\s\p{Ps}\p{Pi}"'*~]/u;

/**
 * Parses with the WHATWG URL parser, as a browser would, so tab/newline/case tricks
 * (`java\tscript:`, `JAVASCRIPT:`) and entity-decoded variants land on their real scheme.
 */
function isAllowedUrl(url: string): boolean {
	try {
		return ALLOWED_PROTOCOLS.has(new URL(url, RESOLVE_BASE).protocol);
	} catch {
		return false;
	}
}

function mention(state: StateInline, silent: boolean): boolean {
	const start = state.pos;
	if (state.src.charCodeAt(start) !== 0x40 /* @ */) {
		return false;
	}
	// A link's label is already inside an <a>; nesting another would be invalid HTML.
	if (state.linkLevel > 0) {
		return false;
	}
	const before = start > 0 ? state.src.charAt(start - 1) : '';
	if (before !== '' && !MENTION_MAY_FOLLOW.test(before)) {
		return false;
	}
	const match = HANDLE.exec(state.src.slice(start + 1, start + 32));
	if (!match) {
		return false;
	}
	const handle = match[0];
	const end = start + 1 + handle.length;
	// Too long to be a handle, or `@user@host`: better no link than a link to the wrong person.
	if (end < state.posMax && CONTINUES_HANDLE.test(state.src.charAt(end))) {
		return false;
	}
	if (!silent) {
		const open = state.push('link_open', 'a', 1);
		open.attrs = [
			['href', `/people/${handle.toLowerCase()}`],
			['class', 'mention']
		];
		open.meta = { mention: handle.toLowerCase() };
		state.push('text', '', 0).content = `@${handle}`;
		state.push('link_close', 'a', -1);
	}
	state.pos = end;
	return true;
}

function plainText(tokens: Token[] | null): string {
	let text = '';
	for (const token of tokens ?? []) {
		if (token.type === 'text' || token.type === 'text_special' || token.type === 'code_inline') {
			text += token.content;
		} else if (token.type === 'softbreak' || token.type === 'hardbreak') {
			text += ' ';
		} else if (token.type === 'image') {
			text += plainText(token.children);
		}
	}
	return text;
}

/**
 * Images become plain links showing their alt text: our CSP (img-src 'self' data:) would block
 * any external image anyway, and a link cannot track readers, shift the layout or be a 1x1 beacon.
 */
function imagesAsLinks(state: StateCore): void {
	for (const block of state.tokens) {
		if (block.type !== 'inline' || !block.children) {
			continue;
		}
		const out: Token[] = [];
		let linkDepth = 0;
		for (const token of block.children) {
			if (token.type === 'link_open') {
				linkDepth++;
			} else if (token.type === 'link_close') {
				linkDepth--;
			}
			if (token.type !== 'image') {
				out.push(token);
				continue;
			}
			const src = String(token.attrGet('src') ?? '');
			const label = new state.Token('text', '', 0);
			label.content = plainText(token.children) || state.md.normalizeLinkText(src);
			// Inside a link already (a linked badge): keep the words, since <a> cannot nest.
			if (linkDepth > 0) {
				out.push(label);
				continue;
			}
			const open = new state.Token('link_open', 'a', 1);
			open.attrs = [['href', src]];
			const title = token.attrGet('title');
			if (title) {
				open.attrs.push(['title', String(title)]);
			}
			out.push(open, label, new state.Token('link_close', 'a', -1));
		}
		block.children = out;
	}
}

/** Pages own their <h1> and <h2>; user content starts at <h3> so the outline stays truthful. */
function demoteHeadings(state: StateCore): void {
	for (const token of state.tokens) {
		if (token.type === 'heading_open' || token.type === 'heading_close') {
			token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 2)}`;
		}
	}
}

/** Table alignment arrives as style="text-align:…"; our CSP and the no-inline-style rule drop it. */
function dropTableStyles(state: StateCore): void {
	for (const token of state.tokens) {
		if (token.type === 'th_open' || token.type === 'td_open') {
			token.attrs = token.attrs?.filter(([name]) => name !== 'style') ?? null;
		}
	}
}

const md = new MarkdownIt({
	html: false,
	linkify: true,
	// Straight quotes stay straight: people paste code and error messages into feedback.
	typographer: false,
	// Feedback is typed into a plain textarea by people who expect Enter to start a new line.
	breaks: true
});
md.validateLink = isAllowedUrl;
md.inline.ruler.push('mention', mention);
md.core.ruler.push('images_as_links', imagesAsLinks);
md.core.ruler.push('demote_headings', demoteHeadings);
md.core.ruler.push('drop_table_styles', dropTableStyles);

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
	const token = tokens[idx]!;
	// validateLink guards what the parser builds; this guards links our own rules build.
	const href = token.attrGet('href');
	if (href !== null && !isAllowedUrl(String(href))) {
		token.attrs = token.attrs?.filter(([name]) => name !== 'href') ?? null;
	}
	token.attrSet('rel', LINK_REL);
	return self.renderToken(tokens, idx, options);
};

/** Renders user-written markdown to HTML that is safe to store and show as-is. */
export function renderMarkdown(source: string): string {
	return md.render(source);
}

/**
 * The distinct handles (lowercased, without '@') that would render as mention links: code,
 * email addresses and URLs never count, because the same parser decides both.
 */
export function extractMentions(source: string): string[] {
	const handles = new Set<string>();
	for (const block of md.parse(source, {})) {
		for (const token of block.children ?? []) {
			const handle: unknown = token.meta?.mention;
			if (token.type === 'link_open' && typeof handle === 'string') {
				handles.add(handle);
			}
		}
	}
	return [...handles];
}
