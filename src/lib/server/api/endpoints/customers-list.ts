// GET /customers (staff): the staff customer directory (/staff/customers) — search, company and
// tier filters, the same orders — in keyset pages.
import { z } from 'zod';
import { TIERS } from '$lib/domain/tiers';
import { getCompanyBySlug } from '../../companies';
import {
	CUSTOMER_SORTS,
	isCustomerSortKey,
	listCustomersAfter,
	type CustomerKey,
	type CustomerSort
} from '../../customers/directory';
import { getTierThresholds } from '../../moderation/settings';
import { decodeApiCursor, invalidCursor, pageOf as page } from '../cursor';
import { customerSummarySchema, toCustomerSummary } from '../customer-schemas';
import { defineEndpoint, ok } from '../endpoint';
import { ApiError } from '../errors';
import { limitOf, pageOf, pageQuery } from '../schemas';
import { customerViewer } from './customers-shared';

/**
 * The position a cursor continues after. A customer never active sorts last under
 * `last_active`; their empty key travels as "" (cursors hold strings and numbers only).
 */
function decodeCustomerCursor(value: string | undefined, sort: CustomerSort): CustomerKey | null {
	if (value === undefined) {
		return null;
	}
	const after = decodeApiCursor(value, `customers:${sort}`, 2);
	const key = after?.[0] === '' ? null : after?.[0];
	const id = after?.[1];
	if (
		!after ||
		!isCustomerSortKey(sort, key) ||
		typeof id !== 'number' ||
		!Number.isSafeInteger(id) ||
		id < 1
	) {
		throw invalidCursor();
	}
	return { key, id };
}

export default defineEndpoint({
	method: 'GET',
	path: '/customers',
	operationId: 'listCustomers',
	tag: 'Staff',
	summary: 'List customers (staff)',
	description:
		'Members and moderators with their company, tier, advocacy score and last activity, as in the staff customer directory. Needs the `staff` scope and a staff account. Pages continue after the last customer of the previous one.',
	scope: 'staff',
	query: z.object({
		q: z
			.string()
			.trim()
			.max(100, 'Search for at most 100 characters.')
			.optional()
			.describe('Part of a name, handle or email address (any letter case).'),
		company: z
			.string()
			.max(60, 'A company slug has at most 60 characters.')
			.optional()
			.describe('Only the members of this company (its slug).'),
		tier: z
			.enum(TIERS, { error: `tier is one of ${TIERS.join(', ')}.` })
			.optional()
			.describe('Only customers of companies in this tier (by the admins’ thresholds).'),
		sort: z
			.enum(CUSTOMER_SORTS, { error: `sort is one of ${CUSTOMER_SORTS.join(', ')}.` })
			.default('advocacy')
			.describe(
				'The order: advocacy (highest score first, the default), last_active (most recent first, never active last), joined (newest first).'
			),
		...pageQuery
	}),
	responses: {
		200: { description: 'A page of customers.', schema: pageOf(customerSummarySchema) }
	},
	errors: [400, 422],
	async handle({ db, actor, query }) {
		customerViewer(actor);
		const thresholds = await getTierThresholds(db);
		let companyId: number | null = null;
		if (query.company !== undefined) {
			const company = await getCompanyBySlug(db, query.company, thresholds);
			if (!company) {
				throw new ApiError('unprocessable', 'A filter names something that does not exist.', {
					company: `There is no company "${query.company}".`
				});
			}
			companyId = company.id;
		}
		const limit = limitOf(query);
		const rows = await listCustomersAfter(
			db,
			thresholds,
			{ q: query.q ?? null, companyId, tier: query.tier ?? null, sort: query.sort },
			{ after: decodeCustomerCursor(query.cursor, query.sort), limit: limit + 1 }
		);
		const { items, next_cursor } = page(rows, limit, `customers:${query.sort}`, (last) => [
			last.position.key ?? '',
			last.position.id
		]);
		return ok({ data: items.map(toCustomerSummary), next_cursor });
	}
});
