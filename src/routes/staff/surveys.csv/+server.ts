// GET /staff/surveys.csv: every survey answer matching the staff view's filters, as CSV.
import { authorize } from '$lib/server/auth/guards';
import { csvResponse } from '$lib/server/csv';
import { getDb } from '$lib/server/db/app';
import { canViewSurveyResults } from '$lib/server/policy';
import { surveyFilters } from '$lib/server/surveys/filters';
import { listSurveyAnswers, surveyAnswersCsv } from '$lib/server/surveys/results';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	authorize(event, canViewSurveyResults(event.locals.actor));
	const rows = await listSurveyAnswers(getDb(), surveyFilters(event.url));
	return csvResponse('survey-answers', surveyAnswersCsv(rows, event.url.origin));
};
