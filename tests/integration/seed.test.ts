import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLE_PATTERN } from '$lib/server/auth/accounts';
import { hashPassword, verifyPassword } from '$lib/server/auth/password';
import type { DatabaseHandle, Db } from '$lib/server/db/index';
import { formatCredentials, seedDemo, type SeedResult } from '$lib/server/seed/demo';
import { backends, createTestDatabase, useTestDatabase } from '../helpers/test-db';

async function snapshot(db: Db) {
	const [companies, products, users] = await Promise.all([
		db.selectFrom('company').selectAll().orderBy('id').execute(),
		db.selectFrom('product').selectAll().orderBy('id').execute(),
		db.selectFrom('app_user').selectAll().orderBy('id').execute()
	]);
	return { companies, products, users };
}

describe.each(backends)('demo seed on %s', (backend) => {
	const t = useTestDatabase(backend);
	let result: SeedResult;

	// The tests below share this database and read what this one seeded.
	beforeAll(async () => {
		result = await seedDemo(t.db);
	});

	it('seeds three products and six companies with about thirty customers', async () => {
		expect(result).toMatchObject({
			seeded: true,
			counts: { companies: 6, products: 3, users: 33, ideas: expect.any(Number) }
		});
		const { companies, products, users } = await snapshot(t.db);
		expect(products).toHaveLength(3);
		expect(products.every((p) => p.description.length > 80)).toBe(true);
		expect(companies).toHaveLength(6);
		expect(new Set(companies.map((c) => c.plan)).size).toBeGreaterThan(1);
		expect(Math.max(...companies.map((c) => c.mrr))).toBeGreaterThan(
			10 * Math.min(...companies.map((c) => c.mrr))
		);

		const customers = users.filter((u) => u.role === 'member');
		expect(customers.length).toBeGreaterThanOrEqual(25);
		expect(customers.length).toBeLessThanOrEqual(35);
		const domains = new Map(companies.map((c) => [c.id, c.email_domain]));
		for (const customer of customers) {
			expect(customer.company_id).not.toBeNull();
			expect(customer.email.split('@')[1]).toBe(domains.get(customer.company_id!));
			expect(customer.email).toMatch(/\.example$/);
			expect(customer.handle).toMatch(HANDLE_PATTERN);
		}
		for (const company of companies) {
			const size = customers.filter((u) => u.company_id === company.id).length;
			expect(size).toBeGreaterThanOrEqual(4);
			expect(size).toBeLessThanOrEqual(7);
		}
	});

	it('seeds ideas in every status category, with counts that equal their rows', async () => {
		const ideas = await t.db
			.selectFrom('post')
			.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
			.select((eb) => [
				'post.id',
				'post.vote_count',
				'post.comment_count',
				'post.created_at',
				'idea_status.category',
				eb
					.selectFrom('vote')
					.select(eb.fn.countAll<number>().as('n'))
					.whereRef('vote.post_id', '=', 'post.id')
					.as('votes'),
				eb
					.selectFrom('comment')
					.select(eb.fn.countAll<number>().as('n'))
					.whereRef('comment.post_id', '=', 'post.id')
					.as('comments')
			])
			.where('post.kind', '=', 'idea')
			.execute();
		expect(ideas).toHaveLength(result.counts.ideas);
		expect(ideas.length).toBeGreaterThanOrEqual(15);
		expect(new Set(ideas.map((i) => i.category))).toEqual(
			new Set(['open', 'under_review', 'planned', 'in_progress', 'done', 'closed'])
		);
		for (const idea of ideas) {
			expect(idea.vote_count).toBe(idea.votes);
			expect(idea.comment_count).toBe(idea.comments);
			expect(idea.vote_count).toBeGreaterThan(0);
		}
		// Votes and the ledger carry the time of the act, between posting and now.
		const early = await t.db
			.selectFrom('vote')
			.innerJoin('post', 'post.id', 'vote.post_id')
			.select('vote.post_id')
			.where((eb) => eb('vote.created_at', '<', eb.ref('post.created_at')))
			.execute();
		expect(early).toEqual([]);
		const posted = await t.db
			.selectFrom('activity')
			.select((eb) => eb.fn.min('created_at').as('first'))
			.where('kind', '=', 'idea_posted')
			.executeTakeFirstOrThrow();
		expect(new Date(posted.first as Date).getTime()).toBeLessThan(Date.now() - 30 * 86_400_000);
	});

	it('seeds exactly one admin, staff member and moderator, outside every customer company', async () => {
		const { users, companies } = await snapshot(t.db);
		for (const role of ['admin', 'staff', 'moderator'] as const) {
			const holders = users.filter((u) => u.role === role);
			expect(holders).toHaveLength(1);
			expect(holders[0]!.company_id).toBeNull();
			expect(holders[0]!.email).toMatch(/@roundtable\.example$/);
		}
		const teamDomain = 'roundtable.example';
		expect(companies.map((c) => c.email_domain)).not.toContain(teamDomain);
	});

	it('prints credentials that sign in, with strong passwords distinct per role', async () => {
		expect(result.credentials.map((c) => c.role)).toEqual([
			'admin',
			'staff',
			'moderator',
			'customer'
		]);
		const { users } = await snapshot(t.db);
		for (const credential of result.credentials) {
			const user = users.find((u) => u.email === credential.email);
			expect(user?.handle).toBe(credential.handle);
			expect(credential.password.replaceAll('-', '').length).toBeGreaterThanOrEqual(16);
			expect(await verifyPassword(user!.password_hash, credential.password)).toBe(true);
		}
		expect(new Set(result.credentials.map((c) => c.password)).size).toBe(4);

		const text = formatCredentials(result);
		expect(text).toMatch(/^Demo accounts \(passwords are shown once/);
		expect(text).toMatch(/customers share/);
		for (const credential of result.credentials) {
			const line = text.split('\n').find((l) => l.includes(credential.email));
			expect(line).toBeDefined();
			expect(line).toContain(credential.handle);
			expect(line).toContain(credential.password);
			expect(line).toContain(credential.role);
		}
	});

	it('gives every customer the one printed customer password', async () => {
		const customer = result.credentials.find((c) => c.role === 'customer')!;
		const { users } = await snapshot(t.db);
		const hashes = new Set(users.filter((u) => u.role === 'member').map((u) => u.password_hash));
		expect(hashes.size).toBe(1);
		expect(await verifyPassword([...hashes][0]!, customer.password)).toBe(true);
	});

	it('changes nothing when run again', async () => {
		const before = await snapshot(t.db);
		const again = await seedDemo(t.db);
		expect(again).toMatchObject({ seeded: false, reason: expect.any(String), credentials: [] });
		expect(formatCredentials(again)).toMatch(/not seeded/);
		expect(await snapshot(t.db)).toEqual(before);
	});

	describe('on a fresh database', () => {
		let fresh: DatabaseHandle;
		beforeAll(async () => {
			fresh = await createTestDatabase(backend);
		});
		afterAll(async () => {
			await fresh?.close();
		});

		it('seeds once when two processes start at the same time, with the given passwords', async () => {
			let n = 0;
			const password = () => `given-password-${++n}`;
			const results = await Promise.all([
				seedDemo(fresh.db, { password }),
				seedDemo(fresh.db, { password })
			]);
			const seeded = results.filter((r) => r.seeded);
			expect(seeded).toHaveLength(1);
			expect(seeded[0]!.credentials.every((c) => c.password.startsWith('given-password-'))).toBe(
				true
			);
			const { users } = await snapshot(fresh.db);
			expect(users).toHaveLength(seeded[0]!.counts.users);
		});

		it('refuses to seed a site that already has a user of its own', async () => {
			const other = await createTestDatabase(backend);
			try {
				await other.db
					.insertInto('app_user')
					.values({
						email: 'owner@acme.example',
						handle: 'owner',
						display_name: 'Site Owner',
						password_hash: await hashPassword('a real password of theirs'),
						role: 'admin'
					})
					.execute();
				const before = await snapshot(other.db);
				const refused = await seedDemo(other.db);
				expect(refused).toMatchObject({ seeded: false, credentials: [] });
				expect(refused.reason).toMatch(/already has/);
				expect(await snapshot(other.db)).toEqual(before);
			} finally {
				await other.close();
			}
		});
	});
});
