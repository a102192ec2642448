import { describe, expect, it } from 'vitest';
import { ideaPath } from './ideas';
import { parseIdeaId } from '$lib/server/ideas';

describe('ideaPath', () => {
	it('joins the id and a readable slug', () => {
		expect(ideaPath({ id: 42, title: 'Dark mode for dashboards!' })).toBe(
			'/ideas/42-dark-mode-for-dashboards'
		);
	});
	it('drops accents and symbols, and keeps the slug short', () => {
		expect(ideaPath({ id: 7, title: 'Café exports — CSV & Excel' })).toBe(
			'/ideas/7-cafe-exports-csv-excel'
		);
		expect(ideaPath({ id: 1, title: 'x'.repeat(200) }).length).toBeLessThanOrEqual(
			'/ideas/1-'.length + 60
		);
	});
	it('is just the id when the title has no letters or digits', () => {
		expect(ideaPath({ id: 9, title: '???' })).toBe('/ideas/9');
	});
});

describe('parseIdeaId', () => {
	it.each([
		['42', 42],
		['42-dark-mode', 42],
		['42-', 42]
	])('%s → %s', (param, id) => {
		expect(parseIdeaId(param)).toBe(id);
	});
	it.each(['', 'dark-mode', '-42', '42x', '1e3', '9'.repeat(20)])('refuses %j', (param) => {
		expect(parseIdeaId(param)).toBeNull();
	});
});
