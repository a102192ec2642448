// Opaque page cursors. A cursor is the position after the last item of a page (its sort key and
// id), so the next page starts exactly there: an item added meanwhile neither shifts the pages nor
// appears twice. Clients must treat cursors as opaque; a tampered one is a 400, not a 500.
import { ApiError } from './errors';

/** A cursor's content: what list it belongs to, and the key after which the next page starts. */
export interface CursorKey {
	/** The list (and order) the cursor was made for: a cursor of another list is refused. */
	list: string;
	/** The last item's sort value(s) and id, in order. */
	after: (string | number)[];
}

export function encodeApiCursor(key: CursorKey): string {
	return Buffer.from(JSON.stringify([key.list, ...key.after])).toString('base64url');
}

/** The key after which to continue, or null when `value` is not a cursor of `list` with `arity` values. */
export function decodeApiCursor(
	value: string,
	list: string,
	arity: number
): (string | number)[] | null {
	if (!/^[A-Za-z0-9_-]{1,400}$/.test(value)) {
		return null;
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
	} catch {
		return null;
	}
	if (!Array.isArray(parsed) || parsed[0] !== list || parsed.length !== arity + 1) {
		return null;
	}
	const after = parsed.slice(1) as unknown[];
	if (!after.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
		return null;
	}
	return after as (string | number)[];
}

/** The id a cursor continues after, for lists ordered by id alone. */
export function decodeIdCursor(value: string | undefined, list: string): number | null {
	if (value === undefined) {
		return null;
	}
	const after = decodeApiCursor(value, list, 1);
	const id = after?.[0];
	if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
		throw invalidCursor();
	}
	return id;
}

export function invalidCursor(): ApiError {
	return new ApiError('invalid_request', 'The cursor is not valid for this list.', {
		cursor: 'Use the next_cursor of the previous page, unchanged, with the same filters.'
	});
}

/** A page of `limit` from `rows` fetched with `limit + 1`: the items, and the cursor when more follow. */
export function pageOf<T>(
	rows: T[],
	limit: number,
	list: string,
	keyOf: (last: T) => (string | number)[]
): { items: T[]; next_cursor: string | null } {
	const items = rows.slice(0, limit);
	const last = items.at(-1);
	return {
		items,
		next_cursor:
			rows.length > limit && last !== undefined
				? encodeApiCursor({ list, after: keyOf(last) })
				: null
	};
}
