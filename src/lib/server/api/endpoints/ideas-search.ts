// GET /ideas/search: full-text search over public ideas, best match first, with highlights.
import { z } from 'zod';
import { SEARCH_QUERY_MAX, searchIdeas } from '../../ideas/queries';
import { decodeApiCursor, encodeApiCursor, invalidCursor } from '../cursor';
import { defineEndpoint, ok } from '../endpoint';
import { ideaSearchHitSchema, limitOf, pageOf, pageQuery, toIdeaSearchHit } from '../schemas';
import { checkIdeaFilters, ideaFilterQuery } from './ideas-list';

/** Results go this deep; past it, a narrower query serves better than another page. */
const SEARCH_MAX_RESULTS = 1000;

export default defineEndpoint({
	method: 'GET',
	path: '/ideas/search',
	operationId: 'searchIdeas',
	tag: 'Ideas',
	summary: 'Search ideas',
	description:
		'Web-search syntax: "exact phrase", -excluded, or. Best match first. A search ranks by relevance, so its pages are positions in the ranking (up to 1,000 results), not fixed like the list’s.',
	scope: 'read',
	query: z.object({
		q: z
			.string({ error: 'Give the words to search for, as q=…' })
			.trim()
			.min(1, 'Give the words to search for, as q=…')
			.max(SEARCH_QUERY_MAX, `A search is at most ${SEARCH_QUERY_MAX} characters.`),
		...ideaFilterQuery,
		...pageQuery
	}),
	responses: { 200: { description: 'A page of matches.', schema: pageOf(ideaSearchHitSchema) } },
	errors: [400, 422],
	async handle({ db, query }) {
		const filters = await checkIdeaFilters(db, query);
		const list = `search:${query.q}`;
		let offset = 0;
		if (query.cursor !== undefined) {
			const after = decodeApiCursor(query.cursor, list, 1);
			const position = after?.[0];
			if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) {
				throw invalidCursor();
			}
			offset = position;
		}
		const limit = Math.min(limitOf(query), Math.max(0, SEARCH_MAX_RESULTS - offset));
		const found =
			limit === 0
				? { ideas: [], hasMore: false }
				: await searchIdeas(db, { ...filters, q: query.q, limit, offset });
		const next = offset + found.ideas.length;
		return ok({
			data: found.ideas.map(toIdeaSearchHit),
			next_cursor:
				found.hasMore && next < SEARCH_MAX_RESULTS ? encodeApiCursor({ list, after: [next] }) : null
		});
	}
});
