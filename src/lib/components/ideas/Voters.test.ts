// Who voted, as the idea page says it.
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Voters from './Voters.svelte';

const people = (...names: string[]) =>
	names.map((displayName) => ({ handle: displayName.toLowerCase(), displayName }));

const text = (voters: ReturnType<typeof people>, total: number) =>
	render(Voters, { props: { voters, total } })
		.body.replace(/<!--.*?-->/g, '')
		.replace(/<[^>]+>/g, '')
		.trim();

describe('Voters', () => {
	it('names one, two or a few voters', () => {
		expect(text(people('Ada'), 1)).toBe('Voted by Ada');
		expect(text(people('Ada', 'Ben'), 2)).toBe('Voted by Ada and Ben');
		expect(text(people('Ada', 'Ben', 'Cy'), 3)).toBe('Voted by Ada, Ben and Cy');
	});

	it('counts the voters it does not name', () => {
		expect(text(people('Ada', 'Ben'), 3)).toBe('Voted by Ada, Ben and 1 other');
		expect(text(people('Ada', 'Ben', 'Cy', 'Di', 'Ed'), 42)).toBe(
			'Voted by Ada, Ben, Cy, Di, Ed and 37 others'
		);
	});

	it('says nothing when nobody voted', () => {
		expect(text([], 0)).toBe('');
	});
});
