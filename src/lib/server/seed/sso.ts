// Demo sign-on links: two customers linked their work accounts (one GitHub, one Google), as if
// they had signed in with them once, so their settings show linked providers. The demo site
// configures no provider, so these identities are shown but cannot be used to sign in.
import type { Db } from '../db';
import { GITHUB_ISSUER } from '../sso/profile';
import { GOOGLE_ISSUER } from '../sso/providers';

const DAY = 24 * 60 * 60 * 1000;

export async function seedSignOn(db: Db, customers: number[]): Promise<void> {
	const [first, second] = customers;
	if (first === undefined || second === undefined) {
		return;
	}
	const people = await db
		.selectFrom('app_user')
		.select(['id', 'email'])
		.where('id', 'in', [first, second])
		.execute();
	const emailOf = (id: number) => people.find((p) => p.id === id)?.email ?? null;
	const now = Date.now();
	await db
		.insertInto('oauth_account')
		.values([
			{
				provider: 'github',
				issuer: GITHUB_ISSUER,
				provider_user_id: '90210417',
				user_id: first,
				email: emailOf(first),
				created_at: new Date(now - 40 * DAY),
				last_used_at: new Date(now - 2 * DAY)
			},
			{
				provider: 'google',
				issuer: GOOGLE_ISSUER,
				provider_user_id: '108273645510293847561',
				user_id: second,
				email: emailOf(second),
				created_at: new Date(now - 12 * DAY),
				last_used_at: new Date(now - 12 * DAY)
			}
		])
		.execute();
	// The providers vouched for these addresses when they were linked.
	await db
		.updateTable('app_user')
		.set({ email_verified_at: new Date(now - 40 * DAY) })
		.where('id', 'in', [first, second])
		.execute();
}
