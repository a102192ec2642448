import { describe, expect, it } from 'vitest';
import { QUOTE_MAX, discussionPath, percentOf, quoteMarkdown } from '$lib/domain/discussions';
import { parsePollOptions, threadSchema } from './threads';

describe('discussionPath', () => {
	it('puts the id and a slug of the title in the address', () => {
		expect(discussionPath({ id: 42, title: 'How do I share a dashboard?' })).toBe(
			'/discussions/42-how-do-i-share-a-dashboard'
		);
		expect(discussionPath({ id: 7, title: '¿¿??' })).toBe('/discussions/7');
	});
});

describe('quoteMarkdown', () => {
	const ada = { displayName: 'Ada', handle: 'ada' };
	it('quotes every line with attribution and leaves room to write under it', () => {
		expect(quoteMarkdown(ada, 'first\n\nsecond')).toBe('@ada wrote:\n\n> first\n>\n> second\n\n');
	});
	it('cuts a long reply', () => {
		const quoted = quoteMarkdown(ada, 'x'.repeat(QUOTE_MAX + 50));
		expect(quoted).toContain(`${'x'.repeat(QUOTE_MAX)}…`);
		expect(quoted).not.toContain('x'.repeat(QUOTE_MAX + 1));
	});
});

describe('percentOf', () => {
	it('rounds to whole percentages and is 0 with no ballots', () => {
		expect(percentOf(1, 3)).toBe(33);
		expect(percentOf(2, 3)).toBe(67);
		expect(percentOf(0, 0)).toBe(0);
	});
});

describe('parsePollOptions', () => {
	it('takes one option per line, dropping blanks and repeats in any case', () => {
		expect(parsePollOptions(' CSV \r\n\nParquet\ncsv\n  \nExcel')).toEqual([
			'CSV',
			'Parquet',
			'Excel'
		]);
	});
});

describe('threadSchema', () => {
	const base = { title: 'Weekly or monthly?', body: 'Which buckets?', category: '3' };
	it('takes a thread without a poll', () => {
		const parsed = threadSchema.safeParse(base);
		expect(parsed.success && parsed.data.pollQuestion).toBe('');
	});
	it('asks for 2 to 10 different options once a poll is started', () => {
		const one = threadSchema.safeParse({ ...base, pollQuestion: 'Which?', pollOptions: 'A\na' });
		expect(one.success).toBe(false);
		expect(one.error?.issues[0]?.path).toEqual(['pollOptions']);
		const eleven = Array.from({ length: 11 }, (_, i) => `Option ${i}`).join('\n');
		expect(
			threadSchema.safeParse({ ...base, pollQuestion: 'Which?', pollOptions: eleven }).success
		).toBe(false);
		expect(threadSchema.safeParse({ ...base, pollOptions: 'A\nB' }).error?.issues[0]?.path).toEqual(
			['pollQuestion']
		);
	});
	it('refuses a closing date in the past', () => {
		const parsed = threadSchema.safeParse({
			...base,
			pollQuestion: 'Which?',
			pollOptions: 'A\nB',
			pollClosesOn: '2020-01-01'
		});
		expect(parsed.error?.issues[0]?.path).toEqual(['pollClosesOn']);
	});
});
