import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { parseForm, readForm } from '$lib/server/forms';
import { canManageRoadmap } from '$lib/server/policy';
import {
	ORDERED_CATEGORIES,
	getRoadmap,
	listStatuses,
	moveOnRoadmap,
	pickIdeas,
	quarterSchema,
	setRoadmapStatus,
	setTargetQuarter
} from '$lib/server/roadmap';
import { listProductOptions, productFilter } from '$lib/server/roadmap/filters';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canManageRoadmap(event.locals.actor));
	const db = getDb();
	const products = await listProductOptions(db);
	const product = productFilter(event.url, products);
	const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 200);
	const [columns, statuses, picks] = await Promise.all([
		getRoadmap(db, { productSlug: product }),
		listStatuses(db),
		pickIdeas(db, q)
	]);
	return {
		columns,
		ordered: ORDERED_CATEGORIES as readonly string[],
		statuses,
		products,
		product: product ?? '',
		q,
		picks
	};
}) satisfies PageServerLoad;

const ideaField = z.coerce.number().int().positive();
const moveSchema = z.object({ idea: ideaField, direction: z.enum(['up', 'down']) });
const statusSchema = z.object({ idea: ideaField, status: z.coerce.number().int().positive() });

/** Back to the page the form was on (its product filter and search), at the idea's card. */
function back(form: FormData, ideaId: number): string {
	const params = new URLSearchParams();
	for (const name of ['product', 'q']) {
		const value = form.get(name);
		if (typeof value === 'string' && value.trim()) {
			params.set(name, value.trim());
		}
	}
	const search = params.toString();
	return `/staff/roadmap${search ? `?${search}` : ''}#idea-${ideaId}`;
}

async function staffForm(event: RequestEvent) {
	authorize(event, canManageRoadmap(event.locals.actor));
	return readForm(event.request);
}

function unreadable(): never {
	error(400, m.staff_form_unreadable());
}

export const actions = {
	move: async (event) => {
		const form = await staffForm(event);
		const parsed = parseForm(form, moveSchema, ['idea', 'direction']);
		if (!parsed.ok) {
			unreadable();
		}
		const product = form.get('product');
		const result = await moveOnRoadmap(getDb(), event.locals.actor, {
			ideaId: parsed.data.idea,
			direction: parsed.data.direction,
			productSlug: typeof product === 'string' && product ? product : null
		});
		if (!result.ok) {
			if (result.reason === 'forbidden') {
				error(403, m.staff_no_permission());
			}
			error(404, m.staff_roadmap_not_ordered());
		}
		redirect(303, back(form, parsed.data.idea));
	},
	quarter: async (event) => {
		const form = await staffForm(event);
		const idea = ideaField.safeParse(form.get('idea'));
		if (!idea.success) {
			unreadable();
		}
		const parsed = parseForm(form, quarterSchema, ['quarter']);
		if (!parsed.ok) {
			return fail(400, {
				quarter: { idea: idea.data, value: String(form.get('quarter') ?? '').slice(0, 20) },
				errors: parsed.errors
			});
		}
		const result = await setTargetQuarter(getDb(), event.locals.actor, {
			ideaId: idea.data,
			quarter: parsed.data.quarter
		});
		if (!result.ok) {
			if (result.reason === 'forbidden') {
				error(403, m.staff_no_permission());
			}
			error(404, m.staff_idea_gone());
		}
		redirect(303, back(form, idea.data));
	},
	status: async (event) => {
		const form = await staffForm(event);
		const parsed = parseForm(form, statusSchema, ['idea', 'status']);
		if (!parsed.ok) {
			unreadable();
		}
		const result = await setRoadmapStatus(getDb(), event.locals.actor, {
			ideaId: parsed.data.idea,
			statusId: parsed.data.status
		});
		if (!result.ok) {
			if (result.reason === 'forbidden') {
				error(403, m.staff_no_permission());
			}
			if (result.reason === 'unknown_status') {
				error(400, m.staff_triage_status_unknown());
			}
			error(404, m.staff_idea_gone());
		}
		redirect(303, back(form, parsed.data.idea));
	}
} satisfies Actions;
