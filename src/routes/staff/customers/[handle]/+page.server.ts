import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ADVOCACY_WEIGHTS, BADGES, POINT_RULES } from '$lib/domain/advocacy';
import { m } from '$lib/paraglide/messages';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { customerByHandle } from '$lib/server/customers/directory';
import { customerOverview } from '$lib/server/customers/overview';
import { getSiteSettings, tierThresholds } from '$lib/server/moderation/settings';
import { canViewCustomers } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

const pageParam = z.coerce.number().int().min(1).max(100_000).catch(1);

export const load = (async (event) => {
	authorize(event, canViewCustomers(event.locals.actor));
	const db = getDb();
	const thresholds = tierThresholds(await getSiteSettings(db));
	const customer = await customerByHandle(db, event.params.handle, thresholds);
	if (!customer) {
		error(404, m.staff_customer_not_found());
	}
	if (event.params.handle !== customer.handle) {
		redirect(308, `/staff/customers/${encodeURIComponent(customer.handle)}${event.url.search}`);
	}
	const activityPage = pageParam.parse(event.url.searchParams.get('activity') ?? 1);
	const { participation, advocacy, points, nps, weeks, timeline } = await customerOverview(
		db,
		customer.id,
		{ activityPage }
	);
	return {
		customer,
		thresholds,
		participation,
		advocacy,
		weights: ADVOCACY_WEIGHTS,
		points: { allTime: points.allTime.score, thisMonth: points.thisMonth.score },
		pointRules: POINT_RULES,
		badges: points.badges,
		badgeCount: BADGES.length,
		nps,
		weeks,
		timeline
	};
}) satisfies PageServerLoad;
