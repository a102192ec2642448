// Published testimonials as JSON, for a company site to embed (docs/testimonials.md): any origin may
// read it, caches may keep it a minute, and it carries only what members agreed to show.
import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { listPublishedTestimonials } from '$lib/server/testimonials';
import type { RequestHandler } from './$types';

const TESTIMONIALS_FEED_SIZE = 50;

const HEADERS = {
	'Access-Control-Allow-Origin': '*',
	// Short, so a withdrawn consent is gone from caches within a minute too.
	'Cache-Control': 'public, max-age=60'
};

export const GET = (async ({ url }) => {
	const slug = url.searchParams.get('product')?.trim() || undefined;
	if (slug !== undefined && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) {
		return json(
			{ error: 'product must be a product’s slug, like “mobile-app”.' },
			{ status: 400, headers: HEADERS }
		);
	}
	const testimonials = await listPublishedTestimonials(getDb(), {
		productSlug: slug,
		limit: TESTIMONIALS_FEED_SIZE
	});
	return json(
		{
			testimonials: testimonials.map((t) => ({
				id: t.id,
				quote: t.quote,
				quoteHtml: t.quoteHtml,
				name: t.name,
				company: t.company,
				product: t.product,
				publishedAt: t.publishedAt.toISOString()
			}))
		},
		{ headers: HEADERS }
	);
}) satisfies RequestHandler;
