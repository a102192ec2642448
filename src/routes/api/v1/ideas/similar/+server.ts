// GET /api/v1/ideas/similar?title=…&product=<id>&exclude=<id>&limit=<n>: public ideas that may
// already say what a draft title says (the new-idea form asks as the person types).
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db/app';
import { findSimilarIdeas } from '$lib/server/ideas/queries';
import type { RequestHandler } from './$types';

const id = (what: string) =>
	z
		.string()
		.regex(/^\d{1,15}$/, `${what} must be a positive whole number.`)
		.transform(Number)
		.refine((n) => n > 0, `${what} must be a positive whole number.`)
		.optional();

const querySchema = z.object({
	title: z
		.string({ error: 'Give the title to compare, as title=…' })
		.max(200, 'A title is at most 200 characters.'),
	product: id('product'),
	exclude: id('exclude'),
	limit: z
		.string()
		.regex(/^\d{1,2}$/, 'limit must be a whole number from 1 to 10.')
		.transform(Number)
		.refine((n) => n >= 1 && n <= 10, 'limit must be a whole number from 1 to 10.')
		.optional()
});

const FIELDS = ['title', 'product', 'exclude', 'limit'] as const;

export const GET: RequestHandler = async ({ url }) => {
	const raw: Record<string, string | undefined> = {};
	for (const name of FIELDS) {
		raw[name] = url.searchParams.get(name) ?? undefined;
	}
	const parsed = querySchema.safeParse(raw);
	if (!parsed.success) {
		const fields: Record<string, string> = {};
		for (const issue of parsed.error.issues) {
			const field = String(issue.path[0] ?? 'query');
			fields[field] ??= issue.message;
		}
		return json(
			{
				error: {
					code: 'invalid_request',
					message: 'Some query parameters are not valid.',
					fields
				}
			},
			{ status: 400 }
		);
	}
	const { title, product, exclude, limit } = parsed.data;
	const ideas = await findSimilarIdeas(getDb(), {
		title,
		productId: product ?? null,
		excludeId: exclude ?? null,
		limit: limit ?? 5
	});
	return json({ ideas });
};
