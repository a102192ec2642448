// GET /ideas: the public list of ideas with the filters and orders of the /ideas page.
import { z } from 'zod';
import { IDEA_SORTS } from '$lib/domain/ideas';
import { InvalidCursorError, listIdeaFilterOptions, listIdeas } from '../../ideas/queries';
import { invalidCursor } from '../cursor';
import { defineEndpoint, ok } from '../endpoint';
import { ApiError, type FieldMessages } from '../errors';
import { ideaSummarySchema, limitOf, pageOf, pageQuery, toIdeaSummary } from '../schemas';

const slug = (what: string) =>
	z
		.string()
		.regex(/^[a-z0-9-]{1,80}$/, `${what} is a slug, like "dark-mode".`)
		.optional()
		.describe(`Only ideas with this ${what} (its slug).`);

export const ideaFilterQuery = {
	product: slug('product'),
	status: slug('status'),
	tag: slug('tag')
};

/** The filters, checked against what exists: a slug naming nothing is a 422, not an empty list. */
export async function checkIdeaFilters(
	db: Parameters<typeof listIdeaFilterOptions>[0],
	query: { product?: string; status?: string; tag?: string }
) {
	const options = await listIdeaFilterOptions(db);
	const fields: FieldMessages = {};
	if (query.product && !options.products.some((p) => p.slug === query.product)) {
		fields.product = `There is no product "${query.product}".`;
	}
	if (query.status && !options.statuses.some((s) => s.slug === query.status)) {
		fields.status = `There is no status "${query.status}".`;
	}
	if (query.tag && !options.tags.some((t) => t.slug === query.tag)) {
		fields.tag = `There is no tag "${query.tag}".`;
	}
	if (Object.keys(fields).length > 0) {
		throw new ApiError('unprocessable', 'A filter names something that does not exist.', fields);
	}
	return {
		productSlug: query.product ?? null,
		statusSlug: query.status ?? null,
		tagSlug: query.tag ?? null
	};
}

export default defineEndpoint({
	method: 'GET',
	path: '/ideas',
	operationId: 'listIdeas',
	tag: 'Ideas',
	summary: 'List ideas',
	description:
		'Public ideas (not deleted, merged, hidden or awaiting approval), in one of the orders of the ideas page. Pages continue from the last idea of the previous page, so ideas added meanwhile never shift or repeat them.',
	scope: 'read',
	query: z.object({
		...ideaFilterQuery,
		sort: z
			.enum(IDEA_SORTS, { error: `sort is one of ${IDEA_SORTS.join(', ')}.` })
			.default('trending')
			.describe('The order: trending (default), top (most votes), newest, discussed.'),
		...pageQuery
	}),
	responses: { 200: { description: 'A page of ideas.', schema: pageOf(ideaSummarySchema) } },
	errors: [400, 422],
	async handle({ db, query }) {
		const filters = await checkIdeaFilters(db, query);
		try {
			const page = await listIdeas(db, {
				...filters,
				sort: query.sort,
				cursor: query.cursor ?? null,
				limit: limitOf(query)
			});
			return ok({ data: page.ideas.map(toIdeaSummary), next_cursor: page.nextCursor });
		} catch (cause) {
			if (cause instanceof InvalidCursorError) {
				throw invalidCursor();
			}
			throw cause;
		}
	}
});
