// Joining a company by email domain: a member whose verified address is at a company's domain,
// and who belongs to no company yet, becomes its member. An admin's own choice always wins: a
// member already in a company (put there by hand, or by an earlier domain) never moves.
import { sql } from 'kysely';
import type { Db } from '../db';
import { recordSystemAudit } from '../audit';
import { emailDomain } from './domains';

/**
 * Lets this member join the company whose `email_domain` is their verified address's domain, if
 * they have no company. Call it in the transaction that verifies the address (the link, or a
 * single sign-on provider that vouches for it). Returns the company joined, or null.
 */
export async function joinCompanyByVerifiedDomain(
	trx: Db,
	userId: number
): Promise<{ id: number; name: string; slug: string } | null> {
	const user = await trx
		.selectFrom('app_user')
		.select(['email', 'email_verified_at', 'company_id'])
		.where('id', '=', userId)
		.executeTakeFirst();
	if (!user || user.email_verified_at === null || user.company_id !== null) {
		return null;
	}
	const domain = emailDomain(user.email);
	if (!domain) {
		return null;
	}
	const company = await trx
		.selectFrom('company')
		.select(['id', 'name', 'slug'])
		.where('email_domain', '=', domain)
		.executeTakeFirst();
	if (!company) {
		return null;
	}
	// Conditional, so a concurrent admin assignment is not overwritten.
	const joined = await trx
		.updateTable('app_user')
		.set({ company_id: company.id })
		.where('id', '=', userId)
		.where('company_id', 'is', null)
		.returning('handle')
		.executeTakeFirst();
	if (!joined) {
		return null;
	}
	await recordSystemAudit(trx, {
		action: 'company.member_joined',
		targetType: 'company',
		targetId: company.id,
		reason: `Verified email address at ${domain}`,
		details: { userId, handle: joined.handle, domain }
	});
	return company;
}

/**
 * When a company gets a domain: every verified member at that domain with no company joins it.
 * Returns the ids of those who joined (the caller's audit entry names them).
 */
export async function joinVerifiedMembersToCompany(
	trx: Db,
	company: { id: number; emailDomain: string }
): Promise<number[]> {
	const suffix = `@${company.emailDomain}`;
	const rows = await trx
		.updateTable('app_user')
		.set({ company_id: company.id })
		.where('company_id', 'is', null)
		.where('email_verified_at', 'is not', null)
		.where(sql<string>`right(email, ${suffix.length})`, '=', suffix)
		.returning('id')
		.execute();
	return rows.map((r) => r.id).sort((a, b) => a - b);
}
