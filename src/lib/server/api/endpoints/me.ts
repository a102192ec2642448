// GET /me: who the token (or session) acts as, and what it may do. A script's first call.
import { z } from 'zod';
import { ROLES } from '$lib/domain/roles';
import { API_SCOPES } from '../../policy';
import { defineEndpoint, ok } from '../endpoint';

export default defineEndpoint({
	method: 'GET',
	path: '/me',
	operationId: 'getMe',
	tag: 'Account',
	summary: 'The account the request acts as',
	scope: 'read',
	signedIn: true,
	responses: {
		200: {
			description: 'The caller.',
			schema: z.object({
				data: z.object({
					handle: z.string(),
					display_name: z.string(),
					role: z.enum(ROLES),
					suspended_until: z.iso.datetime().nullable(),
					scopes: z
						.array(z.enum(API_SCOPES))
						.describe('The token’s scopes; ["read"] for a browser session.')
				})
			})
		}
	},
	async handle({ actor, credential }) {
		if (actor.kind !== 'user') {
			throw new Error('signedIn endpoint reached without a person');
		}
		return ok({
			data: {
				handle: actor.handle,
				display_name: actor.displayName,
				role: actor.role,
				suspended_until: actor.suspendedUntil ? actor.suspendedUntil.toISOString() : null,
				scopes: credential.kind === 'token' ? [...credential.scopes] : ['read']
			}
		});
	}
});
