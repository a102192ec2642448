import { error, redirect } from '@sveltejs/kit';
import type { IdeaSort } from '$lib/domain/ideas';
import { getDb } from '$lib/server/db/app';
import { m } from '$lib/paraglide/messages';
import {
	InvalidCursorError,
	SEARCH_PAGE_SIZE,
	SEARCH_QUERY_MAX,
	isIdeaSort,
	listIdeaFilterOptions,
	listIdeas,
	searchIdeas,
	type IdeaSearchResult,
	type IdeaSummary
} from '$lib/server/ideas/queries';
import type { PageServerLoad } from './$types';

/** Search results go this deep; past it, a narrower query serves better than another page. */
const SEARCH_MAX_PAGE = 50;

/** A filter's slug from the query string: absent or empty means no filter. */
function slugParam(url: URL, name: string): string | null {
	const value = url.searchParams.get(name)?.trim();
	return value ? value : null;
}

function unknown(what: 'product' | 'status' | 'tag', slug: string): never {
	const messages = {
		product: m.ideas_unknown_product,
		status: m.ideas_unknown_status,
		tag: m.ideas_unknown_tag
	};
	error(404, messages[what]({ slug: slug.slice(0, 80) }));
}

const PARAMS = ['q', 'product', 'status', 'tag', 'sort', 'after', 'page'];

/**
 * The filter form sends every field, empty or not; the same list without the empty ones (and
 * without the default sort) is the address worth sharing, or null when `url` is already it.
 */
function canonicalSearch(url: URL): string | null {
	const kept = new URLSearchParams();
	for (const [name, value] of url.searchParams) {
		const empty = value.trim() === '' || (name === 'sort' && value === 'trending');
		if (!(PARAMS.includes(name) && empty)) {
			kept.append(name, value);
		}
	}
	const search = kept.toString();
	return search === url.searchParams.toString() ? null : search;
}

export const load = (async ({ url }) => {
	const canonical = canonicalSearch(url);
	if (canonical !== null) {
		redirect(307, canonical ? `/ideas?${canonical}` : '/ideas');
	}
	const db = getDb();
	const sortParam = url.searchParams.get('sort');
	const sort: IdeaSort = isIdeaSort(sortParam) ? sortParam : 'trending';
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, SEARCH_QUERY_MAX);
	const cursor = url.searchParams.get('after') || null;
	const pageParam = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
	const page = Number.isInteger(pageParam) ? Math.min(Math.max(pageParam, 1), SEARCH_MAX_PAGE) : 1;

	const options = await listIdeaFilterOptions(db);
	// A filter naming nothing that exists is a broken link: say so rather than show an empty list
	// that looks like "no ideas".
	const product = slugParam(url, 'product');
	const status = slugParam(url, 'status');
	const tag = slugParam(url, 'tag');
	if (product && !options.products.some((p) => p.slug === product)) {
		unknown('product', product);
	}
	if (status && !options.statuses.some((s) => s.slug === status)) {
		unknown('status', status);
	}
	if (tag && !options.tags.some((t) => t.slug === tag)) {
		unknown('tag', tag);
	}
	const filters = { productSlug: product, statusSlug: status, tagSlug: tag };

	let ideas: (IdeaSummary | IdeaSearchResult)[];
	let nextCursor: string | null = null;
	let hasMoreResults = false;
	if (q) {
		const found = await searchIdeas(db, {
			...filters,
			q,
			limit: SEARCH_PAGE_SIZE,
			offset: (page - 1) * SEARCH_PAGE_SIZE
		});
		ideas = found.ideas;
		hasMoreResults = found.hasMore && page < SEARCH_MAX_PAGE;
	} else {
		try {
			const list = await listIdeas(db, { ...filters, sort, cursor });
			ideas = list.ideas;
			nextCursor = list.nextCursor;
		} catch (cause) {
			if (cause instanceof InvalidCursorError) {
				error(400, m.ideas_invalid_cursor());
			}
			throw cause;
		}
	}

	return {
		sort,
		q,
		filters: { product: product ?? '', status: status ?? '', tag: tag ?? '' },
		options,
		searching: q !== '',
		ideas,
		// Where this page is in the list: the first page, or a later one.
		paged: q ? page > 1 : cursor !== null,
		page,
		nextCursor,
		hasMoreResults
	};
}) satisfies PageServerLoad;
