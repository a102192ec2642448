// Importing companies from CSV (docs/customers.md): parse with csv-parse, check every row with
// the same zod schema as the form, then write in one transaction. A file with any error imports
// nothing, so a half-fixed file never leaves half its rows in; a dry run does the very same work
// and rolls it back, so the preview shows exactly what the import would do.
import { m } from '$lib/paraglide/messages';
import { parse } from 'csv-parse/sync';
import type { Db } from '../db';
import { canManageCompanies, type Actor, type UserActor } from '../policy';
import { companySchema, lockCompanies, writeCompany, type CompanyInput } from './companies';

export const IMPORT_COLUMNS = ['name', 'slug', 'email_domain', 'plan', 'mrr', 'products'] as const;
type ImportColumn = (typeof IMPORT_COLUMNS)[number];
/** Columns an export has that an import reads past (they are computed, not set). */
export const IGNORED_COLUMNS = ['tier', 'members'] as const;
/** Under the default request body limit (512K), with room for the form around it. */
export const IMPORT_MAX_BYTES = 400 * 1024;
export const IMPORT_MAX_ROWS = 5000;

/** The form field (and schema key) each column fills. */
const FIELD_OF: Record<ImportColumn, keyof CompanyInput> = {
	name: 'name',
	slug: 'slug',
	email_domain: 'emailDomain',
	plan: 'plan',
	mrr: 'mrr',
	products: 'products'
};
const COLUMN_OF = Object.fromEntries(
	Object.entries(FIELD_OF).map(([column, field]) => [field, column])
) as Record<keyof CompanyInput, ImportColumn>;

export interface RowError {
	/** The row as a spreadsheet numbers it: the header is row 1, the first company row 2. */
	row: number;
	column: ImportColumn | null;
	message: string;
}

export interface ImportRowOutcome {
	row: number;
	name: string;
	slug: string;
	action: 'create' | 'update' | 'unchanged';
	/** Verified members who join because the row gives the company their domain. */
	joined: number;
}

export type ImportReport =
	| {
			ok: true;
			committed: boolean;
			rows: ImportRowOutcome[];
			created: number;
			updated: number;
			unchanged: number;
			joined: number;
	  }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'invalid'; fileErrors: string[]; rowErrors: RowError[] };

interface ParsedFile {
	header: string[];
	records: { row: number; values: Record<string, string>; fieldCount: number }[];
}

/** The file's header and records, or what is wrong with the file as a whole. */
export function parseCompanyCsv(
	text: string
): { ok: true; file: ParsedFile } | { ok: false; errors: string[] } {
	if (Buffer.byteLength(text, 'utf8') > IMPORT_MAX_BYTES) {
		return { ok: false, errors: [m.admin_companies_import_too_large()] };
	}
	let table: string[][];
	try {
		table = parse(text, {
			bom: true,
			skip_empty_lines: true,
			relax_column_count: true,
			trim: true
		}) as string[][];
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		return { ok: false, errors: [m.admin_import_not_csv({ detail: reason })] };
	}
	if (table.length === 0) {
		return { ok: false, errors: [m.admin_companies_import_empty()] };
	}
	const header = table[0]!.map((h) => h.trim().toLowerCase());
	const errors: string[] = [];
	const unknown = header.filter(
		(h) =>
			!(IMPORT_COLUMNS as readonly string[]).includes(h) &&
			!(IGNORED_COLUMNS as readonly string[]).includes(h)
	);
	if (unknown.length > 0) {
		errors.push(
			m.admin_companies_import_unknown_columns({
				count: unknown.length,
				unknown: unknown.map((u) => m.admin_quoted({ text: u })).join(', '),
				columns: IMPORT_COLUMNS.join(', ')
			})
		);
	}
	const repeated = header.filter((h, i) => header.indexOf(h) !== i);
	if (repeated.length > 0) {
		errors.push(
			m.admin_companies_import_repeated_column({ columns: [...new Set(repeated)].join(', ') })
		);
	}
	if (!header.includes('name')) {
		errors.push(m.admin_companies_import_needs_name());
	}
	const rows = table.slice(1);
	if (rows.length === 0) {
		errors.push(m.admin_companies_import_no_rows());
	}
	if (rows.length > IMPORT_MAX_ROWS) {
		errors.push(m.admin_companies_import_too_many({ count: rows.length, max: IMPORT_MAX_ROWS }));
	}
	if (errors.length > 0) {
		return { ok: false, errors };
	}
	return {
		ok: true,
		file: {
			header,
			records: rows.map((fields, i) => ({
				row: i + 2,
				fieldCount: fields.length,
				values: Object.fromEntries(header.map((h, j) => [h, fields[j] ?? '']))
			}))
		}
	};
}

type Existing = {
	id: number;
	name: string;
	slug: string;
	email_domain: string | null;
	plan: string | null;
	mrr: number;
	products: string[];
};

/**
 * One record as the form's input: a column the file leaves out keeps the company's current value
 * (or the default, for a new company); a column present but empty clears it.
 */
function rowInput(
	record: ParsedFile['records'][number],
	header: string[],
	existing: Existing | undefined
): Record<string, unknown> {
	const has = (column: ImportColumn) => header.includes(column);
	const v = record.values;
	return {
		name: v.name,
		slug: has('slug') ? v.slug : (existing?.slug ?? ''),
		emailDomain: has('email_domain') ? v.email_domain : (existing?.email_domain ?? ''),
		plan: has('plan') ? v.plan : (existing?.plan ?? ''),
		mrr: has('mrr') ? v.mrr : existing ? String(existing.mrr) : '0',
		products: has('products')
			? (v.products ?? '')
					.split(/[;|]/)
					.map((s) => s.trim())
					.filter(Boolean)
			: (existing?.products ?? [])
	};
}

/** Checks every row against the schema and the rest of the file; reports every problem found. */
export function validateRows(
	file: ParsedFile,
	existingBySlug: Map<string, Existing>
): { inputs: { row: number; input: CompanyInput }[]; errors: RowError[] } {
	const errors: RowError[] = [];
	const inputs: { row: number; input: CompanyInput }[] = [];
	const seenSlug = new Map<string, number>();
	const seenDomain = new Map<string, number>();
	for (const record of file.records) {
		if (record.fieldCount !== file.header.length) {
			errors.push({
				row: record.row,
				column: null,
				message: m.admin_companies_import_field_count({
					count: record.fieldCount,
					header: file.header.length
				})
			});
			continue;
		}
		// The upsert key is the slug: the one typed, or else the one the name makes.
		const probe = companySchema.safeParse(rowInput(record, file.header, undefined));
		const existing = probe.success ? existingBySlug.get(probe.data.slug) : undefined;
		const parsed = existing
			? companySchema.safeParse(rowInput(record, file.header, existing))
			: probe;
		if (!parsed.success) {
			const seen = new Set<string>();
			for (const issue of parsed.error.issues) {
				const field = String(issue.path[0] ?? 'name') as keyof CompanyInput;
				const column = COLUMN_OF[field] ?? null;
				if (!seen.has(field)) {
					seen.add(field);
					errors.push({ row: record.row, column, message: issue.message });
				}
			}
			continue;
		}
		const input = parsed.data;
		const slugRow = seenSlug.get(input.slug);
		if (slugRow !== undefined) {
			errors.push({
				row: record.row,
				column: 'slug',
				message: m.admin_companies_import_duplicate_slug({ slug: input.slug, row: slugRow })
			});
			continue;
		}
		seenSlug.set(input.slug, record.row);
		if (input.emailDomain) {
			const domainRow = seenDomain.get(input.emailDomain);
			if (domainRow !== undefined) {
				errors.push({
					row: record.row,
					column: 'email_domain',
					message: m.admin_companies_import_duplicate_domain({
						domain: input.emailDomain,
						row: domainRow
					})
				});
				continue;
			}
			seenDomain.set(input.emailDomain, record.row);
		}
		inputs.push({ row: record.row, input });
	}
	return { inputs, errors };
}

async function existingCompanies(db: Db): Promise<Map<string, Existing>> {
	const [companies, owned] = await Promise.all([
		db
			.selectFrom('company')
			.select(['id', 'name', 'slug', 'email_domain', 'plan', 'mrr'])
			.execute(),
		db
			.selectFrom('company_product as cp')
			.innerJoin('product as p', 'p.id', 'cp.product_id')
			.select(['cp.company_id', 'p.slug'])
			.execute()
	]);
	return new Map(
		companies.map((c) => [
			c.slug,
			{
				...c,
				mrr: Number(c.mrr),
				products: owned.filter((o) => o.company_id === c.id).map((o) => o.slug)
			}
		])
	);
}

/** Thrown to roll a transaction back while keeping what it computed. */
class Rollback extends Error {
	constructor(readonly report: ImportReport) {
		super('rollback');
	}
}

/**
 * Imports (or, with `dryRun`, previews) a CSV of companies, upserting by slug. All in one
 * transaction: when any row has an error, nothing is written and every error is reported.
 */
export async function importCompanies(
	db: Db,
	actor: Actor,
	text: string,
	options: { dryRun: boolean }
): Promise<ImportReport> {
	if (!canManageCompanies(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const parsed = parseCompanyCsv(text);
	if (!parsed.ok) {
		return { ok: false, reason: 'invalid', fileErrors: parsed.errors, rowErrors: [] };
	}
	try {
		return await db.transaction().execute(async (trx) => {
			await lockCompanies(trx);
			const report = await writeRows(trx, actor, parsed.file);
			if (options.dryRun || !report.ok) {
				throw new Rollback(report.ok ? { ...report, committed: false } : report);
			}
			return report;
		});
	} catch (error) {
		if (error instanceof Rollback) {
			return error.report;
		}
		throw error;
	}
}

async function writeRows(trx: Db, admin: UserActor, file: ParsedFile): Promise<ImportReport> {
	const existing = await existingCompanies(trx);
	const { inputs, errors } = validateRows(file, existing);
	const rows: ImportRowOutcome[] = [];
	for (const { row, input } of inputs) {
		const before = existing.get(input.slug);
		const result = await writeCompany(trx, admin, before?.id ?? null, input, 'import');
		if (!result.ok) {
			const fieldErrors = result.reason === 'invalid' ? result.errors : {};
			for (const [field, message] of Object.entries(fieldErrors)) {
				errors.push({ row, column: COLUMN_OF[field as keyof CompanyInput], message: message! });
			}
			continue;
		}
		rows.push({
			row,
			name: input.name,
			slug: input.slug,
			action: result.created ? 'create' : result.changed ? 'update' : 'unchanged',
			joined: result.joined
		});
	}
	if (errors.length > 0) {
		errors.sort((a, b) => a.row - b.row);
		return { ok: false, reason: 'invalid', fileErrors: [], rowErrors: errors };
	}
	const count = (action: ImportRowOutcome['action']) =>
		rows.filter((r) => r.action === action).length;
	return {
		ok: true,
		committed: true,
		rows,
		created: count('create'),
		updated: count('update'),
		unchanged: count('unchanged'),
		joined: rows.reduce((sum, r) => sum + r.joined, 0)
	};
}
