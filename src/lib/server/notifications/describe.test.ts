import { describe, expect, it } from 'vitest';
import { withLocale } from '../i18n';
import { describeNotification } from './index';

describe('describeNotification', () => {
	it('says what happened in English by default', () => {
		expect(describeNotification('reply', 'Ada Lovelace', 'Dark mode')).toBe(
			'Ada Lovelace replied to your comment on “Dark mode”'
		);
		expect(describeNotification('comment', null, null)).toBe('Someone commented on a deleted idea');
		expect(
			describeNotification('moderation', null, 'Dark mode', { decision: 'deleted', reason: 'Spam' })
		).toBe('A moderator deleted your “Dark mode”. Reason: Spam');
	});

	it('is built when read, in the reader’s language', () => {
		withLocale('de', () => {
			expect(describeNotification('reply', 'Ada Lovelace', 'Dark mode')).toBe(
				'Ada Lovelace hat auf Ihren Kommentar zu „Dark mode“ geantwortet'
			);
			expect(describeNotification('mention', null, null)).toBe(
				'Jemand hat Sie in einem Kommentar zu einer gelöschten Idee erwähnt'
			);
			expect(
				describeNotification(
					'moderation',
					null,
					'Dark mode',
					{ role: 'flagger', decision: 'hidden' },
					true
				)
			).toBe(
				'Ein Moderator hat Ihre Meldung zum Kommentar zu „Dark mode“ geprüft und ihn ausgeblendet. Vielen Dank.'
			);
			expect(describeNotification('status_change', 'Sam', 'Dark mode', { to: 'Planned' })).toBe(
				'Sam hat „Dark mode“ auf „Planned“ gesetzt'
			);
		});
	});
});
