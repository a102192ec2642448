import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db/app';
import { authorize } from '$lib/server/auth/guards';
import { parseForm, readForm } from '$lib/server/forms';
import { IMPORT_FORMATS, importFormatLabel, MAX_IMPORT_BYTES, runImport } from '$lib/server/import';
import { canImport } from '$lib/server/policy';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load = (async (event) => {
	authorize(event, canImport(event.locals.actor));
	const products = await getDb()
		.selectFrom('product')
		.select(['id', 'name'])
		.where('archived_at', 'is', null)
		.orderBy('name')
		.execute();
	return {
		products,
		formats: IMPORT_FORMATS.map((f) => ({ value: f, label: importFormatLabel(f) }))
	};
}) satisfies PageServerLoad;

const optionsSchema = z.object({
	format: z
		.enum(['auto', ...IMPORT_FORMATS], { error: () => m.admin_import_choose_format() })
		.default('auto'),
	product: z.coerce
		.number({ error: () => m.admin_import_choose_product() })
		.int()
		.positive({ error: () => m.admin_import_choose_product() })
});

/**
 * The CSV text: the uploaded file, or (confirming a dry run) the text the dry run sent back, so
 * confirming works without choosing the file again, with or without JavaScript.
 */
async function csvText(form: FormData): Promise<{ text: string } | { error: string }> {
	const file = form.get('file');
	if (file instanceof File && file.size > 0) {
		if (file.size > MAX_IMPORT_BYTES) {
			return { error: m.admin_import_too_large() };
		}
		return { text: await file.text() };
	}
	const text = form.get('text');
	if (typeof text === 'string' && text.trim() !== '') {
		return { text };
	}
	return { error: m.admin_import_choose_file() };
}

async function run(event: RequestEvent, dryRun: boolean) {
	authorize(event, canImport(event.locals.actor));
	const form = await readForm(event.request);
	const values = {
		format: String(form.get('format') ?? 'auto'),
		product: String(form.get('product') ?? '')
	};
	const options = parseForm(form, optionsSchema, ['format', 'product']);
	const source = await csvText(form);
	const errors = {
		...(options.ok ? {} : options.errors),
		...('error' in source ? { file: source.error } : {})
	};
	if (!options.ok || 'error' in source) {
		return fail(400, { values, errors, report: null, text: null });
	}
	const result = await runImport(getDb(), event.locals.actor, {
		text: source.text,
		format: options.data.format === 'auto' ? undefined : options.data.format,
		defaultProductId: options.data.product,
		dryRun
	});
	if (!result.ok) {
		if (result.reason === 'forbidden') {
			error(403, m.admin_forbidden());
		}
		return fail(400, { values, errors: result.errors, report: null, text: null });
	}
	return { values, errors: {}, report: result.report, text: dryRun ? source.text : null };
}

export const actions = {
	preview: (event) => run(event, true),
	commit: (event) => run(event, false)
} satisfies Actions;
