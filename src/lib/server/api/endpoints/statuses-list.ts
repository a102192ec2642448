// GET /statuses: the statuses an idea can have, in the admins' order.
import { z } from 'zod';
import { listStatuses } from '../../triage/statuses';
import { defineEndpoint, ok } from '../endpoint';
import { statusSchema } from '../schemas';

export default defineEndpoint({
	method: 'GET',
	path: '/statuses',
	operationId: 'listStatuses',
	tag: 'Ideas',
	summary: 'List idea statuses',
	description:
		'All of them, in the order the admins set (a short list the admins keep: not paged, `next_cursor` is always null).',
	scope: 'read',
	responses: {
		200: {
			description: 'Every status.',
			schema: z.object({ data: z.array(statusSchema), next_cursor: z.null() })
		}
	},
	async handle({ db }) {
		const statuses = await listStatuses(db);
		return ok({
			data: statuses.map((s) => ({
				id: s.id,
				name: s.name,
				slug: s.slug,
				category: s.category,
				position: s.position,
				is_default: s.isDefault
			})),
			next_cursor: null
		});
	}
});
