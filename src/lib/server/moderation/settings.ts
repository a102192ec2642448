// Site settings an admin edits at /admin/settings: one row per key in `site_setting`, validated
// here; a key never saved reads as its default. Defaults follow Discourse's trust-level-0
// ("new user") defaults, see docs/design.md, Moderation.
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { DEFAULT_TIER_THRESHOLDS, type TierThresholds } from '$lib/domain/tiers';
import type { Db } from '../db';
import { recordAudit } from '../audit';
import { canManageSiteSettings, type Actor } from '../policy';

/** A whole number in min..max; `label` names the field in the reader's language. */
const count = (label: () => string, min: number, max: number) =>
	z.coerce
		.number({ error: () => m.mod_settings_whole_number({ label: label() }) })
		.int({ error: () => m.mod_settings_whole_number({ label: label() }) })
		.min(min, { error: () => m.mod_settings_at_least({ label: label(), min }) })
		.max(max, { error: () => m.mod_settings_at_most({ label: label(), max }) });

export const siteSettingsSchema = z
	.object({
		/** Distinct members whose open flags hide an item until a moderator decides. */
		flagThreshold: count(m.mod_setting_flag_threshold, 1, 50),
		/** How long after signing up a member counts as new. */
		newMemberDays: count(m.mod_setting_new_member_days, 0, 365),
		/** Posts and comments a new member may write in a minute. */
		newMemberPostsPerMinute: count(m.mod_setting_posts_per_minute, 1, 60),
		/** Posts and comments a new member may write in a day. */
		newMemberPostsPerDay: count(m.mod_setting_posts_per_day, 1, 1000),
		/** Links a new member's post or comment may hold. */
		newMemberLinksPerPost: count(m.mod_setting_links_per_post, 0, 100),
		/** A new member's first N posts and comments wait for a moderator; 0 turns it off. */
		approveFirstPosts: count(m.mod_setting_approve_first, 0, 50),
		/** Posts and comments anyone may write in a minute. */
		postsPerMinute: count(m.mod_setting_posts_per_minute_all, 1, 600),
		/** Customer pyramid: the least monthly value (MRR) of a platinum, gold and iron company. */
		tierPlatinum: count(m.mod_setting_tier_platinum, 0, 1_000_000_000),
		tierGold: count(m.mod_setting_tier_gold, 0, 1_000_000_000),
		tierIron: count(m.mod_setting_tier_iron, 0, 1_000_000_000),
		/** A member is asked the NPS question at most once in this many days. */
		npsIntervalDays: count(m.mod_setting_nps_interval, 7, 730),
		/** A member is first asked the NPS question once their account is this many days old. */
		npsMinAccountDays: count(m.mod_setting_nps_min_account, 0, 365)
	})
	.superRefine((settings, ctx) => {
		for (const issue of tierOrderIssues(settings)) {
			ctx.addIssue({ code: 'custom', ...issue });
		}
	});

/**
 * The tiers must climb: platinum above gold above iron, or a company could be two tiers at once
 * (and `tierFor` would silently skip one). Each problem is reported on the field to change.
 */
export function tierOrderIssues(t: {
	tierPlatinum: number;
	tierGold: number;
	tierIron: number;
}): { path: string[]; message: string }[] {
	const issues: { path: string[]; message: string }[] = [];
	if (t.tierGold <= t.tierIron) {
		issues.push({
			path: ['tierGold'],
			message: m.mod_settings_gold_above_iron({ iron: t.tierIron })
		});
	}
	if (t.tierPlatinum <= t.tierGold) {
		issues.push({
			path: ['tierPlatinum'],
			message: m.mod_settings_platinum_above_gold({ gold: t.tierGold })
		});
	}
	return issues;
}
export type SiteSettings = z.output<typeof siteSettingsSchema>;
export const SITE_SETTING_KEYS = Object.keys(siteSettingsSchema.shape) as (keyof SiteSettings)[];

export const DEFAULT_SETTINGS: SiteSettings = {
	flagThreshold: 3,
	newMemberDays: 1,
	newMemberPostsPerMinute: 3,
	newMemberPostsPerDay: 13,
	newMemberLinksPerPost: 2,
	approveFirstPosts: 0,
	postsPerMinute: 12,
	tierPlatinum: DEFAULT_TIER_THRESHOLDS.platinum,
	tierGold: DEFAULT_TIER_THRESHOLDS.gold,
	tierIron: DEFAULT_TIER_THRESHOLDS.iron,
	npsIntervalDays: 90,
	npsMinAccountDays: 14
};

/** The tier thresholds the settings hold, in the shape `tierFor` and `tierCase` take. */
export function tierThresholds(settings: SiteSettings): TierThresholds {
	return { platinum: settings.tierPlatinum, gold: settings.tierGold, iron: settings.tierIron };
}

/** The settings as stored, each key falling back to its default (also when a stored value is bad). */
export async function getSiteSettings(db: Db): Promise<SiteSettings> {
	const rows = await db
		.selectFrom('site_setting')
		.select(['key', 'value'])
		.where('key', 'in', SITE_SETTING_KEYS)
		.execute();
	const settings: SiteSettings = { ...DEFAULT_SETTINGS };
	for (const row of rows) {
		const key = row.key as keyof SiteSettings;
		const parsed = siteSettingsSchema.shape[key].safeParse(row.value);
		if (parsed.success) {
			settings[key] = parsed.data;
		}
	}
	// Stored thresholds that do not climb (written around this module) read as the defaults.
	if (tierOrderIssues(settings).length > 0) {
		settings.tierPlatinum = DEFAULT_SETTINGS.tierPlatinum;
		settings.tierGold = DEFAULT_SETTINGS.tierGold;
		settings.tierIron = DEFAULT_SETTINGS.tierIron;
	}
	return settings;
}

/** The admins' tier thresholds, as every tier on the site is computed from. */
export async function getTierThresholds(db: Db): Promise<TierThresholds> {
	return tierThresholds(await getSiteSettings(db));
}

export type SaveSettingsResult =
	{ ok: true; settings: SiteSettings } | { ok: false; reason: 'forbidden' };

/** An admin saves the settings; what changed goes to the audit log. */
export async function saveSiteSettings(
	db: Db,
	actor: Actor,
	input: SiteSettings
): Promise<SaveSettingsResult> {
	if (!canManageSiteSettings(actor)) {
		return { ok: false, reason: 'forbidden' };
	}
	const settings = siteSettingsSchema.parse(input);
	await db.transaction().execute(async (trx) => {
		const before = await getSiteSettings(trx);
		const changed: Record<string, { from: number; to: number }> = {};
		for (const key of SITE_SETTING_KEYS) {
			if (before[key] !== settings[key]) {
				changed[key] = { from: before[key], to: settings[key] };
			}
			await trx
				.insertInto('site_setting')
				.values({ key, value: JSON.stringify(settings[key]), updated_by_id: actor.id })
				.onConflict((oc) =>
					oc.column('key').doUpdateSet({
						value: JSON.stringify(settings[key]),
						updated_by_id: actor.id,
						updated_at: new Date()
					})
				)
				.execute();
		}
		if (Object.keys(changed).length > 0) {
			await recordAudit(trx, actor, {
				action: 'settings.update',
				targetType: 'site',
				targetId: 'settings',
				details: changed
			});
		}
	});
	return { ok: true, settings };
}
