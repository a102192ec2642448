// A member's invitations and testimonials, and withdrawing consent to publication at any time.
import { m } from '$lib/paraglide/messages';
import { error, fail } from '@sveltejs/kit';
import { authorize, requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { readForm } from '$lib/server/forms';
import { canManageOwnAccount } from '$lib/server/policy';
import {
	ownTestimonials,
	parseTestimonialId,
	withdrawTestimonialConsent
} from '$lib/server/testimonials';
import { testimonialInvitationPath } from '$lib/domain/testimonials';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const user = requireUser(event);
	authorize(event, canManageOwnAccount(user));
	const saved = parseTestimonialId(event.url.searchParams.get('saved') ?? '');
	const testimonials = await ownTestimonials(getDb(), user.id);
	return {
		saved: testimonials.find((t) => t.id === saved) ?? null,
		testimonials: testimonials.map((t) => ({ ...t, path: testimonialInvitationPath(t.id) }))
	};
}) satisfies PageServerLoad;

export const actions = {
	withdraw: async (event) => {
		const user = requireUser(event);
		const id = parseTestimonialId(String((await readForm(event.request)).get('testimonial') ?? ''));
		if (id === null) {
			error(400, m.testimonials_error_form_unreadable());
		}
		const result = await withdrawTestimonialConsent(getDb(), user, id);
		if (!result.ok) {
			if (result.reason === 'not_found') {
				error(404, m.testimonials_error_invitation_not_found());
			}
			return fail(409, { id, message: m.testimonials_error_nothing_to_withdraw() });
		}
		return { withdrawn: id };
	}
} satisfies Actions;
