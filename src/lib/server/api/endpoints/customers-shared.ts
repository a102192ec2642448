// What the staff operations on customers and companies share: the one authorization rule (the
// customer pages' rule and the staff endpoints' rule, policy.ts), the admins' tier thresholds,
// and finding a customer by handle.
import { z } from 'zod';
import { customerByHandle } from '../../customers/directory';
import { getTierThresholds } from '../../moderation/settings';
import { canUseCustomersApi, type Actor, type UserActor } from '../../policy';
import type { ApiContext } from '../endpoint';
import { ApiError, notFound } from '../errors';

export const handlePath = z.object({
	handle: z
		.string()
		.min(1, 'Name the customer by their handle.')
		.max(100, 'A handle has at most 100 characters.')
		.describe('The customer’s handle, in any letter case.')
});

/** Staff who may see customer data, or a 403: members, moderators and suspended staff may not. */
export function customerViewer(actor: Actor): UserActor {
	if (!canUseCustomersApi(actor)) {
		throw new ApiError('forbidden', 'Only staff see customers and companies.');
	}
	return actor;
}

/** The customer (anyone with an account, as on the staff customer page) by handle, or a 404. */
export async function findCustomer(
	ctx: Pick<ApiContext<unknown, unknown, unknown>, 'db'>,
	handle: string
) {
	const thresholds = await getTierThresholds(ctx.db);
	const customer = await customerByHandle(ctx.db, handle, thresholds);
	if (!customer) {
		throw notFound('customer');
	}
	return { customer, thresholds };
}
