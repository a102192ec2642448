import { describe, expect, it } from 'vitest';
import { postPath } from './posts';

describe('postPath', () => {
	const post = { id: 42, title: 'Dark mode, please!' };

	it('sends each kind of post to its own page', () => {
		expect(postPath('idea', post)).toBe('/ideas/42-dark-mode-please');
		expect(postPath('review', post)).toBe('/reviews/42');
		expect(postPath('discussion', post)).toBe('/discussions/42-dark-mode-please');
	});
});
