// PUT /ideas/{id}/status (staff): move an idea to another status, with an optional public message.
import { z } from 'zod';
import { moveIdeaToStatus } from '../../ideas/status';
import { canUseStaffApi } from '../../policy';
import { statusMessageSchema } from '../../triage';
import { defineEndpoint, ok } from '../endpoint';
import { ApiError, notFound } from '../errors';
import { idPath, ideaDetailSchema, itemOf, toIdeaDetail } from '../schemas';
import { findVisibleIdea } from './shared';

export default defineEndpoint({
	method: 'PUT',
	path: '/ideas/{id}/status',
	operationId: 'changeIdeaStatus',
	tag: 'Staff',
	summary: 'Change an idea’s status (staff)',
	description:
		'As on the idea page: voters and followers are told, the message is public, shipping closes voting. Needs the `staff` scope and a staff account.',
	scope: 'staff',
	params: idPath,
	body: z.object({
		status: z.number({ error: 'status is a status id (see GET /statuses).' }).int().positive(),
		message: statusMessageSchema.describe('A public note for voters and followers (markdown).')
	}),
	responses: {
		200: { description: 'The idea, in its new status.', schema: itemOf(ideaDetailSchema) }
	},
	errors: [400, 404, 409, 422],
	async handle(ctx) {
		if (!canUseStaffApi(ctx.actor)) {
			throw new ApiError('forbidden', 'Only staff change an idea’s status.');
		}
		const result = await moveIdeaToStatus(ctx.db, ctx.actor, {
			ideaId: ctx.params.id,
			statusId: ctx.body.status,
			message: ctx.body.message
		});
		if (!result.ok) {
			switch (result.reason) {
				case 'unknown_status':
					throw new ApiError('unprocessable', 'There is no such status.', {
						status: 'Choose one of the statuses (GET /statuses).'
					});
				case 'not_found':
					throw notFound('idea');
				case 'refused':
					throw new ApiError('conflict', 'This idea was merged or deleted: its status stays.');
				case 'same':
					throw new ApiError('conflict', 'The idea already has this status: nothing was changed.');
			}
		}
		const { idea } = await findVisibleIdea(ctx, ctx.params.id);
		return ok({ data: toIdeaDetail(idea, null) });
	}
});
