// Idea vocabulary shared by server and UI (no server imports here).
import { m } from '$lib/paraglide/messages';

export const STATUS_CATEGORIES = [
	'open',
	'under_review',
	'planned',
	'in_progress',
	'done',
	'closed'
] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

/** Ideas in these categories no longer take votes. */
export const VOTING_CLOSED_CATEGORIES: readonly StatusCategory[] = ['done', 'closed'];

export const IMPORTANCES = ['nice', 'important', 'critical'] as const;
export type Importance = (typeof IMPORTANCES)[number];
/** An importance's name in the reader's language. */
export function importanceLabel(importance: Importance): string {
	const labels: Record<Importance, () => string> = {
		nice: m.ideas_importance_nice,
		important: m.ideas_importance_important,
		critical: m.ideas_importance_critical
	};
	return labels[importance]();
}

export const IDEA_SORTS = ['trending', 'top', 'newest', 'discussed'] as const;
export type IdeaSort = (typeof IDEA_SORTS)[number];
/** A sort order's name in the reader's language. */
export function ideaSortLabel(sort: IdeaSort): string {
	const labels: Record<IdeaSort, () => string> = {
		trending: m.ideas_sort_trending,
		top: m.ideas_sort_top,
		newest: m.ideas_sort_newest,
		discussed: m.ideas_sort_discussed
	};
	return labels[sort]();
}

export const IDEA_TITLE_MIN = 4;
export const IDEA_TITLE_MAX = 120;
export const IDEA_BODY_MAX = 20_000;
export const COMMENT_MAX = 10_000;
/** Authors may edit their idea this long after posting, or for as long as only they voted. */
export const IDEA_EDIT_WINDOW_MS = 60 * 60 * 1000;

/** The path of an idea's page: `/ideas/42-dark-mode-for-dashboards`. */
export function ideaPath(idea: { id: number; title: string }): string {
	const slug = idea.title
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 60)
		.replace(/-$/, '');
	return `/ideas/${idea.id}${slug ? `-${slug}` : ''}`;
}
