import { describe, expect, it } from 'vitest';
import { EMAIL_EVENTS } from '$lib/domain/email';
import { notificationMail, type NotificationForMail } from './notification-email';

const base: NotificationForMail = {
	kind: 'reply',
	data: {},
	actorName: 'Bob',
	post: { kind: 'idea', title: 'Dark mode', url: 'https://site.test/ideas/1-dark-mode' },
	comment: { text: 'Me too', url: 'https://site.test/ideas/1-dark-mode#comment-5' },
	siteName: 'Acme',
	origin: 'https://site.test'
};

const mail = (over: Partial<NotificationForMail>) => notificationMail({ ...base, ...over });
const text = (m: ReturnType<typeof notificationMail>) =>
	m.blocks
		.map((b) => ('text' in b ? b.text : 'label' in b ? `${b.label} ${b.url}` : ''))
		.join('\n');

describe('notification emails', () => {
	it('has its own subject for every kind a member can get by email', () => {
		const subjects = new Set(
			EMAIL_EVENTS.map(
				(e) =>
					mail({
						kind: e.event,
						data: { to: 'Planned', decision: 'hidden', role: 'author', idea: { title: 'X' } }
					}).subject
			)
		);
		expect(subjects.size).toBe(EMAIL_EVENTS.length);
		expect([...subjects].some((s) => s.startsWith('News on'))).toBe(false);
	});

	it('quotes the comment and links to it for replies and mentions', () => {
		const reply = mail({});
		expect(reply.subject).toBe('Bob replied to your comment on “Dark mode”');
		expect(reply.blocks).toContainEqual({ kind: 'quote', text: 'Me too' });
		expect(text(reply)).toContain('Read and reply https://site.test/ideas/1-dark-mode#comment-5');
		expect(mail({ kind: 'mention' }).subject).toBe('Bob mentioned you on “Dark mode”');
	});

	it('tells a status change from its snapshot, with the message and the changelog', () => {
		const m = mail({
			kind: 'status_change',
			comment: null,
			data: {
				from: 'Planned',
				to: 'Shipped',
				message_html: '<p>Live &amp; well</p>',
				changelog: { title: 'June', path: '/changelog/june' }
			}
		});
		expect(m.subject).toBe('“Dark mode” is now Shipped');
		expect(text(m)).toContain('“Dark mode” moved from Planned to Shipped.');
		expect(m.blocks).toContainEqual({ kind: 'quote', text: 'Live & well' });
		expect(text(m)).toContain('Read the changelog: June https://site.test/changelog/june');
		expect(mail({ kind: 'status_change', data: { from: null, to: 'Planned' } }).blocks[0]).toEqual({
			kind: 'paragraph',
			text: '“Dark mode” is now Planned.'
		});
	});

	it('links only to paths on the site from the data snapshot', () => {
		const m = mail({
			kind: 'status_change',
			data: { to: 'Shipped', changelog: { title: 'Evil', path: 'https://evil.test/x' } }
		});
		expect(text(m)).not.toContain('evil.test');
		const r = mail({
			kind: 'review_followup',
			post: { kind: 'review', title: 'My review', url: 'https://site.test/notifications?open=1' },
			data: { idea: { title: 'Exports', path: '//evil.test' } }
		});
		expect(text(r)).not.toContain('evil.test');
		expect(r.subject).toBe('Shipped: update your review “My review”?');
	});

	it('tells authors and flaggers apart in moderation emails, with the reason', () => {
		const author = mail({
			kind: 'moderation',
			data: { decision: 'hidden', role: 'author', reason: 'Off topic' }
		});
		expect(author.subject).toBe('A moderator hid your comment on “Dark mode”');
		expect(text(author)).toContain('Reason: Off topic');
		const flagger = mail({
			kind: 'moderation',
			comment: null,
			data: { decision: 'kept', role: 'flagger' }
		});
		expect(flagger.subject).toBe('Your report on “Dark mode” was reviewed');
		expect(text(flagger)).toContain(
			'A moderator reviewed the idea “Dark mode” you flagged and kept it.'
		);
	});

	it('names the team in official replies and thanks for accepted answers', () => {
		expect(mail({ kind: 'official_reply', post: { ...base.post, kind: 'review' } }).subject).toBe(
			'The Acme team replied to your review “Dark mode”'
		);
		expect(
			mail({ kind: 'answer_accepted', post: { ...base.post, kind: 'discussion' } }).subject
		).toBe('Your reply was accepted as the answer on “Dark mode”');
	});
});
