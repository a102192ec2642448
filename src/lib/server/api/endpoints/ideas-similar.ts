// GET /ideas/similar: public ideas that may already say what a draft title says (the new-idea
// form asks as the person types, with the browser session).
import { z } from 'zod';
import { findSimilarIdeas } from '../../ideas/queries';
import { defineEndpoint, ok } from '../endpoint';
import { similarIdeaSchema, toSimilarIdea } from '../schemas';

const optionalId = (what: string) =>
	z
		.string()
		.regex(/^[1-9]\d{0,14}$/, `${what} must be a positive whole number.`)
		.transform(Number)
		.optional();

export default defineEndpoint({
	method: 'GET',
	path: '/ideas/similar',
	operationId: 'findSimilarIdeas',
	tag: 'Ideas',
	summary: 'Ideas similar to a draft title',
	description:
		'Shares a word with the title (stemmed) or is close letter by letter; the product’s own ideas first. At most 10, not paged. A title under 4 characters finds nothing.',
	scope: 'read',
	query: z.object({
		title: z
			.string({ error: 'Give the title to compare, as title=…' })
			.max(200, 'A title is at most 200 characters.'),
		product: optionalId('product').describe('The draft’s product id: its ideas come first.'),
		exclude: optionalId('exclude').describe('An idea to leave out (the one being edited).'),
		limit: z
			.string()
			.regex(/^\d{1,2}$/, 'limit must be a whole number from 1 to 10.')
			.transform(Number)
			.refine((n) => n >= 1 && n <= 10, 'limit must be a whole number from 1 to 10.')
			.optional()
	}),
	responses: {
		200: {
			description: 'The similar ideas, best first.',
			schema: z.object({ data: z.array(similarIdeaSchema) })
		}
	},
	errors: [400],
	async handle({ db, query }) {
		const ideas = await findSimilarIdeas(db, {
			title: query.title,
			productId: query.product ?? null,
			excludeId: query.exclude ?? null,
			limit: query.limit ?? 5
		});
		return ok({
			data: ideas.map(toSimilarIdea)
		});
	}
});
