// The vote panel as the server renders it (what a browser without JavaScript gets).
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import VotePanel from './VotePanel.svelte';

const base = {
	count: 3,
	voted: false,
	importance: null,
	open: true,
	canVote: true,
	signedIn: true,
	returnTo: '/ideas/7-dark-mode'
} as const;

function panel(props: Record<string, unknown> = {}) {
	const html = render(VotePanel, { props: { ...base, ...props } }).body;
	const text = html
		.replace(/<!--.*?-->/g, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return { html, text };
}

describe('VotePanel', () => {
	it('offers a member a Vote toggle, not pressed, with an optional importance', () => {
		const { html, text } = panel();
		expect(html).toMatch(/<button[^>]*formaction="\?\/vote"[^>]*aria-pressed="false"/);
		expect(html).toMatch(/<label for="vote-importance"[^>]*>Importance \(optional\)<\/label>/);
		expect(html).toMatch(/<select id="vote-importance" name="importance"/);
		expect(text).toBe(
			'3 votes ▲ Vote Importance (optional) Not set Nice to have Important Critical'
		);
	});

	it('shows a voter their vote pressed and their importance, and lets them change it', () => {
		const { html, text } = panel({ voted: true, importance: 'critical', count: 1 });
		expect(html).toMatch(/<button[^>]*formaction="\?\/unvote"[^>]*aria-pressed="true"/);
		expect(html).toMatch(/<option value="critical" selected/);
		expect(text).toMatch(/^1 vote Your vote: Critical ✓ Vote Importance .* Save importance$/);
	});

	it('sends a visitor to sign in and back to the idea', () => {
		const { html, text } = panel({ signedIn: false });
		expect(html).toContain('href="/login?next=%2Fideas%2F7-dark-mode"');
		expect(html).not.toContain('<form');
		expect(text).toBe('3 votes Sign in to vote');
	});

	it('says voting is closed and offers no button on a closed idea', () => {
		for (const signedIn of [true, false]) {
			const { html, text } = panel({ open: false, canVote: false, signedIn });
			expect(html).not.toContain('<button');
			expect(text).toBe('3 votes Voting is closed');
		}
		expect(panel({ open: false, canVote: false, voted: true }).text).toBe(
			'3 votes You voted Voting is closed'
		);
	});
});
