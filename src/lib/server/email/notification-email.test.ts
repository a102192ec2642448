import { describe, expect, it } from 'vitest';
import { EMAIL_EVENTS } from '$lib/domain/email';
import {
	notificationMail,
	testimonialInvitationMail,
	type NotificationForMail
} from './notification-email';

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
		// Help answers are about a private thread, not a post (help/mail.ts writes them); a testimonial
		// invitation is about no post (testimonialInvitationMail, tested below).
		const postEvents = EMAIL_EVENTS.filter(
			(e) => e.event !== 'help_reply' && e.event !== 'testimonial_invitation'
		);
		const subjects = new Set(
			postEvents.map(
				(e) =>
					mail({
						kind: e.event,
						data: { to: 'Planned', decision: 'hidden', role: 'author', idea: { title: 'X' } }
					}).subject
			)
		);
		expect(subjects.size).toBe(postEvents.length);
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

	it('invites to write a testimonial, quoting the personal message and linking to the invitation', () => {
		const m = testimonialInvitationMail({
			actorName: 'Tess',
			message: 'Would you say a few words?',
			url: 'https://site.test/testimonials/invitations/7',
			siteName: 'Acme'
		});
		expect(m.subject).toBe('Would you write a testimonial for Acme?');
		expect(m.blocks).toContainEqual({ kind: 'quote', text: 'Would you say a few words?' });
		expect(m.blocks).toContainEqual({
			kind: 'link',
			label: 'Write a testimonial',
			url: 'https://site.test/testimonials/invitations/7'
		});
		const plain = testimonialInvitationMail({
			actorName: null,
			message: null,
			url: 'https://site.test/t',
			siteName: 'Acme'
		});
		expect(plain.blocks.some((b) => b.kind === 'quote')).toBe(false);
	});

	it('is written in the recipient’s language when one is given', () => {
		const german = mail({ locale: 'de' });
		expect(german.subject).toBe('Bob hat auf Ihren Kommentar zu „Dark mode“ geantwortet');
		expect(text(german)).toContain(
			'Lesen und antworten https://site.test/ideas/1-dark-mode#comment-5'
		);
		const moderated = mail({
			kind: 'moderation',
			locale: 'de',
			comment: null,
			data: { decision: 'hidden', role: 'author', reason: 'Spam' }
		});
		expect(moderated.subject).toBe('Ein Moderator hat Ihre Idee „Dark mode“ ausgeblendet');
		expect(text(moderated)).toContain('Begründung: Spam');
		// Every kind has a German subject of its own, none left in English.
		for (const e of EMAIL_EVENTS) {
			const subject = mail({
				kind: e.event,
				locale: 'de',
				data: { to: 'Geplant', decision: 'hidden', role: 'author', idea: { title: 'X' } }
			}).subject;
			expect(subject).not.toMatch(/\b(your|replied|mentioned|commented|is now|moderator)\b/);
		}
	});
});

describe('challenge emails', () => {
	const challenge = { id: 3, title: 'Onboarding', path: '/challenges/3' };
	it('tells a winner their place and links to the challenge', () => {
		const won = mail({ kind: 'challenge_won', comment: null, data: { challenge, rank: 2 } });
		expect(won.subject).toBe('You won place 2 in the challenge “Onboarding”');
		expect(text(won)).toContain('Your idea “Dark mode” won place 2');
		expect(text(won)).toContain('See the winners https://site.test/challenges/3');
	});
	it('tells entrants and voters who won, and never links off the site', () => {
		const told = mail({
			kind: 'challenge_winners',
			comment: null,
			data: { challenge: { ...challenge, path: '//evil.test/x' } }
		});
		expect(told.subject).toBe('The winners of the challenge “Onboarding” are announced');
		expect(text(told)).toContain('first place went to “Dark mode”');
		expect(text(told)).not.toContain('evil.test');
	});
});
