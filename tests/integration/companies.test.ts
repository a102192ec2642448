// Companies on both databases: the CSV import (each row all or nothing, a file with any error
// imports nothing, the dry run changes nothing), joining a company by verified email domain, the
// company page's demand, ratings and NPS, and tiers following the admin's thresholds.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, saveSiteSettings } from '$lib/server/moderation/settings';
import {
	addCompanyMember,
	companySchema,
	createCompany,
	getCompanyInsights,
	importCompanies,
	joinCompanyByVerifiedDomain,
	listCompanyOverviews,
	updateCompany
} from '$lib/server/companies';
import { sendVerificationEmail, verifyEmail } from '$lib/server/auth/verification';
import { postIdea } from '$lib/server/ideas';
import { changeIdeaStatus } from '$lib/server/ideas/status';
import type { UserActor } from '$lib/server/policy';
import { writeReview } from '$lib/server/reviews';
import { listPriorities } from '$lib/server/triage/priorities';
import { castVote } from '$lib/server/votes';
import { createProduct, createUser } from '../helpers/factories';
import { backends, useTestDatabase } from '../helpers/test-db';

const THRESHOLDS = { platinum: 10_000, gold: 2_000, iron: 500 };

describe.each(backends)('companies on %s', (backend) => {
	const t = useTestDatabase(backend);

	async function companyRow(slug: string) {
		return t.db.selectFrom('company').selectAll().where('slug', '=', slug).executeTakeFirst();
	}

	async function ownedSlugs(companyId: number) {
		const rows = await t.db
			.selectFrom('company_product as cp')
			.innerJoin('product as p', 'p.id', 'cp.product_id')
			.select('p.slug')
			.where('cp.company_id', '=', companyId)
			.orderBy('p.slug')
			.execute();
		return rows.map((r) => r.slug);
	}

	async function auditCount(action: string) {
		const row = await t.db
			.selectFrom('audit_log')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('action', '=', action)
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}

	async function member(email: string, verified: boolean): Promise<UserActor> {
		const user = await createUser(t.db);
		await t.db
			.updateTable('app_user')
			.set({ email, email_verified_at: verified ? new Date() : null })
			.where('id', '=', user.id)
			.execute();
		return { ...user, email };
	}

	function input(over: Record<string, unknown>) {
		return companySchema.parse({ name: 'X', mrr: '0', ...over });
	}

	describe('CSV import', () => {
		it('imports nothing from a file with one bad row, reports it, then imports the fixed file', async () => {
			const admin = await createUser(t.db, { role: 'admin' });
			const product = await createProduct(t.db);
			// An existing company, updated by the import (slug is the key) and whose domain a
			// new row tries to take.
			await t.db
				.insertInto('company')
				.values([
					{ name: 'Old Co', slug: `old-${backend}`, email_domain: `old-${backend}.io`, mrr: 100 },
					{ name: 'Keep Co', slug: `keep-${backend}`, email_domain: `keep-${backend}.io`, mrr: 1 }
				])
				.execute();
			const old = (await companyRow(`old-${backend}`))!;
			const createdBefore = await auditCount('company.created');

			const bad = [
				'name,slug,email_domain,plan,mrr,products',
				`Old Co Renamed,old-${backend},old-${backend}.io,growth,2500,${product.slug}`,
				`Alpha,alpha-${backend},alpha-${backend}.io,starter,49.90,`,
				`Thief,thief-${backend},keep-${backend}.io,starter,10,`,
				`Broken,broken-${backend},,starter,12 EUR,nope`
			].join('\r\n');
			const report = await importCompanies(t.db, admin, bad, { dryRun: false });
			expect(report).toEqual({
				ok: false,
				reason: 'invalid',
				fileErrors: [],
				rowErrors: [
					{
						row: 4,
						column: 'email_domain',
						message: `keep-${backend}.io already belongs to Keep Co.`
					},
					{
						row: 5,
						column: 'mrr',
						message: 'Use a plain number like 1200 or 1200.50: no currency sign, no separators.'
					}
				]
			});
			// Nothing at all was written: not the good rows 2 and 3 either.
			expect(await companyRow(`alpha-${backend}`)).toBeUndefined();
			expect(await companyRow(`old-${backend}`)).toMatchObject({ name: 'Old Co', mrr: 100 });
			expect(await ownedSlugs(old.id)).toEqual([]);
			expect(await auditCount('company.created')).toBe(createdBefore);

			// An unknown product is a row error too, found while writing.
			const unknownProduct = await importCompanies(
				t.db,
				admin,
				`name,slug,products\nGamma,gamma-${backend},no-such-product\n`,
				{ dryRun: true }
			);
			expect(unknownProduct).toMatchObject({
				ok: false,
				rowErrors: [
					{ row: 2, column: 'products', message: 'No product with the slug no-such-product.' }
				]
			});

			const good = [bad.split('\r\n')[0], ...bad.split('\r\n').slice(1, 3)].join('\r\n');
			const preview = await importCompanies(t.db, admin, good, { dryRun: true });
			expect(preview).toMatchObject({
				ok: true,
				committed: false,
				created: 1,
				updated: 1,
				unchanged: 0
			});
			expect(await companyRow(`alpha-${backend}`)).toBeUndefined();

			const done = await importCompanies(t.db, admin, good, { dryRun: false });
			expect(done).toMatchObject({
				ok: true,
				committed: true,
				rows: [
					{ row: 2, slug: `old-${backend}`, action: 'update' },
					{ row: 3, slug: `alpha-${backend}`, action: 'create' }
				]
			});
			expect(await companyRow(`old-${backend}`)).toMatchObject({
				name: 'Old Co Renamed',
				plan: 'growth',
				mrr: 2500
			});
			expect(await ownedSlugs(old.id)).toEqual([product.slug]);
			expect(await companyRow(`alpha-${backend}`)).toMatchObject({
				email_domain: `alpha-${backend}.io`,
				mrr: 49.9,
				plan: 'starter'
			});
			expect(await auditCount('company.created')).toBe(createdBefore + 1);

			// The same file again changes nothing, and says so.
			const again = await importCompanies(t.db, admin, good, { dryRun: false });
			expect(again).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 2 });
		});

		it('refuses members and staff', async () => {
			const staff = await createUser(t.db, { role: 'staff' });
			expect(await importCompanies(t.db, staff, 'name\nA\n', { dryRun: true })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
		});
	});

	describe('joining by verified email domain', () => {
		it('a member who verifies an address at the domain joins; the link works once', async () => {
			const admin = await createUser(t.db, { role: 'admin' });
			const created = await createCompany(
				t.db,
				admin,
				input({ name: 'Join Co', slug: `join-${backend}`, emailDomain: `join-${backend}.io` })
			);
			expect(created.ok).toBe(true);
			const newcomer = await member(`ana@join-${backend}.io`, false);
			// Not verified yet: no join.
			expect(await joinCompanyByVerifiedDomain(t.db, newcomer.id)).toBeNull();

			const sent = await sendVerificationEmail(t.db, {
				userId: newcomer.id,
				requestId: crypto.randomUUID(),
				origin: 'https://rt.example'
			});
			expect(sent).toBe('sent');
			const mail = await t.db
				.selectFrom('mail_outbox')
				.select('text_body')
				.where('recipient', '=', newcomer.email)
				.executeTakeFirstOrThrow();
			const token = /https:\/\/rt\.example\/verify-email\/(\S+)/.exec(mail.text_body)![1]!;
			// Only the token's hash is stored.
			const stored = await t.db.selectFrom('email_verification').select('id').execute();
			expect(stored.map((s) => s.id)).not.toContain(token);

			const verified = await verifyEmail(t.db, token);
			expect(verified).toMatchObject({ ok: true, company: { slug: `join-${backend}` } });
			const user = await t.db
				.selectFrom('app_user')
				.select(['company_id', 'email_verified_at'])
				.where('id', '=', newcomer.id)
				.executeTakeFirstOrThrow();
			expect(user.company_id).toBe(created.ok && created.companyId);
			expect(user.email_verified_at).toBeInstanceOf(Date);
			expect(await verifyEmail(t.db, token)).toEqual({ ok: false, reason: 'invalid_token' });
			expect(await auditCount('company.member_joined')).toBeGreaterThanOrEqual(1);
		});

		it('setting a domain brings in its verified members without a company, no one else', async () => {
			const admin = await createUser(t.db, { role: 'admin' });
			const domain = `later-${backend}.io`;
			const verified = await member(`v@${domain}`, true);
			const unverified = await member(`u@${domain}`, false);
			const lookalike = await member(`x@eu.${domain}`, true);
			const elsewhere = await member(`e@${domain}`, true);
			const other = await createCompany(
				t.db,
				admin,
				input({ name: 'Other', slug: `other-${backend}` })
			);
			expect(
				await addCompanyMember(t.db, admin, other.ok ? other.companyId : 0, elsewhere.handle)
			).toMatchObject({ ok: true });

			const later = await createCompany(
				t.db,
				admin,
				input({ name: 'Later', slug: `later-${backend}` })
			);
			const id = later.ok ? later.companyId : 0;
			const saved = await updateCompany(
				t.db,
				admin,
				id,
				input({ name: 'Later', slug: `later-${backend}`, emailDomain: domain })
			);
			expect(saved).toMatchObject({ ok: true, joined: 1 });
			const members = await t.db
				.selectFrom('app_user')
				.select('id')
				.where('company_id', '=', id)
				.execute();
			expect(members.map((m) => m.id)).toEqual([verified.id]);
			for (const person of [unverified, lookalike]) {
				const row = await t.db
					.selectFrom('app_user')
					.select('company_id')
					.where('id', '=', person.id)
					.executeTakeFirstOrThrow();
				expect(row.company_id).toBeNull();
			}
		});

		it('refuses a free-mail domain with a clear message', () => {
			const parsed = companySchema.safeParse({ name: 'G', mrr: '0', emailDomain: 'gmail.com' });
			expect(parsed.success).toBe(false);
			expect(parsed.error?.issues[0]).toMatchObject({
				path: ['emailDomain'],
				message:
					'gmail.com is a free mail service: anyone can have an address there, so it cannot identify a company.'
			});
		});
	});

	describe('the company page', () => {
		it('shows the demand it expressed, its ratings and its NPS, worked by hand', async () => {
			const admin = await createUser(t.db, { role: 'admin' });
			const staff = await createUser(t.db, { role: 'staff' });
			const product = await createProduct(t.db, { name: `Page product ${backend}` });
			const made = await createCompany(
				t.db,
				admin,
				input({ name: 'Page Co', slug: `page-${backend}`, mrr: '2500' })
			);
			const companyId = made.ok ? made.companyId : 0;
			const [ana, ben, cy] = await Promise.all([
				createUser(t.db),
				createUser(t.db),
				createUser(t.db)
			]);
			const outsider = await createUser(t.db);
			await t.db
				.updateTable('app_user')
				.set({ company_id: companyId })
				.where('id', 'in', [ana!.id, ben!.id, cy!.id])
				.execute();

			const idea = async (author: UserActor, title: string) => {
				const r = await postIdea(t.db, author, {
					title,
					body: 'Body of the idea.',
					product: product.id,
					tags: []
				});
				if (!r.ok) {
					throw new Error('idea refused');
				}
				return r.id;
			};
			// Ana posts A (her vote counts); Ben and the outsider vote for it: 3 votes, 2 from Page Co.
			const a = await idea(ana!, 'Page idea A');
			await castVote(t.db, ben!, { postId: a });
			await castVote(t.db, outsider, { postId: a });
			// The outsider posts B, Cy votes: 2 votes, 1 from Page Co; then it ships.
			const b = await idea(outsider, 'Page idea B');
			await castVote(t.db, cy!, { postId: b });
			const shipped = await t.db
				.selectFrom('idea_status')
				.select('id')
				.where('slug', '=', 'shipped')
				.executeTakeFirstOrThrow();
			await t.db
				.transaction()
				.execute((trx) => changeIdeaStatus(trx, staff, { ideaId: b, statusId: shipped.id }));
			// C: nobody at Page Co took part, so it is not theirs.
			await idea(outsider, 'Page idea C');

			// Ratings: Ana 5, Ben 2 → 2 reviews, average 3.5; the outsider's 1 does not count.
			for (const [who, rating] of [
				[ana!, 5],
				[ben!, 2],
				[outsider, 1]
			] as const) {
				const r = await writeReview(t.db, who, product.id, {
					rating: rating as 1 | 2 | 3 | 4 | 5,
					title: `Rated ${rating}`,
					body: 'A review long enough to be accepted by the rules.',
					review: null
				});
				expect(r.ok).toBe(true);
			}

			// NPS: Ana 10 then 6 (latest 6: detractor), Ben 9 (promoter), Cy 7 (passive); the
			// outsider's 0 is not theirs. 1 promoter, 1 passive, 1 detractor of 3 → (1 − 1)/3 = 0.
			const answer = (userId: number, score: number, at: string) =>
				t.db
					.insertInto('survey_response')
					.values({ user_id: userId, kind: 'nps', score, created_at: new Date(at) })
					.execute();
			await answer(ana!.id, 10, '2026-01-01T00:00:00Z');
			await answer(ana!.id, 6, '2026-06-01T00:00:00Z');
			await answer(ben!.id, 9, '2026-06-02T00:00:00Z');
			await answer(cy!.id, 7, '2026-06-03T00:00:00Z');
			await answer(outsider.id, 0, '2026-06-04T00:00:00Z');

			const page = await getCompanyInsights(t.db, `page-${backend}`, THRESHOLDS);
			expect(page!.company.tier).toBe('gold');
			expect(page!.nps).toEqual({ nps: 0, responses: 3, promoters: 1, passives: 1, detractors: 1 });
			expect(page!.ratings).toEqual([
				{
					productId: product.id,
					product: `Page product ${backend}`,
					productSlug: product.slug,
					reviews: 2,
					average: 3.5
				}
			]);
			expect(
				page!.demand.map((d) => ({
					title: d.title,
					votes: d.votes,
					voters: d.voters.map((v) => v.handle).sort(),
					posted: d.postedByCompany,
					shipped: d.shippedAt !== null
				}))
			).toEqual([
				{
					title: 'Page idea A',
					votes: 3,
					voters: [ana!.handle, ben!.handle].sort(),
					posted: true,
					shipped: false
				},
				{ title: 'Page idea B', votes: 2, voters: [cy!.handle], posted: false, shipped: true }
			]);

			const list = await listCompanyOverviews(t.db, THRESHOLDS, { sort: 'name' });
			expect(list.find((c) => c.slug === `page-${backend}`)).toMatchObject({
				tier: 'gold',
				value: 2500,
				members: 3,
				openDemand: 1,
				nps: { nps: 0, responses: 3 }
			});
		});
	});

	describe('tiers follow the admin’s thresholds', () => {
		it('moves voters between tiers in the priorities view when the thresholds change', async () => {
			const admin = await createUser(t.db, { role: 'admin' });
			const product = await createProduct(t.db);
			const voter = await createUser(t.db);
			const made = await createCompany(
				t.db,
				admin,
				input({ name: 'Tier Co', slug: `tier-${backend}`, mrr: '1500' })
			);
			await t.db
				.updateTable('app_user')
				.set({ company_id: made.ok ? made.companyId : 0 })
				.where('id', '=', voter.id)
				.execute();
			const posted = await postIdea(t.db, voter, {
				title: 'Tiered idea',
				body: 'Body.',
				product: product.id,
				tags: []
			});
			expect(posted.ok).toBe(true);

			// Defaults: 1,500 is iron (500 ≤ 1,500 < 2,000).
			const before = await listPriorities(t.db, { product: product.slug });
			expect(before[0]!.tiers).toMatchObject({ iron: 1, gold: 0 });

			// The admin lowers gold to 1,000: the same company is now gold, with no code passing them.
			const saved = await saveSiteSettings(t.db, admin, {
				...DEFAULT_SETTINGS,
				tierPlatinum: 5_000,
				tierGold: 1_000,
				tierIron: 100
			});
			expect(saved.ok).toBe(true);
			const after = await listPriorities(t.db, { product: product.slug });
			expect(after[0]!.tiers).toMatchObject({ iron: 0, gold: 1 });
			await saveSiteSettings(t.db, admin, DEFAULT_SETTINGS);
		});
	});
});
