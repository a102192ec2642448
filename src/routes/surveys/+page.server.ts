// /surveys: the member's open survey question, and the named actions every survey card posts to
// (?/answer, ?/dismiss). Each redirects back to the page the member was on (same site only);
// a refused answer shows here, with the card again, when JavaScript is off.
import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireUser, safeNext } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db/app';
import { echo, parseForm, readForm } from '$lib/server/forms';
import {
	answerSurvey,
	currentSurveyCard,
	dismissSurvey,
	surveyCardById,
	type SurveyActResult
} from '$lib/server/surveys';
import { setSurveyThanks } from '$lib/server/surveys/web';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

const notFound = () => m.roadmap_survey_not_found();
const offerField = z.coerce
	.number({ error: notFound })
	.int({ error: notFound })
	.positive({ error: notFound });

const answerSchema = z.object({
	offer: offerField,
	score: z
		.string({ error: () => m.roadmap_survey_score_missing() })
		.trim()
		.min(1, { error: () => m.roadmap_survey_score_missing() })
		.regex(/^-?\d{1,3}$/, { error: () => m.roadmap_survey_score_off_scale() })
		.transform(Number),
	reason: z
		.string()
		.max(1000, { error: () => m.roadmap_survey_reason_too_long({ max: 1000 }) })
		.optional()
		.transform((value) => value?.trim() || null),
	returnTo: z.string().optional()
});
const ANSWER_FIELDS = ['offer', 'score', 'reason', 'returnTo'] as const;

const dismissSchema = z.object({ offer: offerField, returnTo: z.string().optional() });

const REFUSED: Record<
	'not_found' | 'forbidden' | 'closed',
	{ status: number; message: () => string }
> = {
	not_found: { status: 404, message: m.roadmap_survey_not_found },
	forbidden: { status: 403, message: m.roadmap_survey_not_yours },
	closed: { status: 409, message: m.roadmap_survey_closed }
};

/** A refusal: the message, the values to show again, and where "back" goes (same site only). */
function failure(status: number, message: string, values: Record<string, string>) {
	return fail(status, { message, values, returnTo: safeNext(values.returnTo) });
}

function refused(result: Exclude<SurveyActResult, { ok: true }>, values: Record<string, string>) {
	if (result.reason === 'invalid') {
		return failure(400, Object.values(result.errors)[0] ?? m.roadmap_survey_check_answer(), values);
	}
	const { status, message } = REFUSED[result.reason];
	return failure(status, message(), values);
}

export const load = (async (event) => {
	const actor = requireUser(event);
	const siteName = config().SITE_NAME;
	const offer = Number(event.url.searchParams.get('offer'));
	const card =
		Number.isInteger(offer) && offer > 0
			? await surveyCardById(getDb(), actor, offer, siteName)
			: await currentSurveyCard(getDb(), actor, { siteName });
	return {
		card,
		returnTo: safeNext(event.url.searchParams.get('returnTo'), '/surveys')
	};
}) satisfies PageServerLoad;

export const actions = {
	answer: async (event) => {
		const actor = requireUser(event);
		const form = await readForm(event.request);
		const values = echo(form, ANSWER_FIELDS);
		const parsed = parseForm(form, answerSchema, ANSWER_FIELDS);
		if (!parsed.ok) {
			return failure(
				400,
				Object.values(parsed.errors)[0] ?? m.roadmap_survey_check_answer(),
				values
			);
		}
		const result = await answerSurvey(getDb(), actor, {
			offerId: parsed.data.offer,
			score: parsed.data.score,
			reason: parsed.data.reason
		});
		if (!result.ok) {
			return refused(result, values);
		}
		setSurveyThanks(event.cookies, event.url, 'answered');
		redirect(303, safeNext(parsed.data.returnTo));
	},
	dismiss: async (event) => {
		const actor = requireUser(event);
		const form = await readForm(event.request);
		const values = echo(form, ['offer', 'returnTo']);
		const parsed = parseForm(form, dismissSchema, ['offer', 'returnTo']);
		if (!parsed.ok) {
			return failure(400, Object.values(parsed.errors)[0] ?? m.roadmap_survey_try_again(), values);
		}
		const result = await dismissSurvey(getDb(), actor, { offerId: parsed.data.offer });
		if (!result.ok) {
			return refused(result, values);
		}
		setSurveyThanks(event.cookies, event.url, 'dismissed');
		redirect(303, safeNext(parsed.data.returnTo));
	}
} satisfies Actions;
