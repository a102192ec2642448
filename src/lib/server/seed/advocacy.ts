// Demo advocacy: who brought whom through their referral link (so advocacy scores, points, the
// Ambassador badge and the leaderboard have something to show), and one member who keeps off the
// leaderboard. Runs inside the demo seed's transaction, after the people exist. Referral codes
// are made on first use, like any member's.
import { sql } from 'kysely';
import type { Db } from '../db';
import { recordActivity } from '../activity';

const DAY_MS = 24 * 60 * 60 * 1000;

// Referrer → the people who joined through their link, and how many days ago each joined.
const REFERRALS: { referrer: string; joined: { handle: string; daysAgo: number }[] }[] = [
	{
		referrer: 'priya_raman',
		joined: [
			{ handle: 'marcus_webb', daysAgo: 70 },
			{ handle: 'aisha_bello', daysAgo: 40 },
			{ handle: 'kenji_watanabe', daysAgo: 3 }
		]
	},
	{
		referrer: 'olivia_chen',
		joined: [
			{ handle: 'rafael_moreno', daysAgo: 25 },
			{ handle: 'arjun_mehta', daysAgo: 2 }
		]
	},
	{ referrer: 'chloe_martin', joined: [{ handle: 'grace_kim', daysAgo: 12 }] },
	{ referrer: 'zoe_laurent', joined: [{ handle: 'kofi_asante', daysAgo: 1 }] }
];

/** A member who prefers not to be ranked in public. */
const OPTED_OUT = 'hannah_goldberg';

export async function seedAdvocacy(trx: Db): Promise<void> {
	const handles = [
		...REFERRALS.flatMap((r) => [r.referrer, ...r.joined.map((j) => j.handle)]),
		OPTED_OUT
	];
	const rows = await trx
		.selectFrom('app_user')
		.select(['id', 'handle'])
		.where(sql<string>`lower(handle)`, 'in', handles)
		.execute();
	const ids = new Map(rows.map((r) => [r.handle.toLowerCase(), r.id]));
	const now = Date.now();
	for (const { referrer, joined } of REFERRALS) {
		const referrerId = ids.get(referrer);
		if (referrerId === undefined) {
			continue;
		}
		for (const person of joined) {
			const personId = ids.get(person.handle);
			if (personId === undefined) {
				continue;
			}
			const at = new Date(now - person.daysAgo * DAY_MS);
			await trx
				.updateTable('app_user')
				.set({ referred_by_id: referrerId })
				.where('id', '=', personId)
				.execute();
			await recordActivity(trx, {
				userId: referrerId,
				kind: 'referral_joined',
				data: { referredUserId: personId }
			});
			// The ledger row dates from the sign-up, so "this month" and "all time" differ.
			await trx
				.updateTable('activity')
				.set({ created_at: at })
				.where('user_id', '=', referrerId)
				.where('kind', '=', 'referral_joined')
				.where(sql`data ->> 'referredUserId'`, '=', String(personId))
				.execute();
		}
	}
	const optedOut = ids.get(OPTED_OUT);
	if (optedOut !== undefined) {
		await trx
			.updateTable('app_user')
			.set({ leaderboard_opt_out: true })
			.where('id', '=', optedOut)
			.execute();
	}
}
