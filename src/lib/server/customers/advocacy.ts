// The advocacy score of a customer (staff only): a documented weighted sum over the outcomes of
// their participation plus a promoter bonus (docs/metrics.md, "Advocacy score"). The weights live
// in $lib/domain/advocacy.ts, shared with the page that explains them.
import { sql } from 'kysely';
import { advocacyScore, type Score } from '$lib/domain/advocacy';
import type { Db } from '../db';
import { latestNpsScores } from '../surveys/nps';
import { advocacySql, outcomeCounts, outcomesByUser, toOutcomeCounts } from './outcomes';

/** A customer's advocacy score over all time, with its breakdown. */
export async function advocacyFor(db: Db, userId: number): Promise<Score> {
	const [counts, nps] = await Promise.all([
		outcomeCounts(db, { userIds: [userId] }),
		latestNpsScores(db, { userIds: [userId] })
	]);
	return advocacyScore(counts.get(userId)!, nps[0]?.score ?? null);
}

export interface AdvocateRow extends Score {
	userId: number;
	handle: string;
	displayName: string;
	company: { id: number; name: string; slug: string } | null;
}

/** Roles that count as customers: staff and admins are the company, not its advocates. */
export const CUSTOMER_ROLES = ['member', 'moderator'] as const;

/**
 * The customers with the highest advocacy score from outcomes recorded in [from, to), the
 * promoter bonus from their latest NPS answer in the same window. Customers scoring 0 are left out.
 */
export async function topAdvocates(
	db: Db,
	options: { from?: Date; to?: Date; limit: number }
): Promise<AdvocateRow[]> {
	const window = { from: options.from, to: options.to };
	const rows = await db
		.selectFrom('app_user as u')
		.leftJoin(outcomesByUser(db, window).as('o'), 'o.user_id', 'u.id')
		// Each member's latest NPS answer in the window, in one pass over the window's answers (a
		// lateral lookup per member was 100,000 index scans: ~1 s, most of the dashboard's time).
		.leftJoin(
			(eb) => {
				let nps = eb
					.selectFrom('survey_response as s')
					.distinctOn('s.user_id')
					.select(['s.user_id', 's.score'])
					.where('s.kind', '=', 'nps')
					.orderBy('s.user_id')
					.orderBy('s.created_at', 'desc')
					.orderBy('s.id', 'desc');
				if (window.from) {
					nps = nps.where('s.created_at', '>=', window.from);
				}
				if (window.to) {
					nps = nps.where('s.created_at', '<', window.to);
				}
				return nps.as('nps');
			},
			(join) => join.onRef('nps.user_id', '=', 'u.id')
		)
		.leftJoin('company as c', 'c.id', 'u.company_id')
		.select([
			'u.id',
			'u.handle',
			'u.display_name',
			'c.id as company_id',
			'c.name as company_name',
			'c.slug as company_slug',
			'o.ideas_shipped',
			'o.helpful_net',
			'o.accepted_answers',
			'o.referrals',
			'o.challenges_won',
			sql<number | null>`nps.score`.as('nps_score'),
			advocacySql().as('score')
		])
		.where('u.role', 'in', CUSTOMER_ROLES)
		.where(advocacySql(), '>', 0)
		.orderBy('score', 'desc')
		.orderBy(sql`lower(u.handle)`)
		.limit(Math.max(1, Math.min(options.limit, 500)))
		.execute();
	return rows.map((row) => ({
		userId: row.id,
		handle: row.handle,
		displayName: row.display_name,
		company:
			row.company_id !== null
				? { id: row.company_id, name: row.company_name!, slug: row.company_slug! }
				: null,
		...advocacyScore(toOutcomeCounts(row), row.nps_score)
	}));
}
