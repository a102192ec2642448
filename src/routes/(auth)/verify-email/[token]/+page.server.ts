import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { isVerificationTokenValid, verifyEmail } from '$lib/server/auth/verification';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';

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
				message: m.account_link_expired_settings()
			});
		}
		return {
			verified: true as const,
			email: result.email,
			company: result.company ? { name: result.company.name } : null
		};
	}
} satisfies Actions;
