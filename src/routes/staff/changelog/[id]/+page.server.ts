import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { echo, parseForm, readForm } from '$lib/server/forms';
import {
	CHANGELOG_FIELDS,
	CHANGELOG_IDEAS_MAX,
	changelogSchema,
	deleteDraft,
	getEntryForStaff,
	linkIdea,
	publishEntry,
	unlinkIdea,
	updateEntry
} from '$lib/server/changelog';
import { listAllProducts } from '$lib/server/products';
import { canManageChangelog } from '$lib/server/policy';
import { pickIdeas } from '$lib/server/roadmap';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, () => string> = {
	created: m.staff_changelog_notice_created,
	saved: m.staff_changelog_notice_saved,
	linked: m.staff_changelog_notice_linked,
	'linked-shipped': m.staff_changelog_notice_linked_shipped,
	unlinked: m.staff_changelog_notice_unlinked,
	published: m.staff_changelog_notice_published,
	'already-published': m.staff_changelog_notice_already_published
};

function entryId(event: Pick<RequestEvent, 'params'>): number {
	const id = event.params.id ?? '';
	if (!/^\d{1,15}$/.test(id)) {
		error(404, m.staff_changelog_no_entry());
	}
	return Number(id);
}

export const load = (async (event) => {
	authorize(event, canManageChangelog(event.locals.actor));
	const db = getDb();
	const id = entryId(event);
	const entry = await getEntryForStaff(db, id);
	if (!entry) {
		error(404, m.staff_changelog_no_entry());
	}
	const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 200);
	const linked = new Set(entry.ideas.map((idea) => idea.id));
	const [products, picks] = await Promise.all([listAllProducts(db), pickIdeas(db, q)]);
	const notice = event.url.searchParams.get('notice');
	return {
		entry,
		products: products.map((p) => ({ id: p.id, name: p.name })),
		q,
		picks: picks.map((idea) => ({ ...idea, linked: linked.has(idea.id) })),
		ideasMax: CHANGELOG_IDEAS_MAX,
		notice: notice && Object.hasOwn(NOTICES, notice) ? NOTICES[notice]!() : null
	};
}) satisfies PageServerLoad;

const ideaSchema = z.object({ idea: z.coerce.number().int().positive() });

async function staffForm(event: RequestEvent) {
	authorize(event, canManageChangelog(event.locals.actor));
	return readForm(event.request);
}

function here(id: number, notice: string, form?: FormData): string {
	const params = new URLSearchParams({ notice });
	const q = form?.get('q');
	if (typeof q === 'string' && q.trim()) {
		params.set('q', q.trim());
	}
	return `/staff/changelog/${id}?${params}`;
}

function forbidden(): never {
	error(403, m.staff_no_permission());
}

function readIdea(form: FormData): number {
	const parsed = parseForm(form, ideaSchema, ['idea']);
	if (!parsed.ok) {
		error(400, m.staff_form_unreadable());
	}
	return parsed.data.idea;
}

export const actions = {
	save: async (event) => {
		const id = entryId(event);
		const form = await staffForm(event);
		const values = echo(form, CHANGELOG_FIELDS);
		const parsed = parseForm(form, changelogSchema, CHANGELOG_FIELDS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors });
		}
		const result = await updateEntry(getDb(), event.locals.actor, id, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, { values, errors: result.errors });
			}
			if (result.reason === 'not_found') {
				error(404, m.staff_changelog_no_entry());
			}
			forbidden();
		}
		redirect(303, here(id, 'saved'));
	},
	link: async (event) => {
		const id = entryId(event);
		const form = await staffForm(event);
		const result = await linkIdea(getDb(), event.locals.actor, {
			entryId: id,
			ideaId: readIdea(form)
		});
		if (!result.ok) {
			if (result.reason === 'forbidden') {
				forbidden();
			}
			if (result.reason === 'not_found') {
				error(404, m.staff_changelog_no_entry());
			}
			return result.reason === 'too_many'
				? fail(400, { linkError: m.staff_changelog_links_max({ max: CHANGELOG_IDEAS_MAX }) })
				: fail(404, { linkError: m.staff_changelog_link_gone() });
		}
		redirect(303, here(id, result.shipped ? 'linked-shipped' : 'linked', form));
	},
	unlink: async (event) => {
		const id = entryId(event);
		const form = await staffForm(event);
		const result = await unlinkIdea(getDb(), event.locals.actor, {
			entryId: id,
			ideaId: readIdea(form)
		});
		if (!result.ok) {
			forbidden();
		}
		redirect(303, here(id, 'unlinked', form));
	},
	publish: async (event) => {
		const id = entryId(event);
		await staffForm(event);
		const result = await publishEntry(getDb(), event.locals.actor, id);
		if (!result.ok) {
			if (result.reason === 'not_found') {
				error(404, m.staff_changelog_no_entry());
			}
			forbidden();
		}
		redirect(303, here(id, result.published ? 'published' : 'already-published'));
	},
	delete: async (event) => {
		const id = entryId(event);
		await staffForm(event);
		const result = await deleteDraft(getDb(), event.locals.actor, id);
		if (!result.ok) {
			if (result.reason === 'published') {
				return fail(409, { deleteError: m.staff_changelog_published_no_delete() });
			}
			if (result.reason === 'not_found') {
				error(404, m.staff_changelog_no_entry());
			}
			forbidden();
		}
		redirect(303, '/staff/changelog?notice=deleted');
	}
} satisfies Actions;
