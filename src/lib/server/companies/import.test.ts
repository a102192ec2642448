import { describe, expect, it } from 'vitest';
import { parseCompanyCsv, validateRows } from './import';

function validate(text: string, existing = new Map()) {
	const parsed = parseCompanyCsv(text);
	if (!parsed.ok) {
		throw new Error(parsed.errors.join(' '));
	}
	return validateRows(parsed.file, existing);
}

describe('parseCompanyCsv', () => {
	it('reads the header case-insensitively, skips a BOM and blank lines', () => {
		const parsed = parseCompanyCsv('\uFEFFName,MRR\r\n\r\nAcme,10\r\n');
		expect(parsed.ok && parsed.file.header).toEqual(['name', 'mrr']);
		expect(parsed.ok && parsed.file.records).toEqual([
			{ row: 2, fieldCount: 2, values: { name: 'Acme', mrr: '10' } }
		]);
	});

	it('names unknown columns and the ones it knows', () => {
		const parsed = parseCompanyCsv('name,revenue\nAcme,10\n');
		expect(parsed.ok).toBe(false);
		expect(!parsed.ok && parsed.errors[0]).toBe(
			'Unknown column “revenue”: the columns are name, slug, email_domain, plan, mrr, products.'
		);
	});

	it('refuses a file without a name column, without rows, or with a broken quote', () => {
		expect(parseCompanyCsv('slug\nacme\n')).toMatchObject({ ok: false });
		expect(parseCompanyCsv('name,mrr\n')).toEqual({
			ok: false,
			errors: ['The file has a header but no companies.']
		});
		const broken = parseCompanyCsv('name\n"Acme\n');
		expect(!broken.ok && broken.errors[0]).toMatch(/^The file is not valid CSV/);
	});

	it('skips the computed columns of an export', () => {
		expect(parseCompanyCsv('name,tier,members\nAcme,gold,3\n').ok).toBe(true);
	});
});

describe('validateRows', () => {
	it('turns good rows into the form’s input, slug made from the name when empty', () => {
		const { inputs, errors } = validate(
			'name,slug,email_domain,plan,mrr,products\nAcme Corp,,@Acme.com,enterprise,12000.5,analytics; api\n'
		);
		expect(errors).toEqual([]);
		expect(inputs).toEqual([
			{
				row: 2,
				input: {
					name: 'Acme Corp',
					slug: 'acme-corp',
					emailDomain: 'acme.com',
					plan: 'enterprise',
					mrr: 12000.5,
					products: ['analytics', 'api']
				}
			}
		]);
	});

	it('reports each bad field with its row and column', () => {
		const { inputs, errors } = validate(
			[
				'name,email_domain,mrr',
				'Good,good.io,10',
				',x.io,10',
				'Free,gmail.com,$1200',
				'Short,short.io'
			].join('\n')
		);
		expect(inputs.map((i) => i.row)).toEqual([2]);
		expect(errors).toEqual([
			{ row: 3, column: 'name', message: 'Enter the company’s name.' },
			{
				row: 4,
				column: 'email_domain',
				message:
					'gmail.com is a free mail service: anyone can have an address there, so it cannot identify a company.'
			},
			{
				row: 4,
				column: 'mrr',
				message: 'Use a plain number like 1200 or 1200.50: no currency sign, no separators.'
			},
			{ row: 5, column: null, message: 'This row has 2 fields; the header has 3.' }
		]);
	});

	it('refuses the same company or domain twice in a file', () => {
		const { errors } = validate('name,slug,email_domain\nA,a,a.io\nA again,a,\nB,b,a.io\n');
		expect(errors).toEqual([
			{
				row: 3,
				column: 'slug',
				message: 'The slug a is also on row 2: each company once per file.'
			},
			{
				row: 4,
				column: 'email_domain',
				message: 'a.io is also on row 2: a domain belongs to one company.'
			}
		]);
	});

	it('keeps an existing company’s values for the columns a file leaves out', () => {
		const existing = new Map([
			[
				'acme',
				{
					id: 1,
					name: 'Acme',
					slug: 'acme',
					email_domain: 'acme.com',
					plan: 'growth',
					mrr: 900,
					products: ['api']
				}
			]
		]);
		const { inputs } = validate('name,mrr\nAcme,1500\n', existing);
		expect(inputs[0]!.input).toEqual({
			name: 'Acme',
			slug: 'acme',
			emailDomain: 'acme.com',
			plan: 'growth',
			mrr: 1500,
			products: ['api']
		});
	});
});
