// The triage inbox: untriaged ideas oldest first (or all, or mine), filtered; bulk status change
// with an optional public message, "mark triaged", and assigning an owner.
import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { isTier, tierLabel, TIERS } from '$lib/domain/tiers';
import { m } from '$lib/paraglide/messages';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { parseForm, readForm } from '$lib/server/forms';
import { listIdeaFilterOptions } from '$lib/server/ideas/queries';
import { canTriage } from '$lib/server/policy';
import {
	assignOwner,
	bulkStatusSchema,
	changeStatuses,
	ideaIdsSchema,
	listCompanies,
	listStaff,
	markTriaged,
	triageQueue,
	TRIAGE_PAGE_SIZE,
	TRIAGE_VIEWS,
	type TriageView
} from '$lib/server/triage';
import { listStatuses } from '$lib/server/triage/statuses';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function slugParam(url: URL, name: string): string | null {
	const value = url.searchParams.get(name)?.trim();
	return value && /^[a-z0-9-]{1,80}$/.test(value) ? value : null;
}

export const load = (async (event) => {
	const { actor } = event.locals;
	authorize(event, canTriage(actor));
	if (!canTriage(actor)) {
		error(403);
	}
	const url = event.url;
	const rawView = url.searchParams.get('view');
	const view: TriageView = (TRIAGE_VIEWS as readonly string[]).includes(rawView ?? '')
		? (rawView as TriageView)
		: 'untriaged';
	const tierParam = url.searchParams.get('tier');
	const page = Math.max(1, Math.min(1000, Number(url.searchParams.get('page')) || 1));
	const filters = {
		view,
		product: slugParam(url, 'product'),
		tag: slugParam(url, 'tag'),
		status: slugParam(url, 'status'),
		company: slugParam(url, 'company'),
		tier: isTier(tierParam) ? tierParam : null,
		page
	};
	const db = getDb();
	const [queue, options, companies, statuses, staff] = await Promise.all([
		triageQueue(db, actor, filters),
		listIdeaFilterOptions(db),
		listCompanies(db),
		listStatuses(db),
		listStaff(db)
	]);
	const pages = Math.max(1, Math.ceil(queue.total / TRIAGE_PAGE_SIZE));
	const pageHref = (n: number) => {
		const next = new URL(url);
		next.searchParams.set('page', String(n));
		return `${next.pathname}${next.search}`;
	};
	return {
		filters,
		queue,
		options: {
			products: options.products,
			tags: options.tags,
			statuses: statuses.map((s) => ({ id: s.id, name: s.name, slug: s.slug })),
			companies: companies.map((c) => ({ name: c.name, slug: c.slug })),
			tiers: TIERS.map((t) => ({ value: t, label: tierLabel(t) })),
			staff
		},
		previousHref: page > 1 ? pageHref(page - 1) : null,
		nextHref: page < pages ? pageHref(page + 1) : null,
		page,
		pages
	};
}) satisfies PageServerLoad;

const assignSchema = z.object({
	ids: ideaIdsSchema,
	owner: z
		.union([z.literal('').transform(() => null), z.coerce.number().int().positive()], {
			error: () => m.staff_triage_choose_owner()
		})
		.default(null)
});
const idsOnlySchema = z.object({ ids: ideaIdsSchema });

function staffActor(event: RequestEvent) {
	const { actor } = event.locals;
	authorize(event, canTriage(actor));
	if (!canTriage(actor)) {
		error(403);
	}
	return actor;
}

export const actions = {
	status: async (event) => {
		const actor = staffActor(event);
		const form = await readForm(event.request);
		const message = typeof form.get('message') === 'string' ? String(form.get('message')) : '';
		const parsed = parseForm(form, bulkStatusSchema, ['status', 'message'], ['ids']);
		if (!parsed.ok) {
			return fail(400, { action: 'status', errors: parsed.errors, message });
		}
		const result = await changeStatuses(getDb(), actor, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, { action: 'status', errors: result.errors, message });
			}
			error(403, m.staff_no_permission());
		}
		return { action: 'status', done: true, changed: result.changed, skipped: result.skipped };
	},
	triaged: async (event) => {
		const actor = staffActor(event);
		const parsed = parseForm(await readForm(event.request), idsOnlySchema, [], ['ids']);
		if (!parsed.ok) {
			return fail(400, { action: 'triaged', errors: parsed.errors, message: '' });
		}
		const result = await markTriaged(getDb(), actor, parsed.data.ids);
		if (!result.ok) {
			error(403, m.staff_no_permission());
		}
		return { action: 'triaged', done: true, changed: result.changed, skipped: 0 };
	},
	assign: async (event) => {
		const actor = staffActor(event);
		const parsed = parseForm(await readForm(event.request), assignSchema, ['owner'], ['ids']);
		if (!parsed.ok) {
			return fail(400, { action: 'assign', errors: parsed.errors, message: '' });
		}
		const result = await assignOwner(getDb(), actor, {
			ids: parsed.data.ids,
			ownerId: parsed.data.owner
		});
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, { action: 'assign', errors: result.errors, message: '' });
			}
			if (result.reason === 'not_found') {
				return fail(404, {
					action: 'assign',
					errors: { ids: m.staff_triage_idea_gone() },
					message: ''
				});
			}
			error(403, m.staff_no_permission());
		}
		return { action: 'assign', done: true, changed: result.changed, skipped: 0 };
	}
} satisfies Actions;
