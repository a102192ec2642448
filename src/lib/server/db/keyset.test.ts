import { describe, expect, it } from 'vitest';
import { isTimestampKey } from './keyset';

describe('timestamp keys', () => {
	it('accept UTC instants written to the microsecond', () => {
		expect(isTimestampKey('2026-11-23T10:00:00.123456Z')).toBe(true);
		expect(isTimestampKey('2024-02-29T23:59:59.999999Z')).toBe(true);
	});

	it('refuse other shapes and instants that do not exist', () => {
		expect(isTimestampKey('2026-11-23T10:00:00.123Z')).toBe(false);
		expect(isTimestampKey('2026-11-23 10:00:00.123456Z')).toBe(false);
		expect(isTimestampKey('2026-02-30T10:00:00.000000Z')).toBe(false);
		expect(isTimestampKey('2026-11-23T24:00:00.000000Z')).toBe(false);
		expect(isTimestampKey(1_700_000_000)).toBe(false);
		expect(isTimestampKey(null)).toBe(false);
	});
});
