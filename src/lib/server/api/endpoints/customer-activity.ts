// GET /customers/{handle}/activity (staff): the customer's timeline from the activity ledger,
// newest first, told as on their staff page (removed and internal items marked, not hidden).
import { z } from 'zod';
import { timelineAfter, type TimelineKey } from '../../customers/timeline';
import { isTimestampKey } from '../../db/keyset';
import { decodeApiCursor, invalidCursor, pageOf as page } from '../cursor';
import { activityEntrySchema, toActivityEntry } from '../customer-schemas';
import { defineEndpoint, ok } from '../endpoint';
import { limitOf, pageOf, pageQuery } from '../schemas';
import { customerViewer, findCustomer, handlePath } from './customers-shared';

function decodeTimelineCursor(value: string | undefined, list: string): TimelineKey | null {
	if (value === undefined) {
		return null;
	}
	const after = decodeApiCursor(value, list, 2);
	const [at, id] = after ?? [];
	if (!isTimestampKey(at) || typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
		throw invalidCursor();
	}
	return { at, id };
}

export default defineEndpoint({
	method: 'GET',
	path: '/customers/{handle}/activity',
	operationId: 'listCustomerActivity',
	tag: 'Staff',
	summary: 'List a customer’s activity (staff)',
	description:
		'Their entries in the activity ledger, newest first: what they did and the outcomes credited to them (an idea shipped, a helpful vote, a referral). Needs the `staff` scope and a staff account. Acts recorded between two requests never shift a page.',
	scope: 'staff',
	params: handlePath,
	query: z.object(pageQuery),
	responses: {
		200: { description: 'A page of the timeline.', schema: pageOf(activityEntrySchema) }
	},
	errors: [400, 404],
	async handle({ db, actor, params, query }) {
		customerViewer(actor);
		const { customer } = await findCustomer({ db }, params.handle);
		const list = `activity:${customer.id}`;
		const limit = limitOf(query);
		const entries = await timelineAfter(db, customer.id, {
			viewer: 'staff',
			after: decodeTimelineCursor(query.cursor, list),
			limit: limit + 1
		});
		const { items, next_cursor } = page(entries, limit, list, (last) => [
			last.position.at,
			last.position.id
		]);
		return ok({ data: items.map(toActivityEntry), next_cursor });
	}
});
