import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv';

describe('csvField', () => {
	it('leaves plain text and numbers alone', () => {
		expect(csvField('Dark mode')).toBe('Dark mode');
		expect(csvField(42)).toBe('42');
		expect(csvField(-3)).toBe('-3');
	});
	it('quotes commas, quotes and line breaks, doubling quotes', () => {
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('say "hi"')).toBe('"say ""hi"""');
		expect(csvField('two\nlines')).toBe('"two\nlines"');
	});
	it.each(['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx'])(
		'guards %j against formula injection',
		(value) => {
			const field = csvField(value);
			expect(field.replace(/^"/, '').startsWith("'")).toBe(true);
		}
	);
	it('guards and quotes a formula with a comma', () => {
		expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
	});
});

describe('toCsv', () => {
	it('writes the header and rows with CRLF, empty for null', () => {
		expect(
			toCsv(
				['a', 'b'],
				[
					[1, null],
					['x,y', undefined]
				]
			)
		).toBe('a,b\r\n1,\r\n"x,y",\r\n');
	});
});
