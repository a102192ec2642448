import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { isVerificationTokenValid, verifyEmail } from '$lib/server/auth/verification';
import type { Actions, PageServerLoad } from './$types';

// Opening the link changes nothing (mail scanners open links); the button confirms.
export const load = (async ({ params }) => {
	return { valid: await isVerificationTokenValid(getDb(), params.token) };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const result = await verifyEmail(getDb(), event.params.token);
		if (!result.ok) {
			return fail(400, {
				verified: false as const,
				message: 'This link has expired or was already used. Ask for a new one in your settings.'
			});
		}
		return {
			verified: true as const,
			email: result.email,
			company: result.company ? { name: result.company.name } : null
		};
	}
} satisfies Actions;
