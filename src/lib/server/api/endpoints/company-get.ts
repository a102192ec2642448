// GET /companies/{slug} (staff): one company as /staff/companies/<slug> shows it — value and
// tier, members, NPS, ratings per product, and the demand its members expressed.
import { z } from 'zod';
import { getCompanyInsights } from '../../companies';
import { getTierThresholds } from '../../moderation/settings';
import { companyDetailSchema, toCompanyDetail } from '../customer-schemas';
import { defineEndpoint, ok } from '../endpoint';
import { notFound } from '../errors';
import { itemOf } from '../schemas';
import { customerViewer } from './customers-shared';

export default defineEndpoint({
	method: 'GET',
	path: '/companies/{slug}',
	operationId: 'getCompany',
	tag: 'Staff',
	summary: 'Get a company (staff)',
	description:
		'Its value and tier (by the thresholds in the admin settings), members, NPS over each member’s latest answer, ratings per product, and the ideas its members posted or voted for with their status. Needs the `staff` scope and a staff account.',
	scope: 'staff',
	params: z.object({
		slug: z
			.string()
			.min(1, 'Name the company by its slug.')
			.max(60, 'A company slug has at most 60 characters.')
			.describe('The company’s slug, as in `GET /companies`.')
	}),
	responses: { 200: { description: 'The company.', schema: itemOf(companyDetailSchema) } },
	errors: [400, 404],
	async handle({ db, actor, params }) {
		customerViewer(actor);
		const insights = await getCompanyInsights(db, params.slug, await getTierThresholds(db));
		if (!insights) {
			throw notFound('company');
		}
		return ok({ data: toCompanyDetail(insights) });
	}
});
