// A member's referral link: remembers the code for the sign-up (even if the visitor looks around
// first) and goes to the sign-up form. An unknown code is ignored there, with no error shown.
import { redirect } from '@sveltejs/kit';
import { REFERRAL_COOKIE, REFERRAL_COOKIE_DAYS } from '$lib/server/customers/referrals';
import { canSignUp } from '$lib/server/policy';
import type { RequestHandler } from './$types';

export const GET = (({ params, cookies, url, locals }) => {
	if (!canSignUp(locals.actor)) {
		redirect(303, '/');
	}
	cookies.set(REFERRAL_COOKIE, params.code.slice(0, 64), {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: REFERRAL_COOKIE_DAYS * 24 * 60 * 60
	});
	redirect(303, `/signup?ref=${encodeURIComponent(params.code.slice(0, 64))}`);
}) satisfies RequestHandler;
