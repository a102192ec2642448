// The demo: three products, six customer companies with their people, and the product team's
// admin, staff member and moderator, seeded into an empty site so it can be tried at once.
import type { Role } from '$lib/domain/roles';
import { lockSiteSetup, type Db } from '../db';
import { hashPassword } from '../auth/password';
import { seedDemoIdeas } from './ideas';
import { seedDemoReviews } from './reviews';
import { seedDiscussions } from './discussions';
import { seedRoadmapAndChangelog } from './changelog';
import { seedDemoWebhooks } from './webhooks';
import { seedSignOn } from './sso';
import { seedDemoCompanies } from './companies';
import { seedAdvocacy } from './advocacy';
import { seedDemoHelp } from './help';
import { seedDemoTestimonials } from './testimonials';
import { seedDemoSurveys } from './surveys';
import { seedChallenges } from './challenges';

export interface DemoCredentials {
	role: string;
	email: string;
	handle: string;
	password: string;
}

export interface SeedResult {
	seeded: boolean;
	reason?: string;
	credentials: DemoCredentials[];
	counts: { companies: number; products: number; users: number; ideas: number };
}

interface DemoCompany {
	name: string;
	slug: string;
	domain: string;
	plan: 'starter' | 'growth' | 'enterprise';
	mrr: number;
	people: string[];
}

// `.example` is reserved (RFC 2606), so no demo address can ever reach a real mailbox.
const TEAM_DOMAIN = 'roundtable.example';
const ADMIN_EMAIL = `admin@${TEAM_DOMAIN}`;

const TEAM: { name: string; role: Role; email: string }[] = [
	{ name: 'Ada Okafor', role: 'admin', email: ADMIN_EMAIL },
	{ name: 'Sam Lindqvist', role: 'staff', email: `staff@${TEAM_DOMAIN}` },
	{ name: 'Rosa Delgado', role: 'moderator', email: `moderator@${TEAM_DOMAIN}` }
];

const PRODUCTS = [
	{
		name: 'Roundtable Analytics',
		slug: 'analytics',
		description:
			'Dashboards and reports for product teams: funnels, retention cohorts and revenue by ' +
			'segment, refreshed every few minutes from your own warehouse. Share a live dashboard ' +
			'with a link, schedule a weekly digest to your inbox, or export any chart as CSV.'
	},
	{
		name: 'Roundtable Mobile',
		slug: 'mobile-app',
		description:
			'The iOS and Android companion app. Check the numbers that matter on the go, get a push ' +
			'notification when a metric crosses a threshold you set, and annotate a chart for your ' +
			'team straight from your phone. Works offline with the last synced data.'
	},
	{
		name: 'Roundtable API',
		slug: 'api',
		description:
			'A REST API and webhooks for everything in Roundtable: send events, query metrics, ' +
			'manage dashboards and users from your own code. Token-based authentication, generous ' +
			'rate limits, official client libraries for TypeScript, Python and Go.'
	}
];

// Sizes, plans and MRR differ on purpose, so value-weighted demand and tiers have something to show.
const COMPANIES: DemoCompany[] = [
	{
		name: 'Northwind Health',
		slug: 'northwind-health',
		domain: 'northwind-health.example',
		plan: 'enterprise',
		mrr: 24_500,
		people: [
			'Priya Raman',
			'Marcus Webb',
			'Ingrid Solberg',
			'Tomás Ferreira',
			'Aisha Bello',
			'Kenji Watanabe',
			'Hannah Goldberg'
		]
	},
	{
		name: 'Kestrel Bank',
		slug: 'kestrel-bank',
		domain: 'kestrel-bank.example',
		plan: 'enterprise',
		mrr: 38_000,
		people: [
			'Olivia Chen',
			'Rafael Moreno',
			'Siobhán O’Neill',
			'David Mensah',
			'Lena Fischer',
			'Arjun Mehta'
		]
	},
	{
		name: 'Bluefin Logistics',
		slug: 'bluefin-logistics',
		domain: 'bluefin-logistics.example',
		plan: 'growth',
		mrr: 4_800,
		people: ['Chloé Martin', 'Yusuf Demir', 'Grace Kim', 'Mateo Rossi', 'Nadia Haddad']
	},
	{
		name: 'Alder Schools',
		slug: 'alder-schools',
		domain: 'alder-schools.example',
		plan: 'growth',
		mrr: 2_150,
		people: ['Emily Carter', 'Jamal Washington', 'Mei-Ling Zhou', 'Björn Andersson']
	},
	{
		name: 'Pixelmint Games',
		slug: 'pixelmint-games',
		domain: 'pixelmint.example',
		plan: 'starter',
		mrr: 640,
		people: ['Zoë Laurent', 'Kofi Asante', 'Ravi Patel', 'Sofia Kowalski']
	},
	{
		name: 'Juniper Studio',
		slug: 'juniper-studio',
		domain: 'juniper-studio.example',
		plan: 'starter',
		mrr: 290,
		people: ['Lucía Navarro', 'Ethan Brooks', 'Amara Nwosu', 'Felix Wagner']
	}
];

// No 0/o or 1/l, so a password read off a console is typed right the first time; 32 symbols
// make every random byte map to one without bias.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const PASSWORD_GROUPS = 5;
const GROUP_LENGTH = 4;

/** A random password like `k7mq-x3vh-…`: 20 symbols of 5 bits, 100 bits in all. */
export function generateDemoPassword(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(PASSWORD_GROUPS * GROUP_LENGTH));
	const symbols = Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('');
	const groups = [];
	for (let i = 0; i < symbols.length; i += GROUP_LENGTH) {
		groups.push(symbols.slice(i, i + GROUP_LENGTH));
	}
	return groups.join('-');
}

function toAscii(name: string): string {
	return name.normalize('NFD').replace(/\p{M}/gu, '').replace(/['’]/g, '').toLowerCase();
}

function handleFor(name: string): string {
	return toAscii(name)
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_|_$/g, '')
		.slice(0, 30);
}

function emailFor(name: string, domain: string): string {
	const local = toAscii(name)
		.replace(/[^a-z0-9]+/g, '.')
		.replace(/^\.|\.$/g, '');
	return `${local}@${domain}`;
}

function notSeeded(reason: string): SeedResult {
	return {
		seeded: false,
		reason,
		credentials: [],
		counts: { companies: 0, products: 0, users: 0, ideas: 0 }
	};
}

async function whyNotSeed(db: Db): Promise<string | null> {
	const admin = await db
		.selectFrom('app_user')
		.select('id')
		.where('email', '=', ADMIN_EMAIL)
		.executeTakeFirst();
	if (admin) {
		return 'the demo data is already there.';
	}
	const [user, company, product] = await Promise.all([
		db.selectFrom('app_user').select('id').limit(1).executeTakeFirst(),
		db.selectFrom('company').select('id').limit(1).executeTakeFirst(),
		db.selectFrom('product').select('id').limit(1).executeTakeFirst()
	]);
	if (user || company || product) {
		return 'the database already has data; the demo is only seeded into an empty site.';
	}
	return null;
}

/**
 * Seeds the demo into an empty database, all or nothing. Refuses, changing nothing, when the
 * demo is already there or the site has any data of its own: we never seed over real data.
 */
export async function seedDemo(
	db: Db,
	options: { password?: () => string } = {}
): Promise<SeedResult> {
	// A cheap look first, so restarting a seeded site does not pay for four argon2 hashes.
	const early = await whyNotSeed(db);
	if (early) {
		return notSeeded(early);
	}
	const generate = options.password ?? generateDemoPassword;
	const team = TEAM.map((person) => ({
		...person,
		handle: handleFor(person.name),
		password: generate()
	}));
	const customerPassword = generate();
	// Hashed before the transaction: on PGlite an open transaction holds the only connection.
	const [teamHashes, customerHash] = await Promise.all([
		Promise.all(team.map((person) => hashPassword(person.password))),
		hashPassword(customerPassword)
	]);

	return db.transaction().execute(async (trx): Promise<SeedResult> => {
		// The sign-up lock: a first sign-up and the seed cannot both see an empty site and proceed.
		await lockSiteSetup(trx);
		const reason = await whyNotSeed(trx);
		if (reason) {
			return notSeeded(reason);
		}

		const products = await trx
			.insertInto('product')
			.values(PRODUCTS)
			.returning(['id', 'slug'])
			.execute();
		const companies = await trx
			.insertInto('company')
			.values(
				COMPANIES.map((c) => ({
					name: c.name,
					slug: c.slug,
					email_domain: c.domain,
					plan: c.plan,
					mrr: c.mrr
				}))
			)
			.returning(['id', 'slug'])
			.execute();
		const companyIds = new Map(companies.map((c) => [c.slug, c.id]));

		const customers = COMPANIES.flatMap((company) =>
			company.people.map((name) => ({
				email: emailFor(name, company.domain),
				handle: handleFor(name),
				display_name: name,
				password_hash: customerHash,
				role: 'member' as const,
				company_id: companyIds.get(company.slug) ?? null
			}))
		);
		const users = await trx
			.insertInto('app_user')
			.values([
				...team.map((person, i) => ({
					email: person.email,
					handle: person.handle,
					display_name: person.name,
					password_hash: teamHashes[i]!,
					role: person.role,
					company_id: null
				})),
				...customers
			])
			.returning('id')
			.execute();

		await seedDemoIdeas(trx, {
			products: new Map(products.map((p) => [p.slug, p.id])),
			customers: users.slice(team.length).map((u) => u.id),
			staffId: users[team.findIndex((person) => person.role === 'staff')]!.id
		});
		await seedDemoReviews(trx, team.find((person) => person.role === 'staff')!.handle);
		await seedDiscussions(trx, {
			team: users.slice(0, team.length).map((u) => u.id),
			customers: users.slice(team.length).map((u) => u.id),
			products: products.map((p) => p.id)
		});
		const staffIndex = team.findIndex((person) => person.role === 'staff');
		const staff = team[staffIndex]!;
		await seedRoadmapAndChangelog(trx, {
			staff: {
				kind: 'user',
				id: users[staffIndex]!.id,
				handle: staff.handle,
				displayName: staff.name,
				email: staff.email,
				role: 'staff'
			},
			products: new Map(PRODUCTS.map((product, i) => [product.slug, products[i]!.id])),
			customers: users.slice(team.length).map((user) => user.id)
		});
		await seedDemoSurveys(trx, { customers: users.slice(team.length).map((user) => user.id) });

		await seedDemoWebhooks(trx, users[team.findIndex((person) => person.role === 'admin')]!.id);
		await seedSignOn(
			trx,
			users.slice(team.length).map((user) => user.id)
		);
		await seedDemoCompanies(trx);
		await seedAdvocacy(trx);
		await seedChallenges(trx, {
			staffId: users[staffIndex]!.id,
			products: new Map(PRODUCTS.map((product, i) => [product.slug, products[i]!.id]))
		});
		await seedDemoHelp(trx, {
			staffId: users[staffIndex]!.id,
			customers: users.slice(team.length).map((user) => user.id)
		});
		await seedDemoTestimonials(trx, users[staffIndex]!.id);

		const { ideas } = await trx
			.selectFrom('post')
			.select((eb) => eb.fn.countAll<number>().as('ideas'))
			.where('kind', '=', 'idea')
			.executeTakeFirstOrThrow();

		const example = customers[0]!;
		return {
			seeded: true,
			credentials: [
				...team.map(({ role, email, handle, password }) => ({ role, email, handle, password })),
				{
					role: 'customer',
					email: example.email,
					handle: example.handle,
					password: customerPassword
				}
			],
			counts: {
				companies: companies.length,
				products: products.length,
				users: users.length,
				ideas
			}
		};
	});
}

/** The console text: a line per demo account, or why nothing was seeded. */
export function formatCredentials(result: SeedResult): string {
	if (!result.seeded) {
		return `Demo data not seeded: ${result.reason ?? 'no reason given.'}`;
	}
	const rows = result.credentials.map((c) => [c.role, c.email, c.handle, c.password]);
	const widths = [0, 1, 2].map((col) => Math.max(...rows.map((row) => row[col]!.length)));
	const lines = rows.map(
		(row) =>
			'  ' +
			row
				.map((cell, col) => cell.padEnd(widths[col] ?? 0))
				.join('  ')
				.trimEnd()
	);
	const { companies, products, users, ideas } = result.counts;
	return [
		'Demo accounts (passwords are shown once; change them or run without the demo for real use):',
		...lines,
		'All demo customers share the customer password; sign in with an email or a handle.',
		`Seeded ${products} products, ${companies} companies, ${users} users and ${ideas} ideas.`
	].join('\n');
}
