// What the idea list components show; the server's summaries (ideas/queries.ts) fit these shapes.
import type { StatusCategory } from '$lib/domain/ideas';

export interface IdeaListItem {
	id: number;
	title: string;
	path: string;
	excerpt: string;
	product: { name: string; slug: string };
	status: { name: string; slug: string; category: StatusCategory };
	tags: { name: string; slug: string }[];
	voteCount: number;
	commentCount: number;
	createdAt: Date;
	author: { handle: string; displayName: string };
	/** The challenge the idea was entered into, labelled on the board. */
	challenge?: { title: string; path: string } | null;
	/** Search results: the title and excerpt as escaped HTML with the matches in <mark>. */
	titleHtml?: string;
	excerptHtml?: string;
}

export interface SimilarIdeaItem {
	id: number;
	title: string;
	path: string;
	voteCount: number;
	status: { name: string; category: StatusCategory };
	product: { name: string };
}
