// Every /api/v1 request goes to the API router (src/lib/server/api): the operations, their
// validation and the OpenAPI document are declared there, once.
import { config } from '$lib/server/config';
import { getDatabase } from '$lib/server/db/app';
import { apiRouter } from '$lib/server/api';
import type { RequestHandler } from './$types';

const handle: RequestHandler = async ({ request, locals }) => {
	const { db, pool } = getDatabase();
	return apiRouter.handle(request, {
		db,
		pool,
		sessionActor: locals.actor,
		requestsPerMinute: config().API_REQUESTS_PER_MINUTE
	});
};

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
export const fallback = handle;
