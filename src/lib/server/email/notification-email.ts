// The email for one notification, from the notification row and its `data` snapshot: every
// kind in use or coming (see the brief's list) has its sentence here. Pure.
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

function postNoun(kind: string): string {
	return kind === 'review' ? 'review' : kind === 'discussion' ? 'discussion' : 'idea';
}

const MODERATION_DECISIONS: Record<string, string> = {
	kept: 'kept',
	hidden: 'hid',
	deleted: 'deleted',
	edited: 'edited',
	approved: 'approved'
};

export function notificationMail(n: NotificationForMail): NotificationMail {
	const who = n.actorName ?? 'Someone';
	const title = `“${n.post.title}”`;
	const noun = postNoun(n.post.kind);
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
				subject: `${who} replied to your comment on ${title}`,
				blocks: [
					{ kind: 'paragraph', text: `${who} replied to your comment on ${title}:` },
					...quote(),
					open('Read and reply')
				],
				reason: 'You get this because someone replied to your comment.'
			};
		case 'mention':
			return {
				subject: `${who} mentioned you on ${title}`,
				blocks: [
					{ kind: 'paragraph', text: `${who} mentioned you in a comment on ${title}:` },
					...quote(),
					open('Read and reply')
				],
				reason: 'You get this because someone mentioned you.'
			};
		case 'comment':
			return {
				subject: `${who} commented on ${title}`,
				blocks: [
					{ kind: 'paragraph', text: `${who} commented on ${title}, which you follow:` },
					...quote(),
					open('Read the comment')
				],
				reason: `You get this because you follow this ${noun} and asked for every comment.`
			};
		case 'status_change': {
			const to = str(n.data.to) ?? 'a new status';
			const from = str(n.data.from);
			const blocks: EmailBlock[] = [
				{
					kind: 'paragraph',
					text: from ? `${title} moved from ${from} to ${to}.` : `${title} is now ${to}.`
				}
			];
			const message = str(n.data.message_html);
			if (message) {
				blocks.push({ kind: 'paragraph', text: `${who} wrote:` });
				blocks.push({ kind: 'quote', text: htmlToText(message) });
			}
			const changelog = n.data.changelog as { title?: unknown; path?: unknown } | undefined;
			if (changelog && str(changelog.title) && sitePath(changelog.path)) {
				blocks.push({
					kind: 'link',
					label: `Read the changelog: ${changelog.title as string}`,
					url: `${n.origin}${changelog.path as string}`
				});
			}
			blocks.push({ kind: 'link', label: `See the ${noun}`, url: n.post.url });
			return {
				subject: `${title} is now ${to}`,
				blocks,
				reason: `You get this because you follow or voted for this ${noun}.`
			};
		}
		case 'official_reply':
			return {
				subject: `The ${n.siteName} team replied to your review ${title}`,
				blocks: [
					{
						kind: 'paragraph',
						text: `${who}, from the ${n.siteName} team, replied to your review ${title}:`
					},
					...quote(),
					open('Read the reply')
				],
				reason: 'You get this because the team replied to your review.'
			};
		case 'review_followup': {
			const idea = n.data.idea as { title?: unknown; path?: unknown } | undefined;
			const ideaTitle = str(idea?.title);
			const blocks: EmailBlock[] = [
				{
					kind: 'paragraph',
					text: ideaTitle
						? `“${ideaTitle}”, which your review ${title} asked for, has shipped. Would you like to update your review?`
						: `Something your review ${title} asked for has shipped. Would you like to update your review?`
				}
			];
			if (ideaTitle && sitePath(idea?.path)) {
				blocks.push({
					kind: 'link',
					label: `See “${ideaTitle}”`,
					url: `${n.origin}${idea!.path as string}`
				});
			}
			blocks.push({ kind: 'link', label: 'Update your review', url: n.post.url });
			return {
				subject: `Shipped: update your review ${title}?`,
				blocks,
				reason: 'You get this because an idea your review is tracked in has shipped.'
			};
		}
		case 'answer_accepted':
			return {
				subject: `Your reply was accepted as the answer on ${title}`,
				blocks: [
					{
						kind: 'paragraph',
						text: `${who} accepted your reply as the answer to ${title}. Thank you for helping.`
					},
					...quote(),
					open('See the discussion')
				],
				reason: 'You get this because your reply was accepted as an answer.'
			};
		case 'moderation': {
			const decision = MODERATION_DECISIONS[str(n.data.decision) ?? ''] ?? 'reviewed';
			const what = n.comment ? `your comment on ${title}` : `your ${noun} ${title}`;
			const flagged = n.comment
				? `the comment you flagged on ${title}`
				: `the ${noun} ${title} you flagged`;
			const reason = str(n.data.reason);
			const forFlagger = n.data.role === 'flagger';
			const blocks: EmailBlock[] = [
				{
					kind: 'paragraph',
					text: forFlagger
						? `A moderator reviewed ${flagged} and ${decision} it. Thank you for the report.`
						: `A moderator ${decision} ${what}.`
				}
			];
			if (reason) {
				blocks.push({ kind: 'paragraph', text: `Reason: ${reason}` });
			}
			blocks.push(open('See it'));
			return {
				subject: forFlagger
					? `Your report on ${title} was reviewed`
					: `A moderator ${decision} ${what}`,
				blocks,
				reason: forFlagger
					? 'You get this because you flagged something.'
					: 'You get this because a moderator acted on something you wrote.'
			};
		}
		default:
			return {
				subject: `News on ${title}`,
				blocks: [
					{ kind: 'paragraph', text: `There is news on ${title}.` },
					...quote(),
					open(`See the ${noun}`)
				],
				reason: `You get this because of your activity on ${n.siteName}.`
			};
	}
}
