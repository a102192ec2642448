// One set of type parsers for both backends (PGlite speaks to the same `pg` client), so a
// query returns the same JS types on PostgreSQL and on the embedded database.
import pg from 'pg';

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

function parseInt8(value: string): number {
	const n = Number(value);
	if (!Number.isSafeInteger(n)) {
		throw new RangeError(`int8 value ${value} is outside the safe integer range`);
	}
	return n;
}

const overrides: Record<number, (value: string) => unknown> = {
	[INT8]: parseInt8,
	[NUMERIC]: (value) => Number(value),
	// A calendar date stays 'YYYY-MM-DD': turning it into a Date would shift it by the time zone.
	[DATE]: (value) => value
};

/** Passed as `types` to every pg client: int8 and numeric as numbers, dates as strings. */
export const typeParsers = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		const parse = overrides[oid];
		if (parse && format !== 'binary') {
			return parse;
		}
		return pg.types.getTypeParser(oid, format ?? 'text');
	}
} as pg.CustomTypesConfig;
