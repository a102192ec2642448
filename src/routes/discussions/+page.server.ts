import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { getCategoryBySlug, listCategories, listThreads } from '$lib/server/discussions';
import { canStartDiscussion } from '$lib/server/policy';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
	const db = getDb();
	const slug = url.searchParams.get('category');
	const pageParam = url.searchParams.get('page');
	// What an empty GET form sends: the same list at its short address.
	if (slug === '' || pageParam === '' || pageParam === '1') {
		const clean = new URLSearchParams();
		if (slug) {
			clean.set('category', slug);
		}
		redirect(308, `/discussions${clean.size > 0 ? `?${clean}` : ''}`);
	}
	if (pageParam !== null && !/^\d{1,6}$/.test(pageParam)) {
		error(400, m.discussions_page_not_number());
	}
	const category = slug ? await getCategoryBySlug(db, slug) : null;
	if (slug && !category) {
		error(404, m.discussions_category_not_found());
	}
	const page = pageParam === null ? 1 : Number(pageParam);
	const [categories, list] = await Promise.all([
		listCategories(db),
		listThreads(db, locals.actor, { categoryId: category?.id ?? null, page })
	]);
	if (page > list.pages) {
		error(404, m.discussions_no_such_page({ page, pages: list.pages }));
	}
	const pageHref = (n: number) => {
		const params = new URLSearchParams();
		if (category) {
			params.set('category', category.slug);
		}
		if (n > 1) {
			params.set('page', String(n));
		}
		return `/discussions${params.size > 0 ? `?${params}` : ''}`;
	};
	return {
		categories,
		category,
		...list,
		previousHref: list.page > 1 ? pageHref(list.page - 1) : null,
		nextHref: list.page < list.pages ? pageHref(list.page + 1) : null,
		canStart: canStartDiscussion(locals.actor),
		signedIn: locals.actor.kind === 'user',
		newHref: `/discussions/new${category ? `?category=${category.slug}` : ''}`
	};
}) satisfies PageServerLoad;
