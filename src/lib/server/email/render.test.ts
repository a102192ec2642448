import { describe, expect, it } from 'vitest';
import { xssPayloads } from '../../../../tests/helpers/xss-payloads';
import {
	escapeHtml,
	excerpt,
	htmlToText,
	renderEmailHtml,
	renderEmailText,
	type EmailContent
} from './render';

const content = (text: string): EmailContent => ({
	subject: `About ${text}`,
	greetingName: text,
	blocks: [
		{ kind: 'paragraph', text },
		{ kind: 'quote', text: `${text}\nsecond line` },
		{ kind: 'link', label: text, url: 'https://site.test/ideas/1-x?a=1&b=2' },
		{ kind: 'section', title: text, url: 'https://site.test/ideas/2', lines: [text] }
	],
	footer: {
		reason: 'You get this because.',
		preferencesUrl: 'https://site.test/settings/notifications',
		unsubscribeUrl: 'https://site.test/unsubscribe/1.reply.sig',
		siteName: 'Site'
	}
});

describe('email rendering', () => {
	it('escapes the five HTML specials', () => {
		expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
			'&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;'
		);
	});

	it('writes the text part with the quote marked, the links and the footer', () => {
		const text = renderEmailText(content('Ada'));
		expect(text).toBe(
			[
				'Hello Ada,',
				'',
				'Ada',
				'',
				'> Ada\n> second line',
				'',
				'Ada: https://site.test/ideas/1-x?a=1&b=2',
				'',
				'Ada\nhttps://site.test/ideas/2\n- Ada',
				'',
				'--\nYou get this because.\nEmail preferences: https://site.test/settings/notifications\nUnsubscribe from these emails: https://site.test/unsubscribe/1.reply.sig',
				''
			].join('\n')
		);
	});

	it('never lets user text become markup in the HTML part', () => {
		for (const payload of xssPayloads) {
			const html = renderEmailHtml(content(payload));
			expect(html, payload).not.toMatch(/<(script|img|svg|iframe|style|a href="javascript)/i);
			expect(html).toContain(escapeHtml(payload.split('\n')[0]!));
		}
		const html = renderEmailHtml(content('x'));
		expect(html).toContain('href="https://site.test/ideas/1-x?a=1&amp;b=2"');
		expect(html).toContain('<a href="https://site.test/unsubscribe/1.reply.sig">');
	});

	it('turns rendered markdown back into text, and cuts long text at a word', () => {
		expect(htmlToText('<p>One &amp; <em>two</em></p>\n<p>&lt;three&gt;</p>')).toBe(
			'One & two\n\n<three>'
		);
		expect(excerpt('short')).toBe('short');
		expect(excerpt('word '.repeat(100), 20)).toBe('word word word word…');
		expect(excerpt('  spaced\n\nout  ')).toBe('spaced out');
	});
});
