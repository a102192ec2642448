import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { readForm } from '$lib/server/forms';
import { canManageCompanies } from '$lib/server/policy';
import {
	IGNORED_COLUMNS,
	IMPORT_COLUMNS,
	IMPORT_MAX_BYTES,
	importCompanies,
	type ImportReport
} from '$lib/server/companies';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	authorize(event, canManageCompanies(event.locals.actor));
	return { columns: IMPORT_COLUMNS, ignored: IGNORED_COLUMNS };
}) satisfies PageServerLoad;

/** The CSV text from the uploaded file (preview) or the previewed text sent back (import). */
async function csvText(form: FormData): Promise<string | { problem: string }> {
	const file = form.get('file');
	if (file instanceof File && file.size > 0) {
		if (file.size > IMPORT_MAX_BYTES) {
			return { problem: m.admin_companies_import_too_large() };
		}
		return file.text();
	}
	const text = form.get('csv');
	if (typeof text === 'string' && text.trim() !== '') {
		return text;
	}
	return { problem: m.admin_companies_import_choose_file() };
}

async function run(event: RequestEvent, dryRun: boolean) {
	authorize(event, canManageCompanies(event.locals.actor));
	const text = await csvText(await readForm(event.request));
	if (typeof text !== 'string') {
		return fail(400, { dryRun, csv: '', report: null, problem: text.problem });
	}
	const report: ImportReport = await importCompanies(getDb(), event.locals.actor, text, {
		dryRun
	});
	if (!report.ok && report.reason === 'forbidden') {
		error(403, m.admin_forbidden());
	}
	// The previewed text goes back with a clean preview, so "Import" sends exactly what was shown.
	const csv = report.ok && dryRun ? text : '';
	return report.ok
		? { dryRun, csv, report, problem: null }
		: fail(400, { dryRun, csv, report, problem: null });
}

export const actions = {
	preview: (event) => run(event, true),
	import: (event) => run(event, false)
} satisfies Actions;
