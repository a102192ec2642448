import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { requireUser, safeNext } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { m } from '$lib/paraglide/messages';
import { parseForm, readForm } from '$lib/server/forms';
import {
	canEditReview,
	canFlag,
	canMarkHelpful,
	canReplyToReview,
	canTrackReview,
	canViewReview,
	canViewReviewHistory
} from '$lib/server/policy';
import {
	REPLY_FIELDS,
	TRACK_FIELDS,
	parseReviewId,
	replySchema,
	replyToReview,
	setHelpful,
	trackReview,
	trackSchema
} from '$lib/server/reviews';
import { getReviewDetail, listTrackableIdeas } from '$lib/server/reviews/queries';
import { openFlagsBy } from '$lib/server/moderation';
import { flag } from '$lib/server/moderation/flag-action';
import type { Actions, PageServerLoad } from './$types';

function reviewIdOf(event: Pick<RequestEvent, 'params'>): number {
	const id = parseReviewId(event.params.id ?? '');
	if (id === null) {
		error(404, m.reviews_not_found());
	}
	return id;
}

/** Visitors sign in and come back to the review (not to the action's `?/…` address). */
function requireSignIn(event: RequestEvent) {
	return requireUser({ locals: event.locals, url: new URL(event.url.pathname, event.url) });
}

export const load = (async (event) => {
	const { actor } = event.locals;
	const db = getDb();
	const review = await getReviewDetail(db, actor, reviewIdOf(event));
	if (!review) {
		error(404, m.reviews_not_found());
	}
	const facts = {
		authorId: review.authorId,
		deleted: review.deleted,
		visibility: review.visibility
	};
	if (!canViewReview(actor, facts)) {
		if (review.deleted) {
			error(410, m.reviews_was_deleted());
		}
		error(404, m.reviews_not_found());
	}
	const can = {
		edit: canEditReview(actor, facts),
		helpful: actor.kind === 'anonymous' ? !review.deleted : canMarkHelpful(actor, facts),
		reply: canReplyToReview(actor, facts),
		track: canTrackReview(actor, facts),
		history: canViewReviewHistory(actor),
		flag: canFlag(actor, facts) && review.visibility === 'visible'
	};
	const flagged =
		actor.kind === 'user'
			? await openFlagsBy(db, actor.id, { postIds: [review.id], commentIds: [] })
			: null;
	return {
		review,
		can,
		/** Whether the viewer has flagged this review and not yet seen it decided. */
		flagged: flagged?.posts.has(review.id) ?? false,
		ideas: can.track ? await listTrackableIdeas(db, review.product.id) : []
	};
}) satisfies PageServerLoad;

export const actions = {
	flag,
	/** Marks the review helpful (`helpful=1`) or takes it back (`helpful=0`); idempotent. */
	helpful: async (event) => {
		const actor = requireSignIn(event);
		const reviewId = reviewIdOf(event);
		const form = await readForm(event.request);
		const wanted = form.get('helpful');
		if (wanted !== '1' && wanted !== '0') {
			error(400, m.reviews_form_unreadable());
		}
		const back = safeNext(String(form.get('returnTo') ?? ''), event.url.pathname);
		const result = await setHelpful(getDb(), actor, { reviewId, helpful: wanted === '1' });
		if (!result.ok) {
			if (result.reason === 'not_found') {
				error(404, m.reviews_not_found());
			}
			return fail(result.reason === 'own' ? 400 : 403, {
				helpfulError:
					result.reason === 'own' ? m.reviews_helpful_own() : m.reviews_helpful_forbidden(),
				reviewId
			});
		}
		redirect(303, back);
	},

	/** Staff write (or edit) the one official reply. */
	reply: async (event) => {
		const actor = requireSignIn(event);
		const reviewId = reviewIdOf(event);
		const form = await readForm(event.request);
		const body = String(form.get('body') ?? '');
		const parsed = parseForm(form, replySchema, REPLY_FIELDS);
		if (!parsed.ok) {
			return fail(400, { replyForm: { body, error: parsed.errors.body ?? null } });
		}
		const result = await replyToReview(getDb(), actor, { reviewId, body: parsed.data.body });
		if (!result.ok) {
			switch (result.reason) {
				case 'not_found':
					error(404, m.reviews_not_found());
					break;
				case 'forbidden':
					return fail(403, {
						replyForm: { body, error: m.reviews_reply_forbidden() }
					});
				case 'invalid':
					return fail(400, { replyForm: { body, error: result.errors.body } });
			}
		}
		redirect(303, result.path);
	},

	/** Staff link the review to an idea of the same product, or remove the link (`idea=`). */
	track: async (event) => {
		const actor = requireSignIn(event);
		const reviewId = reviewIdOf(event);
		const parsed = parseForm(await readForm(event.request), trackSchema, TRACK_FIELDS);
		if (!parsed.ok) {
			return fail(400, { trackError: parsed.errors.idea ?? m.reviews_track_choose() });
		}
		const result = await trackReview(getDb(), actor, { reviewId, ideaId: parsed.data.idea });
		if (!result.ok) {
			switch (result.reason) {
				case 'not_found':
					error(404, m.reviews_not_found());
					break;
				case 'forbidden':
					return fail(403, { trackError: m.reviews_track_forbidden() });
				case 'invalid':
					return fail(400, { trackError: result.errors.idea });
			}
		}
		redirect(303, `${result.path}#tracking`);
	}
} satisfies Actions;
