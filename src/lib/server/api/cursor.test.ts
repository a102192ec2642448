import { describe, expect, it } from 'vitest';
import { decodeApiCursor, decodeIdCursor, encodeApiCursor, pageOf } from './cursor';
import { ApiError } from './errors';

describe('API cursors', () => {
	it('round-trips the list name and key', () => {
		const cursor = encodeApiCursor({ list: 'replies', after: ['2026-11-23T10:00:00.000000Z', 42] });
		expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(decodeApiCursor(cursor, 'replies', 2)).toEqual(['2026-11-23T10:00:00.000000Z', 42]);
	});

	it('refuses a cursor of another list, of another arity, or tampered with', () => {
		const cursor = encodeApiCursor({ list: 'replies', after: [42] });
		expect(decodeApiCursor(cursor, 'comments', 1)).toBeNull();
		expect(decodeApiCursor(cursor, 'replies', 2)).toBeNull();
		expect(decodeApiCursor(cursor.slice(0, -2), 'replies', 1)).toBeNull();
		expect(decodeApiCursor('not a cursor!', 'replies', 1)).toBeNull();
		const objectInside = Buffer.from(JSON.stringify(['replies', { id: 1 }])).toString('base64url');
		expect(decodeApiCursor(objectInside, 'replies', 1)).toBeNull();
	});

	it('decodes id cursors and throws a 400 with a cursor field for a bad one', () => {
		expect(decodeIdCursor(undefined, 'x')).toBeNull();
		expect(decodeIdCursor(encodeApiCursor({ list: 'x', after: [7] }), 'x')).toBe(7);
		let thrown: unknown;
		try {
			decodeIdCursor(encodeApiCursor({ list: 'x', after: [-1] }), 'x');
		} catch (e) {
			thrown = e;
		}
		expect(thrown).toBeInstanceOf(ApiError);
		expect((thrown as ApiError).status).toBe(400);
		expect((thrown as ApiError).body().error.fields).toHaveProperty('cursor');
		expect(() => decodeIdCursor(encodeApiCursor({ list: 'y', after: [7] }), 'x')).toThrow(ApiError);
	});

	it('pages rows fetched one past the limit', () => {
		const full = pageOf([{ id: 5 }, { id: 4 }, { id: 3 }], 2, 'x', (r) => [r.id]);
		expect(full.items).toEqual([{ id: 5 }, { id: 4 }]);
		expect(decodeApiCursor(full.next_cursor!, 'x', 1)).toEqual([4]);
		const last = pageOf([{ id: 2 }], 2, 'x', (r) => [r.id]);
		expect(last).toEqual({ items: [{ id: 2 }], next_cursor: null });
	});
});
