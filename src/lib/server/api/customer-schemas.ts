// What the staff operations on customers and companies answer, and the mappers from the domain
// views the staff pages use (customers/, companies/) to those shapes. Staff only: these carry
// email addresses, company value, advocacy scores and NPS answers.
import { z } from 'zod';
import { STATUS_CATEGORIES } from '$lib/domain/ideas';
import { ROLES } from '$lib/domain/roles';
import { TIERS } from '$lib/domain/tiers';
import type { NpsSummary } from '$lib/domain/surveys';
import { OUTCOME_KEYS, type BadgeRule, type Score } from '$lib/domain/advocacy';
import type { CompanyInsights } from '../companies';
import type { CustomerCompany, CustomerListRow, CustomerRecord } from '../customers/directory';
import type { Participation } from '../customers/participation';
import type { TimelineEntry } from '../customers/timeline';
import type { LatestNps } from '../surveys/nps';
import { iso, isoOrNull, personOf } from './schemas';

const date = z.iso.datetime();
const count = z.number().int().min(0);
const person = z.object({ handle: z.string(), display_name: z.string() });

/** The staff page of a customer or company: where a person follows up from the API's answer. */
export const customerPath = (handle: string) => `/staff/customers/${encodeURIComponent(handle)}`;
export const companyPath = (slug: string) => `/staff/companies/${encodeURIComponent(slug)}`;

const customerCompanySchema = z
	.object({
		id: z.number().int(),
		name: z.string(),
		slug: z.string(),
		url: z.string(),
		plan: z.string().nullable(),
		value: z.number().describe('Monthly recurring revenue: the value tiers are drawn from.'),
		tier: z.enum(TIERS).describe('By the thresholds in the admin settings.')
	})
	.nullable()
	.describe('The company the customer belongs to; null for none.');

function toCustomerCompany(c: CustomerCompany | null): z.input<typeof customerCompanySchema> {
	return c
		? {
				id: c.id,
				name: c.name,
				slug: c.slug,
				url: companyPath(c.slug),
				plan: c.plan,
				value: c.value,
				tier: c.tier
			}
		: null;
}

// Customers ----------------------------------------------------------------------------------

export const customerSummarySchema = z.object({
	handle: z.string(),
	display_name: z.string(),
	email: z.string(),
	url: z.string().describe('The customer’s staff page.'),
	joined_at: date,
	last_active_at: date
		.nullable()
		.describe(
			'Their latest own act (a post, vote, comment, review, reply, like, poll vote, flag or survey answer).'
		),
	advocacy_score: z.number().int(),
	company: customerCompanySchema
});

export function toCustomerSummary(row: CustomerListRow): z.input<typeof customerSummarySchema> {
	return {
		handle: row.handle,
		display_name: row.displayName,
		email: row.email,
		url: customerPath(row.handle),
		joined_at: iso(row.joinedAt),
		last_active_at: isoOrNull(row.lastActiveAt),
		advocacy_score: row.advocacy,
		company: toCustomerCompany(row.company)
	};
}

const scoreLineSchema = z.object({
	key: z.enum([...OUTCOME_KEYS, 'promoter']),
	label: z.string(),
	count: count,
	weight: z.number(),
	points: z.number()
});

export const customerDetailSchema = z.object({
	handle: z.string(),
	display_name: z.string(),
	email: z.string(),
	role: z.enum(ROLES),
	url: z.string().describe('The customer’s staff page.'),
	profile_url: z.string().describe('Their public profile.'),
	joined_at: date,
	last_active_at: date.nullable(),
	referred_by: person.nullable().describe('Who referred them, when they joined through a link.'),
	company: customerCompanySchema,
	participation: z
		.object({
			ideas: count,
			votes: count.describe(
				'Votes cast minus votes taken back (including votes staff recorded for them).'
			),
			comments: count,
			reviews: count,
			discussions: count,
			replies: count,
			helpful_received: count.describe('Helpful votes on their reviews, net of those withdrawn.'),
			accepted_answers: count.describe(
				'Their replies that are today a question’s accepted answer.'
			),
			ideas_shipped: count,
			active_days_30: count.describe('Days (UTC) with an act of their own in the last 30 days.'),
			active_days_90: count
		})
		.describe('Counted from the activity ledger (docs/metrics.md, "Participation").'),
	advocacy: z
		.object({ score: z.number().int(), breakdown: z.array(scoreLineSchema) })
		.describe('Σ outcome × weight, plus the promoter bonus (docs/metrics.md, "Advocacy score").'),
	points: z.object({
		all_time: z.number().int(),
		this_month: z.number().int().describe('Since the first of this month, UTC.')
	}),
	badges: z.array(z.object({ key: z.string(), name: z.string(), criterion: z.string() })),
	latest_nps: z
		.object({
			score: z.number().int().min(0).max(10),
			reason: z.string().nullable(),
			answered_at: date
		})
		.nullable()
		.describe('Their latest NPS answer; null when they never answered.')
});

export function toCustomerDetail(input: {
	customer: CustomerRecord;
	participation: Participation;
	advocacy: Score;
	points: { allTime: Score; thisMonth: Score; badges: BadgeRule[] };
	nps: LatestNps | null;
}): z.input<typeof customerDetailSchema> {
	const { customer, participation: p, advocacy, points, nps } = input;
	return {
		handle: customer.handle,
		display_name: customer.displayName,
		email: customer.email,
		role: customer.role as (typeof ROLES)[number],
		url: customerPath(customer.handle),
		profile_url: `/people/${encodeURIComponent(customer.handle)}`,
		joined_at: iso(customer.joinedAt),
		last_active_at: isoOrNull(p.lastActiveAt),
		referred_by: customer.referredBy ? personOf(customer.referredBy) : null,
		company: toCustomerCompany(customer.company),
		participation: {
			ideas: p.ideas,
			votes: p.votes,
			comments: p.comments,
			reviews: p.reviews,
			discussions: p.discussions,
			replies: p.replies,
			helpful_received: p.helpfulReceived,
			accepted_answers: p.acceptedAnswers,
			ideas_shipped: p.ideasShipped,
			active_days_30: p.activeDays30,
			active_days_90: p.activeDays90
		},
		advocacy: {
			score: advocacy.score,
			breakdown: advocacy.breakdown.map((line) => ({ ...line }))
		},
		points: { all_time: points.allTime.score, this_month: points.thisMonth.score },
		badges: points.badges.map(({ key, name, criterion }) => ({ key, name, criterion })),
		latest_nps: nps
			? { score: nps.score, reason: nps.reason, answered_at: iso(nps.createdAt) }
			: null
	};
}

export const activityEntrySchema = z.object({
	id: z.number().int(),
	kind: z
		.string()
		.describe('The activity ledger’s kind: `idea_posted`, `vote_cast`, `idea_shipped`, …'),
	at: date,
	text: z.string().describe('What happened, in words, as the customer page tells it.'),
	target: z
		.object({
			label: z.string(),
			url: z.string().nullable(),
			note: z
				.string()
				.nullable()
				.describe('`deleted`, `hidden`, `awaiting approval`, `internal note`, when one applies.')
		})
		.nullable()
});

export function toActivityEntry(entry: TimelineEntry): z.input<typeof activityEntrySchema> {
	return {
		id: entry.id,
		kind: entry.kind,
		at: iso(entry.at),
		text: entry.text,
		target: entry.target
			? { label: entry.target.label, url: entry.target.href, note: entry.target.note }
			: null
	};
}

// Companies ----------------------------------------------------------------------------------

const npsSummarySchema = z
	.object({
		score: z
			.number()
			.min(-100)
			.max(100)
			.nullable()
			.describe('% promoters − % detractors, one decimal; null when no member answered.'),
		responses: count,
		promoters: count,
		passives: count,
		detractors: count
	})
	.describe('Over each member’s latest NPS answer (docs/metrics.md, "NPS").');

function toNpsSummary(nps: NpsSummary): z.input<typeof npsSummarySchema> {
	return {
		score: nps.nps,
		responses: nps.responses,
		promoters: nps.promoters,
		passives: nps.passives,
		detractors: nps.detractors
	};
}

export const companyDetailSchema = z.object({
	id: z.number().int(),
	name: z.string(),
	slug: z.string(),
	url: z.string().describe('The company’s staff page.'),
	email_domain: z.string().nullable(),
	plan: z.string().nullable(),
	value: z.number().describe('Monthly recurring revenue: the value tiers are drawn from.'),
	tier: z.enum(TIERS).describe('By the thresholds in the admin settings.'),
	created_at: date,
	products: z
		.array(z.object({ id: z.number().int(), name: z.string(), slug: z.string() }))
		.describe('The products the company uses (its reviews of them are verified).'),
	members: z.array(
		z.object({
			handle: z.string(),
			display_name: z.string(),
			email: z.string(),
			role: z.enum(ROLES),
			email_verified: z.boolean(),
			url: z.string()
		})
	),
	nps: npsSummarySchema,
	ratings: z
		.array(
			z.object({
				product: z.object({ id: z.number().int(), name: z.string(), slug: z.string() }),
				reviews: count,
				average: z.number().min(1).max(5).describe('Two decimals.')
			})
		)
		.describe('Per product, its members’ visible reviews.'),
	demand: z
		.array(
			z.object({
				id: z.number().int(),
				title: z.string(),
				url: z.string(),
				status: z.object({ name: z.string(), category: z.enum(STATUS_CATEGORIES) }),
				vote_count: count.describe('Every vote on the idea, from anyone.'),
				voters: z.array(person).describe('The company’s members who voted for it.'),
				posted_by_company: z.boolean(),
				target_quarter: z.string().nullable(),
				shipped_at: date.nullable().describe('When it first shipped, while it is in a done status.')
			})
		)
		.describe('Live ideas its members posted or voted for: open ones first, then by votes.')
});

export function toCompanyDetail(insights: CompanyInsights): z.input<typeof companyDetailSchema> {
	const { company } = insights;
	return {
		id: company.id,
		name: company.name,
		slug: company.slug,
		url: companyPath(company.slug),
		email_domain: company.emailDomain,
		plan: company.plan,
		value: company.mrr,
		tier: company.tier,
		created_at: iso(company.createdAt),
		products: company.products.map(({ id, name, slug }) => ({ id, name, slug })),
		members: company.members.map((m) => ({
			handle: m.handle,
			display_name: m.displayName,
			email: m.email,
			role: m.role as (typeof ROLES)[number],
			email_verified: m.verified,
			url: customerPath(m.handle)
		})),
		nps: toNpsSummary(insights.nps),
		ratings: insights.ratings.map((r) => ({
			product: { id: r.productId, name: r.product, slug: r.productSlug },
			reviews: r.reviews,
			average: r.average
		})),
		demand: insights.demand.map((d) => ({
			id: d.id,
			title: d.title,
			url: d.path,
			status: { name: d.status, category: d.category },
			vote_count: d.votes,
			voters: d.voters.map(personOf),
			posted_by_company: d.postedByCompany,
			target_quarter: d.targetQuarter,
			shipped_at: isoOrNull(d.shippedAt)
		}))
	};
}
