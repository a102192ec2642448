// Each member's latest NPS answer: the input every NPS figure is computed from (`npsOf` in
// $lib/domain/surveys.ts). Shared by the customer page, the company page and the insights.
import type { Db } from '../db';

export interface NpsFilter {
	/** Answers given at or after this moment. */
	from?: Date;
	/** Answers given before this moment. */
	to?: Date;
	userIds?: readonly number[];
	companyId?: number;
}

export interface LatestNps {
	userId: number;
	score: number;
	reason: string | null;
	createdAt: Date;
}

/** One row per member who answered in the window: their latest answer in it. */
export async function latestNpsScores(db: Db, filter: NpsFilter = {}): Promise<LatestNps[]> {
	if (filter.userIds && filter.userIds.length === 0) {
		return [];
	}
	let query = db
		.selectFrom('survey_response as s')
		.select(['s.user_id', 's.score', 's.reason', 's.created_at'])
		.distinctOn('s.user_id')
		.where('s.kind', '=', 'nps')
		.orderBy('s.user_id')
		.orderBy('s.created_at', 'desc')
		.orderBy('s.id', 'desc');
	if (filter.from) {
		query = query.where('s.created_at', '>=', filter.from);
	}
	if (filter.to) {
		query = query.where('s.created_at', '<', filter.to);
	}
	if (filter.userIds) {
		query = query.where('s.user_id', 'in', filter.userIds);
	}
	if (filter.companyId !== undefined) {
		const companyId = filter.companyId;
		query = query.where((eb) =>
			eb.exists(
				eb
					.selectFrom('app_user as u')
					.select('u.id')
					.whereRef('u.id', '=', 's.user_id')
					.where('u.company_id', '=', companyId)
			)
		);
	}
	const rows = await query.execute();
	return rows.map((row) => ({
		userId: row.user_id,
		score: row.score,
		reason: row.reason,
		createdAt: row.created_at
	}));
}
