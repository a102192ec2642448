import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken, verifyUnsubscribeToken } from './links';

const SECRET = 'a test secret that is long enough to sign';

describe('unsubscribe tokens', () => {
	it('round-trips the account and the email type', () => {
		const token = signUnsubscribeToken(SECRET, 42, 'digest');
		expect(token).toMatch(/^42\.digest\.[A-Za-z0-9_-]{43}$/);
		expect(verifyUnsubscribeToken(SECRET, token)).toEqual({ userId: 42, topic: 'digest' });
	});

	it('refuses a token changed in any part, or signed with another secret', () => {
		const token = signUnsubscribeToken(SECRET, 42, 'reply');
		const sig = token.split('.')[2]!;
		for (const forged of [
			`43.reply.${sig}`,
			`42.mention.${sig}`,
			`42.reply.${sig.slice(1)}`,
			`42.reply.${sig}x`,
			`42.reply.${sig.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}`,
			`42.nonsense.${sig}`,
			`-1.reply.${sig}`,
			'',
			signUnsubscribeToken('another secret, also long enough', 42, 'reply')
		]) {
			expect(verifyUnsubscribeToken(SECRET, forged), forged).toBeNull();
		}
	});
});
