// Idea vocabulary shared by server and UI (no server imports here).
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
export const IMPORTANCE_LABELS: Record<Importance, string> = {
	nice: 'Nice to have',
	important: 'Important',
	critical: 'Critical'
};

export const IDEA_SORTS = ['trending', 'top', 'newest', 'discussed'] as const;
export type IdeaSort = (typeof IDEA_SORTS)[number];
export const IDEA_SORT_LABELS: Record<IdeaSort, string> = {
	trending: 'Trending',
	top: 'Top',
	newest: 'Newest',
	discussed: 'Most discussed'
};

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
