// What an email says: plain text plus a simple HTML part built from the same parts, every piece
// of user text escaped. Pure functions, tested beside this file. Written in the recipient's
// language (`locale`, English when not given).
import { baseLocale, isLocale, type Locale } from '$lib/i18n/locales';
import { m } from '$lib/paraglide/messages';

/** The language to write to a member in: their saved one (`app_user.locale`), else English. */
export function recipientLocale(saved: string | null | undefined): Locale {
	return saved && isLocale(saved) ? saved : baseLocale;
}

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** Text of HTML our markdown renderer made (for the plain-text part): tags off, entities decoded. */
export function htmlToText(html: string): string {
	return html
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/(p|li|h[1-6]|blockquote|pre)>/gi, '\n')
		.replace(/<[^>]*>/g, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/** At most `max` characters of `text`, cut at a word and marked as cut. */
export function excerpt(text: string, max = 300): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	if (flat.length <= max) {
		return flat;
	}
	const cut = flat.slice(0, max);
	const space = cut.lastIndexOf(' ');
	return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A block of an email: a paragraph, a quote of what someone wrote, or a titled list. */
export type EmailBlock =
	| { kind: 'paragraph'; text: string }
	| { kind: 'quote'; text: string }
	| { kind: 'link'; label: string; url: string }
	| { kind: 'section'; title: string; url: string; lines: string[] };

export interface EmailContent {
	subject: string;
	greetingName: string;
	blocks: EmailBlock[];
	/** Why they get this and how to stop it. */
	footer: { reason: string; preferencesUrl: string; unsubscribeUrl: string; siteName: string };
	/** The recipient's language; English when not given. */
	locale?: Locale;
}

export function renderEmailText(content: EmailContent): string {
	const locale = content.locale ?? 'en';
	const parts: string[] = [m.email_greeting({ name: content.greetingName }, { locale })];
	for (const block of content.blocks) {
		switch (block.kind) {
			case 'paragraph':
				parts.push(block.text);
				break;
			case 'quote':
				parts.push(
					block.text
						.split('\n')
						.map((line) => `> ${line}`)
						.join('\n')
				);
				break;
			case 'link':
				parts.push(`${block.label}: ${block.url}`);
				break;
			case 'section':
				parts.push(
					[`${block.title}`, `${block.url}`, ...block.lines.map((line) => `- ${line}`)].join('\n')
				);
				break;
		}
	}
	const { footer } = content;
	parts.push(
		[
			'--',
			`${footer.reason}`,
			`${m.email_footer_preferences({}, { locale })}: ${footer.preferencesUrl}`,
			`${m.email_footer_unsubscribe({}, { locale })}: ${footer.unsubscribeUrl}`
		].join('\n')
	);
	return `${parts.join('\n\n')}\n`;
}

export function renderEmailHtml(content: EmailContent): string {
	const e = escapeHtml;
	const locale = content.locale ?? 'en';
	const body: string[] = [
		`<p>${e(m.email_greeting({ name: content.greetingName }, { locale }))}</p>`
	];
	for (const block of content.blocks) {
		switch (block.kind) {
			case 'paragraph':
				body.push(`<p>${e(block.text)}</p>`);
				break;
			case 'quote':
				body.push(
					`<blockquote style="margin:0 0 1em;padding-left:12px;border-left:3px solid #ccc;color:#333">${e(block.text).replace(/\n/g, '<br>')}</blockquote>`
				);
				break;
			case 'link':
				body.push(`<p><a href="${e(block.url)}">${e(block.label)}</a></p>`);
				break;
			case 'section':
				body.push(
					`<h2 style="font-size:16px;margin:1.2em 0 .3em"><a href="${e(block.url)}">${e(block.title)}</a></h2>`,
					`<ul>${block.lines.map((line) => `<li>${e(line)}</li>`).join('')}</ul>`
				);
				break;
		}
	}
	const { footer } = content;
	return [
		'<!doctype html>',
		`<html lang="${locale}"><head><meta charset="utf-8"><title>${e(content.subject)}</title></head>`,
		'<body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#111;max-width:600px">',
		...body,
		'<hr style="border:0;border-top:1px solid #ddd;margin:2em 0 1em">',
		`<p style="font-size:13px;color:#444">${e(footer.reason)}<br>`,
		`<a href="${e(footer.preferencesUrl)}">${e(m.email_footer_preferences({}, { locale }))}</a> · `,
		`<a href="${e(footer.unsubscribeUrl)}">${e(m.email_footer_unsubscribe({}, { locale }))}</a></p>`,
		'</body></html>'
	].join('\n');
}
