import { describe, expect, it } from 'vitest';
import {
	applyStoredPreferences,
	defaultEmailPreferences,
	EMAIL_EVENTS,
	isUnsubscribeTopic,
	topicLabel
} from './email';

describe('email preferences', () => {
	it('defaults to immediate email for what is addressed to you, not for every comment', () => {
		const prefs = defaultEmailPreferences();
		expect(prefs.events).toEqual({
			status_change: true,
			official_reply: true,
			reply: true,
			mention: true,
			answer_accepted: true,
			help_reply: true,
			review_followup: true,
			moderation: true,
			challenge_won: true,
			challenge_winners: true,
			testimonial_invitation: true,
			comment: false
		});
		expect(prefs.digest).toBe(true);
	});

	it('covers every notification kind the brief lists', () => {
		expect(EMAIL_EVENTS.map((e) => e.event).sort()).toEqual(
			[
				'answer_accepted',
				'challenge_winners',
				'challenge_won',
				'comment',
				'help_reply',
				'mention',
				'moderation',
				'official_reply',
				'reply',
				'review_followup',
				'status_change',
				'testimonial_invitation'
			].sort()
		);
	});

	it('lays stored choices over the defaults and ignores events it does not know', () => {
		const prefs = applyStoredPreferences([
			{ event: 'reply', enabled: false },
			{ event: 'comment', enabled: true },
			{ event: 'digest', enabled: false },
			{ event: 'retired_kind', enabled: true }
		]);
		expect(prefs.events.reply).toBe(false);
		expect(prefs.events.comment).toBe(true);
		expect(prefs.events.mention).toBe(true);
		expect(prefs.digest).toBe(false);
		expect(Object.keys(prefs.events)).not.toContain('retired_kind');
	});

	it('names what an unsubscribe link stops', () => {
		expect(isUnsubscribeTopic('digest')).toBe(true);
		expect(isUnsubscribeTopic('mention')).toBe(true);
		expect(isUnsubscribeTopic('everything')).toBe(false);
		expect(isUnsubscribeTopic(undefined)).toBe(false);
		expect(topicLabel('digest')).toBe('The weekly digest');
		expect(topicLabel('official_reply')).toBe('Official replies');
	});
});
