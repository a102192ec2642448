// GET /customers/{handle} (staff): one customer as their staff page shows them — profile,
// company and tier, participation, advocacy score with its breakdown, points and badges, latest
// NPS answer and last activity — from the same domain functions as that page.
import { advocacyFor } from '../../customers/advocacy';
import { participationOf } from '../../customers/participation';
import { memberPoints } from '../../customers/points';
import { latestNpsScores } from '../../surveys/nps';
import { customerDetailSchema, toCustomerDetail } from '../customer-schemas';
import { defineEndpoint, ok } from '../endpoint';
import { itemOf } from '../schemas';
import { customerViewer, findCustomer, handlePath } from './customers-shared';

export default defineEndpoint({
	method: 'GET',
	path: '/customers/{handle}',
	operationId: 'getCustomer',
	tag: 'Staff',
	summary: 'Get a customer (staff)',
	description:
		'Anyone with an account, found by handle in any letter case (the answer carries the handle as written). Needs the `staff` scope and a staff account. The figures are defined in docs/metrics.md.',
	scope: 'staff',
	params: handlePath,
	responses: { 200: { description: 'The customer.', schema: itemOf(customerDetailSchema) } },
	errors: [400, 404],
	async handle({ db, actor, params }) {
		customerViewer(actor);
		const { customer } = await findCustomer({ db }, params.handle);
		const [participation, advocacy, points, nps] = await Promise.all([
			participationOf(db, customer.id),
			advocacyFor(db, customer.id),
			memberPoints(db, customer.id),
			latestNpsScores(db, { userIds: [customer.id] })
		]);
		return ok({
			data: toCustomerDetail({ customer, participation, advocacy, points, nps: nps[0] ?? null })
		});
	}
});
