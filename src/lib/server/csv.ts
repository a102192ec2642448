// The one CSV writer for every export (priorities, companies, insights, the site export): RFC 4180
// quoting, CRLF lines, and a guard against spreadsheet formula injection.

export type CsvValue = string | number | null | undefined;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A cell that a
 * spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return) is
 * prefixed with an apostrophe, so an idea titled "=HYPERLINK(…)" stays text. Null is empty.
 */
export function csvField(value: CsvValue): string {
	if (value === null || value === undefined) {
		return '';
	}
	let text = String(value);
	if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
		text = `'${text}`;
	}
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per row, each ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
	return [header, ...rows].map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

/** A CSV download: private, never cached, named `<name>-<yyyy-mm-dd>.csv`. */
export function csvResponse(name: string, body: string, now = new Date()): Response {
	const date = now.toISOString().slice(0, 10);
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}-${date}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
}
