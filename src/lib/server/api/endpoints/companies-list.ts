// GET /companies (staff): customer companies with their tier under the admins' thresholds.
import { z } from 'zod';
import { TIERS } from '$lib/domain/tiers';
import { getSiteSettings, tierThresholds } from '../../moderation/settings';
import { canUseStaffApi } from '../../policy';
import { listCompanies } from '../../triage';
import { decodeIdCursor, pageOf as page } from '../cursor';
import { defineEndpoint, ok } from '../endpoint';
import { ApiError } from '../errors';
import { limitOf, pageOf, pageQuery } from '../schemas';

export default defineEndpoint({
	method: 'GET',
	path: '/companies',
	operationId: 'listCompanies',
	tag: 'Staff',
	summary: 'List companies (staff)',
	description:
		'Oldest first, each with its monthly value and its tier by the thresholds in the admin settings. Needs the `staff` scope and a staff account.',
	scope: 'staff',
	query: z.object(pageQuery),
	responses: {
		200: {
			description: 'A page of companies.',
			schema: pageOf(
				z.object({
					id: z.number().int(),
					name: z.string(),
					slug: z.string(),
					mrr: z.number().describe('Monthly recurring revenue, the value tiers are based on.'),
					tier: z.enum(TIERS)
				})
			)
		}
	},
	errors: [400],
	async handle({ db, actor, query }) {
		if (!canUseStaffApi(actor)) {
			throw new ApiError('forbidden', 'Only staff see the companies.');
		}
		const limit = limitOf(query);
		const rows = await listCompanies(db, {
			thresholds: tierThresholds(await getSiteSettings(db)),
			slice: { afterId: decodeIdCursor(query.cursor, 'companies'), limit: limit + 1 }
		});
		const { items, next_cursor } = page(rows, limit, 'companies', (c) => [c.id]);
		return ok({ data: items, next_cursor });
	}
});
