import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { authorize, requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { echo, parseForm, readForm, type FieldErrors } from '$lib/server/forms';
import { API_SCOPES, canGrantApiScope, canManageApiTokens } from '$lib/server/policy';
import {
	CREATE_TOKEN_FIELDS,
	CREATE_TOKEN_LISTS,
	createApiToken,
	createTokenSchema,
	listApiTokens,
	revokeApiToken
} from '$lib/server/api/tokens';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { m } from '$lib/paraglide/messages';

function owner(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const user = requireUser(event);
	authorize(event, canManageApiTokens(user));
	return user;
}

export const load = (async (event) => {
	const user = owner(event);
	return {
		tokens: await listApiTokens(getDb(), user),
		scopes: API_SCOPES.filter((scope) => canGrantApiScope(user, scope))
	};
}) satisfies PageServerLoad;

const revokeSchema = z.object({
	token: z.coerce
		.number({ error: () => m.account_tokens_choose() })
		.int()
		.positive({ error: () => m.account_tokens_choose() })
});

export const actions = {
	create: async (event) => {
		const user = owner(event);
		const form = await readForm(event.request);
		const values = {
			...echo(form, CREATE_TOKEN_FIELDS),
			scopes: form.getAll('scopes').map(String)
		};
		const parsed = parseForm(form, createTokenSchema, CREATE_TOKEN_FIELDS, CREATE_TOKEN_LISTS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors });
		}
		const result = await createApiToken(getDb(), user, parsed.data);
		if (!result.ok) {
			return fail(result.reason === 'forbidden' ? 403 : 400, {
				values,
				errors: (result.reason === 'invalid' ? result.errors : {}) as FieldErrors
			});
		}
		// The only time the token is ever shown: it is stored as its hash alone.
		return { created: { name: parsed.data.name, token: result.token } };
	},
	revoke: async (event) => {
		const user = owner(event);
		const parsed = parseForm(await readForm(event.request), revokeSchema, ['token']);
		if (!parsed.ok || !(await revokeApiToken(getDb(), user, parsed.data.token))) {
			return fail(404, { revokeError: m.account_tokens_revoke_missing() });
		}
		return { revoked: true };
	}
} satisfies Actions;
