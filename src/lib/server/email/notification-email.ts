// The email for one notification, from the notification row and its `data` snapshot: every
// kind in use or coming (see the brief's list) has its sentence here, in the recipient's
// language (`locale`, English when not given). Pure.
import type { Locale } from '$lib/i18n/locales';
import { m } from '$lib/paraglide/messages';
import type { EmailBlock } from './render';
import { excerpt, htmlToText } from './render';

export interface NotificationForMail {
	kind: string;
	data: Record<string, unknown>;
	actorName: string | null;
	post: { kind: string; title: string; url: string };
	/** The comment the notification is about (reply, mention, official reply, answer…). */
	comment: { text: string; url: string } | null;
	siteName: string;
	origin: string;
	/** The recipient's language. */
	locale?: Locale;
}

export interface NotificationMail {
	subject: string;
	blocks: EmailBlock[];
	reason: string;
}

function str(value: unknown): string | null {
	return typeof value === 'string' && value.length > 0 ? value : null;
}

/** A path on this site from a data snapshot: '/x', never '//host' or a full URL. */
function sitePath(value: unknown): string | null {
	return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : null;
}

function postNoun(kind: string, locale: Locale): string {
	return kind === 'review'
		? m.email_noun_review({}, { locale })
		: kind === 'discussion'
			? m.email_noun_discussion({}, { locale })
			: m.email_noun_idea({}, { locale });
}

function moderationDecision(decision: string | null, locale: Locale): string {
	const o = { locale };
	switch (decision) {
		case 'kept':
			return m.email_decision_kept({}, o);
		case 'hidden':
			return m.email_decision_hidden({}, o);
		case 'deleted':
			return m.email_decision_deleted({}, o);
		case 'edited':
			return m.email_decision_edited({}, o);
		case 'approved':
			return m.email_decision_approved({}, o);
		default:
			return m.email_decision_reviewed({}, o);
	}
}

export function notificationMail(n: NotificationForMail): NotificationMail {
	const locale = n.locale ?? 'en';
	const o = { locale };
	const who = n.actorName ?? m.email_someone({}, o);
	const title = m.email_quoted({ title: n.post.title }, o);
	const noun = postNoun(n.post.kind, locale);
	const site = n.siteName;
	const quote = (): EmailBlock[] =>
		n.comment ? [{ kind: 'quote', text: excerpt(n.comment.text, 500) }] : [];
	const open = (label: string): EmailBlock => ({
		kind: 'link',
		label,
		url: n.comment?.url ?? n.post.url
	});

	switch (n.kind) {
		case 'reply':
			return {
				subject: m.email_reply_subject({ who, title }, o),
				blocks: [
					{ kind: 'paragraph', text: m.email_reply_text({ who, title }, o) },
					...quote(),
					open(m.email_read_and_reply({}, o))
				],
				reason: m.email_reply_reason({}, o)
			};
		case 'mention':
			return {
				subject: m.email_mention_subject({ who, title }, o),
				blocks: [
					{ kind: 'paragraph', text: m.email_mention_text({ who, title }, o) },
					...quote(),
					open(m.email_read_and_reply({}, o))
				],
				reason: m.email_mention_reason({}, o)
			};
		case 'comment':
			return {
				subject: m.email_comment_subject({ who, title }, o),
				blocks: [
					{ kind: 'paragraph', text: m.email_comment_text({ who, title }, o) },
					...quote(),
					open(m.email_read_comment({}, o))
				],
				reason: m.email_comment_reason({ noun }, o)
			};
		case 'status_change': {
			const to = str(n.data.to);
			const from = str(n.data.from);
			const blocks: EmailBlock[] = [
				{
					kind: 'paragraph',
					text: from
						? m.email_status_moved({ title, from, to: to ?? m.email_status_unknown({}, o) }, o)
						: to
							? m.email_status_now({ title, to }, o)
							: m.email_status_now_unknown({ title }, o)
				}
			];
			const message = str(n.data.message_html);
			if (message) {
				blocks.push({ kind: 'paragraph', text: m.email_status_wrote({ who }, o) });
				blocks.push({ kind: 'quote', text: htmlToText(message) });
			}
			const changelog = n.data.changelog as { title?: unknown; path?: unknown } | undefined;
			if (changelog && str(changelog.title) && sitePath(changelog.path)) {
				blocks.push({
					kind: 'link',
					label: m.email_status_changelog({ title: changelog.title as string }, o),
					url: `${n.origin}${changelog.path as string}`
				});
			}
			blocks.push({ kind: 'link', label: m.email_see_noun({ noun }, o), url: n.post.url });
			return {
				subject: to
					? m.email_status_subject({ title, to }, o)
					: m.email_status_subject_unknown({ title }, o),
				blocks,
				reason: m.email_status_reason({ noun }, o)
			};
		}
		case 'official_reply':
			return {
				subject: m.email_official_subject({ site, title }, o),
				blocks: [
					{ kind: 'paragraph', text: m.email_official_text({ who, site, title }, o) },
					...quote(),
					open(m.email_read_reply({}, o))
				],
				reason: m.email_official_reason({}, o)
			};
		case 'review_followup': {
			const idea = n.data.idea as { title?: unknown; path?: unknown } | undefined;
			const ideaTitle = str(idea?.title);
			const quotedIdea = ideaTitle ? m.email_quoted({ title: ideaTitle }, o) : null;
			const blocks: EmailBlock[] = [
				{
					kind: 'paragraph',
					text: quotedIdea
						? m.email_followup_text({ idea: quotedIdea, title }, o)
						: m.email_followup_text_unknown({ title }, o)
				}
			];
			if (quotedIdea && sitePath(idea?.path)) {
				blocks.push({
					kind: 'link',
					label: m.email_followup_see_idea({ idea: quotedIdea }, o),
					url: `${n.origin}${idea!.path as string}`
				});
			}
			blocks.push({ kind: 'link', label: m.email_followup_update({}, o), url: n.post.url });
			return {
				subject: m.email_followup_subject({ title }, o),
				blocks,
				reason: m.email_followup_reason({}, o)
			};
		}
		case 'answer_accepted':
			return {
				subject: m.email_answer_subject({ title }, o),
				blocks: [
					{ kind: 'paragraph', text: m.email_answer_text({ who, title }, o) },
					...quote(),
					open(m.email_see_discussion({}, o))
				],
				reason: m.email_answer_reason({}, o)
			};
		case 'moderation': {
			const decision = moderationDecision(str(n.data.decision), locale);
			const what = n.comment
				? m.email_moderation_what_comment({ title }, o)
				: m.email_moderation_what_post({ noun, title }, o);
			const flagged = n.comment
				? m.email_moderation_flagged_comment({ title }, o)
				: m.email_moderation_flagged_post({ noun, title }, o);
			const reason = str(n.data.reason);
			const forFlagger = n.data.role === 'flagger';
			const blocks: EmailBlock[] = [
				{
					kind: 'paragraph',
					text: forFlagger
						? m.email_moderation_text_flagger({ flagged, decision }, o)
						: m.email_moderation_text({ decision, what }, o)
				}
			];
			if (reason) {
				blocks.push({ kind: 'paragraph', text: m.email_moderation_reason_line({ reason }, o) });
			}
			blocks.push(open(m.email_see_it({}, o)));
			return {
				subject: forFlagger
					? m.email_moderation_subject_flagger({ title }, o)
					: m.email_moderation_subject({ decision, what }, o),
				blocks,
				reason: forFlagger
					? m.email_moderation_reason_flagger({}, o)
					: m.email_moderation_reason({}, o)
			};
		}
		case 'challenge_won':
		case 'challenge_winners': {
			const challenge = n.data.challenge as { title?: unknown; path?: unknown } | undefined;
			const name = str(challenge?.title) ?? '';
			const path = sitePath(challenge?.path);
			const won = n.kind === 'challenge_won';
			const rank = typeof n.data.rank === 'number' ? n.data.rank : 1;
			const blocks: EmailBlock[] = [
				{
					kind: 'paragraph',
					text: won
						? m.challenges_mail_won_text({ idea: title, rank, challenge: name }, o)
						: m.challenges_mail_winners_text({ idea: title, challenge: name }, o)
				}
			];
			blocks.push(
				path
					? { kind: 'link', label: m.challenges_mail_link({}, o), url: `${n.origin}${path}` }
					: { kind: 'link', label: m.challenges_mail_link({}, o), url: n.post.url }
			);
			return {
				subject: won
					? m.challenges_mail_won_subject({ rank, challenge: name }, o)
					: m.challenges_mail_winners_subject({ challenge: name }, o),
				blocks,
				reason: won ? m.challenges_mail_won_reason({}, o) : m.challenges_mail_winners_reason({}, o)
			};
		}
		default:
			return {
				subject: m.email_news_subject({ title }, o),
				blocks: [
					{ kind: 'paragraph', text: m.email_news_text({ title }, o) },
					...quote(),
					open(m.email_see_noun({ noun }, o))
				],
				reason: m.email_news_reason({ site }, o)
			};
	}
}

/** A testimonial invitation: not about a post, so it has its own mail, in the member's language. */
export function testimonialInvitationMail(n: {
	actorName: string | null;
	message: string | null;
	url: string;
	siteName: string;
	locale?: Locale;
}): NotificationMail {
	const options = n.locale ? { locale: n.locale } : {};
	const blocks: EmailBlock[] = [
		{
			kind: 'paragraph',
			text: n.actorName
				? m.testimonials_mail_intro({ name: n.actorName, site: n.siteName }, options)
				: m.testimonials_mail_intro_team({ site: n.siteName }, options)
		}
	];
	if (n.message) {
		blocks.push({ kind: 'quote', text: excerpt(n.message, 1000) });
	}
	blocks.push({ kind: 'paragraph', text: m.testimonials_mail_consent_note({}, options) });
	blocks.push({ kind: 'link', label: m.testimonials_mail_link({}, options), url: n.url });
	return {
		subject: m.testimonials_mail_subject({ site: n.siteName }, options),
		blocks,
		reason: m.testimonials_mail_reason({}, options)
	};
}
