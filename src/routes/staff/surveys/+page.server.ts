import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { canViewSurveyResults } from '$lib/server/policy';
import { surveyFilters } from '$lib/server/surveys/filters';
import {
	ANSWER_LIST_LIMIT,
	SCORE_GROUPS,
	scoreGroupLabel,
	surveyResults
} from '$lib/server/surveys/results';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canViewSurveyResults(event.locals.actor));
	const db = getDb();
	const filters = surveyFilters(event.url);
	const [results, companies, products] = await Promise.all([
		surveyResults(db, filters),
		db.selectFrom('company').select(['name', 'slug']).orderBy('name').execute(),
		db.selectFrom('product').select(['name', 'slug']).orderBy('name').execute()
	]);
	return {
		filters,
		results,
		companies,
		products,
		groups: SCORE_GROUPS.map((value) => ({ value, label: scoreGroupLabel(value) })),
		listLimit: ANSWER_LIST_LIMIT,
		csvHref: `/staff/surveys.csv${event.url.search}`
	};
}) satisfies PageServerLoad;
