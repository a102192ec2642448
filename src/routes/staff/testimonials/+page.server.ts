// Staff: who may be asked for a testimonial (and why), inviting them, and every invitation and
// testimonial with publish / unpublish.
import { m } from '$lib/paraglide/messages';
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { echo, parseForm, readForm } from '$lib/server/forms';
import { canManageTestimonials, type UserActor } from '$lib/server/policy';
import {
	INVITE_FIELDS,
	inviteSchema,
	inviteToTestimonial,
	listTestimonialsForStaff,
	parseTestimonialId,
	publishTestimonial,
	testimonialCandidates,
	unpublishTestimonial
} from '$lib/server/testimonials';
import { isTestimonialStatus, TESTIMONIAL_STATUSES } from '$lib/domain/testimonials';
import type { PublishBlock } from '$lib/domain/testimonials';
import type { Actions, PageServerLoad } from './$types';

const CANDIDATE_LIMIT = 100;

function staffOf(event: Pick<RequestEvent, 'locals' | 'url'>): UserActor {
	const actor = event.locals.actor;
	authorize(event, canManageTestimonials(actor));
	return actor as UserActor;
}

export const load = (async (event) => {
	const actor = staffOf(event);
	const db = getDb();
	const status = event.url.searchParams.get('status');
	const filter = isTestimonialStatus(status) ? status : undefined;
	const [candidates, testimonials] = await Promise.all([
		testimonialCandidates(db, { limit: CANDIDATE_LIMIT }),
		listTestimonialsForStaff(db, actor, { status: filter })
	]);
	return { candidates, testimonials, status: filter ?? null, statuses: TESTIMONIAL_STATUSES };
}) satisfies PageServerLoad;

async function testimonialId(event: Pick<RequestEvent, 'request'>): Promise<number> {
	const id = parseTestimonialId(String((await readForm(event.request)).get('testimonial') ?? ''));
	if (id === null) {
		error(400, m.testimonials_error_form_unreadable());
	}
	return id;
}

const PUBLISH_REFUSALS: Record<PublishBlock, () => string> = {
	no_consent: () => m.testimonials_refused_no_consent(),
	not_submitted: () => m.testimonials_refused_not_submitted(),
	already_published: () => m.testimonials_refused_already_published()
};

export const actions = {
	invite: async (event) => {
		const actor = staffOf(event);
		const form = await readForm(event.request);
		const parsed = parseForm(form, inviteSchema, INVITE_FIELDS);
		if (!parsed.ok) {
			return fail(400, { values: echo(form, INVITE_FIELDS), errors: parsed.errors });
		}
		const result = await inviteToTestimonial(getDb(), actor, parsed.data);
		if (!result.ok && result.reason === 'forbidden') {
			error(403, m.testimonials_error_forbidden());
		}
		if (!result.ok) {
			return fail(409, {
				values: echo(form, INVITE_FIELDS),
				errors: {
					member: m.testimonials_error_cannot_invite()
				}
			});
		}
		return { invited: parsed.data.member };
	},
	publish: async (event) => {
		const actor = staffOf(event);
		const id = await testimonialId(event);
		const result = await publishTestimonial(getDb(), actor, id);
		if (!result.ok) {
			if (result.reason === 'forbidden') {
				error(403, m.testimonials_error_forbidden());
			}
			if (result.reason === 'not_found') {
				error(404, m.testimonials_error_testimonial_not_found());
			}
			return fail(409, { id, message: PUBLISH_REFUSALS[result.reason]() });
		}
		return { published: id };
	},
	unpublish: async (event) => {
		const actor = staffOf(event);
		const id = await testimonialId(event);
		const result = await unpublishTestimonial(getDb(), actor, id);
		if (!result.ok) {
			if (result.reason === 'forbidden') {
				error(403, m.testimonials_error_forbidden());
			}
			if (result.reason === 'not_found') {
				error(404, m.testimonials_error_testimonial_not_found());
			}
			return fail(409, { id, message: m.testimonials_refused_not_published() });
		}
		return { unpublished: id };
	}
} satisfies Actions;
