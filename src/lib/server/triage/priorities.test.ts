import { describe, expect, it } from 'vitest';
import { prioritiesCsv, type PriorityRow } from './priorities';

describe('prioritiesCsv', () => {
	it('writes a header and one CRLF line per idea', () => {
		const row: PriorityRow = {
			id: 7,
			title: 'Export, "fast"',
			path: '/ideas/7-export-fast',
			product: 'Web',
			status: 'Open',
			category: 'open',
			votes: 3,
			companies: 2,
			demand: 1500,
			tiers: { platinum: 0, gold: 0, iron: 2, lead: 0, none: 1 },
			recent: 1
		};
		const csv = prioritiesCsv([row], 'https://rt.example');
		const lines = csv.split('\r\n');
		expect(lines[0]).toMatch(/^id,title,url,product,status,category,votes,companies,/);
		expect(lines[1]).toBe(
			'7,"Export, ""fast""",https://rt.example/ideas/7-export-fast,Web,Open,open,3,2,1500,0,0,2,0,1,1'
		);
		expect(lines[2]).toBe('');
	});
});
