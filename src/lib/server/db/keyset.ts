// Keyset pagination over times: a page continues after the last row's time to the microsecond.
// A JS Date holds milliseconds only, so the key travels as text the database writes and reads
// back; rounding it would skip rows that share the millisecond.
import { sql, type Expression, type RawBuilder } from 'kysely';

const TIMESTAMP_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A timestamp as its key: UTC, ISO 8601, six decimals (`2026-11-23T10:00:00.123456Z`). */
export function timestampKey(
	value: Expression<Date | null> | RawBuilder<Date | null>
): RawBuilder<string | null> {
	return sql<string | null>`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** A real instant written as `timestampKey` writes it (the database would refuse 2026-02-30). */
export function isTimestampKey(key: unknown): key is string {
	if (typeof key !== 'string' || !TIMESTAMP_KEY.test(key)) {
		return false;
	}
	const date = new Date(`${key.slice(0, 23)}Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 23) === key.slice(0, 23);
}
