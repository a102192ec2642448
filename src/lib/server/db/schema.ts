// The database as Kysely sees it; mirrors migrations/ (change both together).
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Role } from '$lib/domain/roles';
import type { Importance } from '$lib/domain/ideas';
import type { Visibility } from '$lib/domain/moderation';
import type { HelpConversionKind, HelpEventKind, HelpThreadStatus } from '$lib/domain/help';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Id = Generated<number>;

export interface CompanyTable {
	id: Id;
	name: string;
	slug: string;
	email_domain: string | null;
	plan: string | null;
	mrr: ColumnType<number, number | undefined, number>;
	created_at: Timestamp;
}

export interface ProductTable {
	id: Id;
	name: string;
	slug: string;
	description: Generated<string>;
	archived_at: Date | null;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export interface TagTable {
	id: Id;
	name: string;
	slug: string;
	archived_at: Date | null;
	created_at: Timestamp;
}

export type { StatusCategory } from '$lib/domain/ideas';
import type { StatusCategory } from '$lib/domain/ideas';

export interface IdeaStatusTable {
	id: Id;
	name: string;
	slug: string;
	category: StatusCategory;
	position: number;
	is_default: Generated<boolean>;
	created_at: Timestamp;
}

export type PostKind = 'idea' | 'review' | 'discussion';

export interface PostTable {
	id: Id;
	kind: PostKind;
	product_id: number | null;
	author_id: number;
	title: string;
	body_source: Generated<string>;
	body_html: Generated<string>;
	status_id: number | null;
	merged_into_id: number | null;
	vote_count: Generated<number>;
	comment_count: Generated<number>;
	hot_score: Generated<number>;
	created_at: Timestamp;
	edited_at: Date | null;
	last_activity_at: Timestamp;
	deleted_at: Date | null;
	visibility: ColumnType<Visibility, Visibility | undefined, Visibility>;
	hidden_reason: string | null;
	/** The staff member responsible for the idea (triage). */
	owner_id: ColumnType<number | null, number | null | undefined, number | null>;
	/** When staff first triaged the idea (status change or "mark triaged"); null: untriaged. */
	triaged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
	/** Generated from title and body; read it only through full-text functions. */
	search: ColumnType<string, never, never>;
	/** Order within its roadmap column, set by staff; null after every placed idea. */
	roadmap_position: ColumnType<number | null, number | null | undefined, number | null>;
	/** `2027-Q1`: when staff aim to ship it, shown on the roadmap. */
	target_quarter: ColumnType<string | null, string | null | undefined, string | null>;
	/** The challenge this idea was entered into (src/lib/server/challenges/). */
	challenge_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface PostTagTable {
	post_id: number;
	tag_id: number;
}

export type VoteImportance = Importance;

export interface VoteTable {
	post_id: number;
	user_id: number;
	importance: VoteImportance | null;
	recorded_by_id: number | null;
	created_at: Timestamp;
}

export interface CommentTable {
	id: Id;
	post_id: number;
	author_id: number;
	parent_id: number | null;
	body_source: string;
	body_html: string;
	is_internal: Generated<boolean>;
	is_official: Generated<boolean>;
	created_at: Timestamp;
	edited_at: Date | null;
	deleted_at: Date | null;
	visibility: ColumnType<Visibility, Visibility | undefined, Visibility>;
	hidden_reason: string | null;
}

export interface SubscriptionTable {
	user_id: number;
	post_id: number;
	following: Generated<boolean>;
	created_at: Timestamp;
}

export interface NotificationTable {
	id: Id;
	user_id: number;
	kind: string;
	post_id: number | null;
	comment_id: number | null;
	actor_id: number | null;
	created_at: Timestamp;
	read_at: Date | null;
	emailed_at: Date | null;
	data: ColumnType<Record<string, unknown>, string | undefined, string>;
	/** A notification about a private help thread (then post_id is null). */
	help_thread_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface StatusChangeTable {
	id: Id;
	post_id: number;
	from_status_id: number | null;
	to_status_id: number;
	changed_by_id: number | null;
	message_source: string | null;
	message_html: string | null;
	created_at: Timestamp;
}

export interface ActivityTable {
	id: Id;
	user_id: number | null;
	kind: string;
	post_id: number | null;
	comment_id: number | null;
	product_id: number | null;
	data: ColumnType<Record<string, unknown>, string | undefined, never>;
	created_at: Timestamp;
}

export interface AppUserTable {
	id: Id;
	email: string;
	handle: string;
	display_name: string;
	/** Null for an account made by single sign-on until its member sets a password. */
	password_hash: string | null;
	role: ColumnType<Role, Role | undefined, Role>;
	company_id: number | null;
	created_at: Timestamp;
	password_changed_at: Timestamp;
	suspended_until: Date | null;
	suspension_reason: string | null;
	/** When the member proved they read mail at `email` (a link, or a provider that vouches). */
	email_verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
	/** The member's referral link code; made on first use (`ensureReferralCode`). */
	referral_code: ColumnType<string | null, string | null | undefined, string | null>;
	/** Who brought this member, through their referral link. */
	referred_by_id: ColumnType<number | null, number | null | undefined, number | null>;
	/** Keeps the member off the public leaderboard. */
	leaderboard_opt_out: ColumnType<boolean, boolean | undefined, boolean>;
	/** The member's interface language (docs/i18n.md); null follows the browser. */
	locale: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface UserSessionTable {
	id: string;
	user_id: number;
	expires_at: ColumnType<Date, Date, Date>;
	created_at: Timestamp;
	ip: string | null;
	user_agent: string | null;
}

export interface PasswordResetTable {
	id: string;
	user_id: number;
	expires_at: ColumnType<Date, Date, Date>;
	used_at: Date | null;
	created_at: Timestamp;
}

/** A link that proves a member reads mail at `email` (only its token's SHA-256 is kept). */
export interface EmailVerificationTable {
	id: string;
	user_id: number;
	email: string;
	expires_at: ColumnType<Date, Date, Date>;
	used_at: Date | null;
	created_at: Timestamp;
}

export interface MailOutboxTable {
	id: Id;
	recipient: string;
	subject: string;
	text_body: string;
	created_at: Timestamp;
}

export interface AuditLogTable {
	id: Id;
	actor_id: number | null;
	actor_handle: string | null;
	action: string;
	target_type: string;
	target_id: string;
	reason: string | null;
	details: ColumnType<Record<string, unknown>, string | undefined, never>;
	created_at: Timestamp;
}

export interface RateLimitTable {
	key: string;
	points: number;
	expire: number | null;
}

export interface CompanyProductTable {
	company_id: number;
	product_id: number;
	created_at: Timestamp;
}

/** A review's rating and roadmap link; the review itself is its `post` row (kind 'review'). */
export interface ReviewTable {
	post_id: number;
	rating: number;
	version: Generated<number>;
	tracked_idea_id: number | null;
	tracked_by_id: number | null;
	tracked_at: Date | null;
	idea_shipped_at: Date | null;
}

export interface ReviewVersionTable {
	id: Id;
	post_id: number;
	version: number;
	rating: number;
	title: string;
	body_source: string;
	body_html: string;
	written_at: Date;
	replaced_at: Timestamp;
}

export interface EmailPreferenceTable {
	user_id: number;
	event: string;
	enabled: boolean;
	updated_at: Timestamp;
}

export interface MailClaimTable {
	key: string;
	created_at: Timestamp;
	/** The job (pg-boss id) and its attempt (retry count) holding the claim. */
	job_id: string | null;
	attempt: Generated<number>;
	claimed_at: Timestamp;
	/** Null while the send is in progress (or its sender died). */
	sent_at: Date | null;
}

export interface AppSecretTable {
	name: string;
	value: string;
	created_at: Timestamp;
}

export interface DiscussionCategoryTable {
	id: Id;
	name: string;
	slug: string;
	description: Generated<string>;
	product_id: number | null;
	position: Generated<number>;
	archived_at: Date | null;
	created_at: Timestamp;
}

export interface DiscussionTable {
	post_id: number;
	category_id: number;
	is_question: Generated<boolean>;
	accepted_comment_id: number | null;
	pinned_at: Date | null;
	locked_at: Date | null;
	closed_at: Date | null;
}

export interface CommentLikeTable {
	comment_id: number;
	user_id: number;
	created_at: Timestamp;
}

export interface ThreadVisitTable {
	user_id: number;
	post_id: number;
	last_seen_comment_id: Generated<number>;
	visited_at: Timestamp;
}

export interface PollTable {
	id: Id;
	post_id: number;
	question: string;
	multiple: Generated<boolean>;
	closes_at: Date | null;
	created_at: Timestamp;
}

export interface PollOptionTable {
	id: Id;
	poll_id: number;
	label: string;
	position: number;
}

export interface PollBallotTable {
	poll_id: number;
	user_id: number;
	created_at: Timestamp;
}

export interface PollChoiceTable {
	poll_id: number;
	user_id: number;
	option_id: number;
}

export interface IdeaFirstResponseTable {
	post_id: number;
	responded_at: Timestamp;
	kind: 'status_change' | 'official_comment';
	responder_id: number | null;
	status_change_id: number | null;
	comment_id: number | null;
}

export interface ShipNoticeTable {
	post_id: number;
	user_id: number;
	status_change_id: number | null;
	notified: boolean;
	notification_id: number | null;
	created_at: Timestamp;
}

export interface ChangelogEntryTable {
	id: Id;
	title: string;
	/** Set when the entry is published (drafts have none) and kept after. */
	slug: ColumnType<string | null, string | null | undefined, string | null>;
	body_source: Generated<string>;
	body_html: Generated<string>;
	product_id: number | null;
	author_id: number | null;
	created_at: Timestamp;
	updated_at: Timestamp;
	published_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ChangelogEntryIdeaTable {
	entry_id: number;
	post_id: number;
	created_at: Timestamp;
}

export interface SiteSettingTable {
	key: string;
	value: ColumnType<unknown, string, string>;
	updated_by_id: number | null;
	updated_at: Timestamp;
}

export type FlagReason = 'spam' | 'abusive' | 'off_topic' | 'other';
export type FlagDecision = 'kept' | 'hidden' | 'deleted' | 'edited';

export interface FlagTable {
	id: Id;
	post_id: number | null;
	comment_id: number | null;
	flagger_id: number;
	reason: FlagReason;
	note: string | null;
	created_at: Timestamp;
	resolved_at: Date | null;
	resolved_by_id: number | null;
	decision: FlagDecision | null;
}

export interface SurveyResponseTable {
	id: Id;
	user_id: number;
	kind: 'nps' | 'csat';
	score: number;
	reason: string | null;
	/** CSAT: the idea that shipped or the question that was answered. */
	post_id: number | null;
	created_at: Timestamp;
}

export interface WebhookTable {
	id: Id;
	url: string;
	description: Generated<string>;
	secret: string;
	events: ColumnType<string[], string[], string[]>;
	enabled: Generated<boolean>;
	created_by_id: number | null;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export interface WebhookEventTable {
	id: string;
	type: string;
	payload: ColumnType<Record<string, unknown>, string, never>;
	created_at: Timestamp;
}

export type WebhookDeliveryState = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveryTable {
	id: Id;
	webhook_id: number;
	event_id: string;
	state: ColumnType<WebhookDeliveryState, WebhookDeliveryState | undefined, WebhookDeliveryState>;
	attempts: Generated<number>;
	next_attempt_at: Date | null;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export interface WebhookAttemptTable {
	id: Id;
	delivery_id: number;
	attempt: number;
	status_code: number | null;
	duration_ms: number;
	error: string | null;
	response_body: string | null;
	created_at: Timestamp;
}

export interface ImportRecordTable {
	source: string;
	external_key: string;
	entity: 'idea' | 'vote' | 'comment' | 'user';
	entity_id: number;
	created_by_id: number | null;
	created_at: Timestamp;
}

/** A personal API token (only its SHA-256 is stored; see src/lib/server/api/tokens.ts). */
export interface ApiTokenTable {
	id: Id;
	user_id: number;
	name: string;
	token_hash: string;
	token_prefix: string;
	scopes: ColumnType<string[], string[], string[]>;
	created_at: Timestamp;
	expires_at: Date | null;
	last_used_at: Date | null;
	revoked_at: Date | null;
}

export type SurveyKind = 'nps' | 'csat';
export type SurveyTrigger = 'shipped' | 'accepted_answer' | 'official_answer';

export interface SurveyOfferTable {
	id: Id;
	user_id: number;
	kind: SurveyKind;
	/** CSAT: why the member is asked; null for NPS. */
	trigger: SurveyTrigger | null;
	post_id: number | null;
	offered_at: Timestamp;
	answered_at: Date | null;
	dismissed_at: Date | null;
	response_id: number | null;
}

// Insights roll-ups, kept by a trigger on `activity` (migration 2026-11-23T1300_insights).
// Weeks are dates: the Monday (UTC) the week starts on.
export interface ActivityUserWeekTable {
	week: ColumnType<string, string, string>;
	user_id: number;
	acts: number;
}

export interface ContributorFirstWeekTable {
	user_id: number;
	week: ColumnType<string, string, string>;
}

export interface ContributorWeekTable {
	week: ColumnType<string, string, string>;
	contributors: number;
	new_contributors: number;
}

export interface Database {
	company: CompanyTable;
	product: ProductTable;
	app_user: AppUserTable;
	user_session: UserSessionTable;
	password_reset: PasswordResetTable;
	email_verification: EmailVerificationTable;
	mail_outbox: MailOutboxTable;
	audit_log: AuditLogTable;
	rate_limit: RateLimitTable;
	tag: TagTable;
	idea_status: IdeaStatusTable;
	post: PostTable;
	post_tag: PostTagTable;
	vote: VoteTable;
	comment: CommentTable;
	subscription: SubscriptionTable;
	notification: NotificationTable;
	status_change: StatusChangeTable;
	activity: ActivityTable;
	company_product: CompanyProductTable;
	review: ReviewTable;
	review_version: ReviewVersionTable;
	email_preference: EmailPreferenceTable;
	mail_claim: MailClaimTable;
	app_secret: AppSecretTable;
	discussion_category: DiscussionCategoryTable;
	discussion: DiscussionTable;
	comment_like: CommentLikeTable;
	thread_visit: ThreadVisitTable;
	poll: PollTable;
	poll_option: PollOptionTable;
	poll_ballot: PollBallotTable;
	poll_choice: PollChoiceTable;
	idea_first_response: IdeaFirstResponseTable;
	ship_notice: ShipNoticeTable;
	changelog_entry: ChangelogEntryTable;
	changelog_entry_idea: ChangelogEntryIdeaTable;
	site_setting: SiteSettingTable;
	flag: FlagTable;
	survey_response: SurveyResponseTable;
	activity_user_week: ActivityUserWeekTable;
	contributor_first_week: ContributorFirstWeekTable;
	contributor_week: ContributorWeekTable;
	survey_offer: SurveyOfferTable;
	webhook: WebhookTable;
	webhook_event: WebhookEventTable;
	webhook_delivery: WebhookDeliveryTable;
	webhook_attempt: WebhookAttemptTable;
	import_record: ImportRecordTable;
	api_token: ApiTokenTable;
	oauth_account: OAuthAccountTable;
	challenge: ChallengeTable;
	challenge_winner: ChallengeWinnerTable;
	help_thread: HelpThreadTable;
	help_message: HelpMessageTable;
	help_event: HelpEventTable;
	testimonial: TestimonialTable;
}

/** A co-creation challenge: a question staff ask for a while (src/lib/server/challenges/). */
export interface ChallengeTable {
	id: Id;
	title: string;
	description_source: Generated<string>;
	description_html: Generated<string>;
	prizes_source: Generated<string>;
	prizes_html: Generated<string>;
	product_id: number;
	starts_at: Date;
	ends_at: Date;
	created_by_id: number | null;
	created_at: Timestamp;
	updated_at: Timestamp;
	announced_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
	announced_by_id: ColumnType<number | null, number | null | undefined, number | null>;
}

/** A winning entry of a challenge, ranked from 1, with staff's public note. */
export interface ChallengeWinnerTable {
	challenge_id: number;
	post_id: number;
	rank: number;
	note_source: Generated<string>;
	note_html: Generated<string>;
	created_at: Timestamp;
}

/** A private help thread (src/lib/server/help/): never in `post`, so no public query reaches it. */
export interface HelpThreadTable {
	id: Id;
	author_id: number;
	product_id: number | null;
	subject: string;
	shared_with_company: Generated<boolean>;
	status: ColumnType<HelpThreadStatus, HelpThreadStatus | undefined, HelpThreadStatus>;
	waiting_since: Date | null;
	message_count: Generated<number>;
	last_message_at: Timestamp;
	created_at: Timestamp;
	closed_at: Date | null;
	closed_by_id: number | null;
	proposed_kind: HelpConversionKind | null;
	proposed_by_id: number | null;
	proposed_at: Date | null;
	converted_kind: HelpConversionKind | null;
	converted_post_id: number | null;
	converted_by_id: number | null;
	converted_at: Date | null;
}

export interface HelpMessageTable {
	id: Id;
	thread_id: number;
	author_id: number | null;
	body_source: string;
	body_html: string;
	is_official: Generated<boolean>;
	created_at: Timestamp;
}

export interface HelpEventTable {
	id: Id;
	thread_id: number;
	actor_id: number | null;
	kind: HelpEventKind;
	data: ColumnType<Record<string, unknown>, string | undefined, never>;
	created_at: Timestamp;
}

export type TestimonialStatus = 'invited' | 'submitted' | 'published' | 'withdrawn';

/** An invitation to write a testimonial, and then the testimonial (src/lib/server/testimonials/). */
export interface TestimonialTable {
	id: Id;
	user_id: number;
	status: ColumnType<TestimonialStatus, TestimonialStatus | undefined, TestimonialStatus>;
	invited_by_id: number | null;
	invited_at: Timestamp;
	invitation_message: string | null;
	/** Why the member was asked: their latest NPS answer, or a review of theirs. */
	reason_kind: 'nps' | 'review';
	/** The NPS score (0–10) or the review's rating (1–5). */
	reason_score: number;
	reason_post_id: number | null;
	body_source: string | null;
	body_html: string | null;
	product_id: number | null;
	submitted_at: Date | null;
	updated_at: Timestamp;
	consent_at: Date | null;
	consent_version: string | null;
	/** The exact wording the member agreed to. */
	consent_text: string | null;
	/** The name and company the consent said would be shown; the public page shows these. */
	shown_name: string | null;
	shown_company: string | null;
	consent_withdrawn_at: Date | null;
	published_at: Date | null;
	published_by_id: number | null;
}

/** An identity at a sign-on provider, linked to one member (src/lib/server/sso/). */
export interface OAuthAccountTable {
	provider: 'github' | 'google' | 'oidc';
	issuer: string;
	provider_user_id: string;
	user_id: number;
	email: string | null;
	created_at: Timestamp;
	last_used_at: Timestamp;
}

export type User = Selectable<AppUserTable>;
export type NewUser = Insertable<AppUserTable>;
export type UserUpdate = Updateable<AppUserTable>;
export type Company = Selectable<CompanyTable>;
export type Product = Selectable<ProductTable>;
export type Tag = Selectable<TagTable>;
export type IdeaStatus = Selectable<IdeaStatusTable>;
export type Post = Selectable<PostTable>;
export type Comment = Selectable<CommentTable>;
