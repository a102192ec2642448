// The invited member writes their testimonial and consents (or not) to its publication. Anyone
// else gets 404: an invitation is not something to find out about.
import { m } from '$lib/paraglide/messages';
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { echo, parseForm, readForm } from '$lib/server/forms';
import {
	getInvitation,
	parseTestimonialId,
	TESTIMONIAL_FIELDS,
	testimonialProducts,
	testimonialSchema,
	writeTestimonial
} from '$lib/server/testimonials';
import { TESTIMONIAL_BODY_MAX, TESTIMONIAL_BODY_MIN } from '$lib/domain/testimonials';
import type { Actions, PageServerLoad } from './$types';

async function invitationOf(event: Pick<RequestEvent, 'locals' | 'url' | 'params'>) {
	const user = requireUser(event);
	const id = parseTestimonialId(event.params.id ?? '');
	const invitation = id === null ? null : await getInvitation(getDb(), user, id);
	if (!invitation) {
		error(404, m.testimonials_error_invitation_not_found());
	}
	return { user, invitation };
}

export const load = (async (event) => {
	const { invitation } = await invitationOf(event);
	return {
		invitation,
		products: await testimonialProducts(getDb()),
		limits: { min: TESTIMONIAL_BODY_MIN, max: TESTIMONIAL_BODY_MAX }
	};
}) satisfies PageServerLoad;

export const actions = {
	write: async (event) => {
		const { user, invitation } = await invitationOf(event);
		const form = await readForm(event.request);
		const values = echo(form, ['body', 'product', 'consent']);
		values.body = String(form.get('body') ?? '').slice(0, 5000);
		const parsed = parseForm(form, testimonialSchema, TESTIMONIAL_FIELDS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors });
		}
		const result = await writeTestimonial(getDb(), user, invitation.id, parsed.data);
		if (!result.ok) {
			switch (result.reason) {
				case 'not_found':
					error(404, m.testimonials_error_invitation_not_found());
					break;
				case 'forbidden':
					error(403, m.testimonials_error_suspended());
					break;
				case 'no_product':
					return fail(400, {
						values,
						errors: { product: m.testimonials_error_product() }
					});
				case 'consent_outdated':
					return fail(409, {
						values,
						errors: { consent: m.testimonials_error_consent_outdated() }
					});
			}
		}
		redirect(303, `/settings/testimonials?saved=${invitation.id}`);
	}
} satisfies Actions;
