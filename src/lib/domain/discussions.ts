// Discussion vocabulary shared by server and UI (no server imports here).
import { m } from '$lib/paraglide/messages';

export const THREAD_TITLE_MIN = 4;
export const THREAD_TITLE_MAX = 150;
export const THREAD_BODY_MAX = 20_000;
export const POLL_QUESTION_MAX = 200;
export const POLL_OPTION_MAX = 120;
export const POLL_OPTIONS_MIN = 2;
export const POLL_OPTIONS_MAX = 10;
export const THREADS_PAGE_SIZE = 20;
/** How much of the quoted reply a quote carries, so a quote does not repeat a whole essay. */
export const QUOTE_MAX = 600;

function slugOf(title: string): string {
	return title
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 60)
		.replace(/-$/, '');
}

/** The path of a thread's page: `/discussions/42-how-do-you-share-dashboards`. */
export function discussionPath(thread: { id: number; title: string }): string {
	const slug = slugOf(thread.title);
	return `/discussions/${thread.id}${slug ? `-${slug}` : ''}`;
}

/**
 * The markdown a "Quote" puts in the composer: the reply's source as a blockquote, cut to
 * QUOTE_MAX characters, with who said it, then an empty line to write under.
 */
export function quoteMarkdown(
	author: { displayName: string; handle: string },
	source: string
): string {
	const text = source.trim();
	const cut = text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX).trimEnd()}…` : text;
	const quoted = cut
		.split(/\r?\n/)
		.map((line) => (line ? `> ${line}` : '>'))
		.join('\n');
	return `${m.discussions_quote_wrote({ handle: `@${author.handle}` })}\n\n${quoted}\n\n`;
}

/** A share of the ballots as a whole percentage for the text next to a bar: 1 of 3 → 33. */
export function percentOf(count: number, total: number): number {
	return total === 0 ? 0 : Math.round((count / total) * 100);
}
