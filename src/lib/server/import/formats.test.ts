import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat, parseDate, parseImportFile, statusCategoryFor } from './formats';

const fixture = (name: string) => fs.readFileSync(`tests/fixtures/import/${name}`, 'utf8');

describe('our own format', () => {
	it('maps ideas, votes and comments, and reports bad rows by line', () => {
		const result = parseImportFile(
			[
				'type,id,idea_id,title,body,email,name,status,product,tags,created_at',
				'idea,1,,Dark mode,At night,Ada@Example.com,Ada,Planned,Console,"ui, night",2024-03-01T10:00:00Z',
				'vote,,1,,,bo@example.com,Bo,,,,2024-03-02',
				'comment,c1,1,,+1 from us,bo@example.com,Bo,,,,2024-03-03T08:00:00Z',
				'idea,2,,,No title,cy@example.com,,,,,',
				'vote,,1,,,not-an-email,,,,,',
				'poll,,,,,,,,,,'
			].join('\n')
		);
		if (!result.ok) {
			throw new Error(result.error);
		}
		expect(result.file.format).toBe('roundtable');
		const [idea, vote, comment, noTitle, badEmail, badType] = result.file.rows;
		expect(idea).toEqual({
			line: 2,
			mapping: {
				ok: true,
				row: {
					kind: 'idea',
					key: 'idea:1',
					title: 'Dark mode',
					body: 'At night',
					author: { email: 'ada@example.com', name: 'Ada' },
					status: 'Planned',
					product: 'Console',
					tags: ['ui', 'night'],
					createdAt: new Date('2024-03-01T10:00:00Z'),
					response: null
				}
			}
		});
		expect(vote!.mapping).toEqual({
			ok: true,
			row: {
				kind: 'vote',
				ideaKey: 'idea:1',
				voter: { email: 'bo@example.com', name: 'Bo' },
				createdAt: new Date('2024-03-02')
			}
		});
		expect(comment!.mapping).toMatchObject({
			ok: true,
			row: { kind: 'comment', key: 'comment:c1', ideaKey: 'idea:1', body: '+1 from us' }
		});
		expect(noTitle).toEqual({ line: 5, mapping: { ok: false, error: 'An idea needs a title.' } });
		expect(badEmail!.mapping).toEqual({
			ok: false,
			error: '“not-an-email” is not an email address.'
		});
		expect(badType!.mapping).toEqual({
			ok: false,
			error: 'type must be idea, vote or comment, not “poll”.'
		});
	});
});

describe('Canny', () => {
	it('maps a posts export', () => {
		const result = parseImportFile(fixture('canny-posts.csv'));
		if (!result.ok) {
			throw new Error(result.error);
		}
		expect(result.file).toMatchObject({ format: 'canny', variant: 'posts' });
		expect(result.file.rows[0]!.mapping).toMatchObject({
			ok: true,
			row: {
				kind: 'idea',
				key: 'idea:5f1a2b3c4d5e6f7a8b9c0d01',
				title: 'Slack integration',
				author: { email: 'dana@northwind.example', name: 'Dana Scully' },
				status: 'planned',
				product: 'Feature Requests',
				createdAt: new Date('2024-01-15T09:30:00.000Z')
			}
		});
	});

	it('maps votes and comments exports, linked to posts by Canny’s post id', () => {
		const votes = parseImportFile(fixture('canny-votes.csv'));
		if (!votes.ok) {
			throw new Error(votes.error);
		}
		expect(votes.file.variant).toBe('votes');
		expect(votes.file.rows[0]!.mapping).toMatchObject({
			ok: true,
			row: {
				kind: 'vote',
				ideaKey: 'idea:5f1a2b3c4d5e6f7a8b9c0d01',
				voter: { email: 'eve@contoso.example' }
			}
		});
		const comments = parseImportFile(fixture('canny-comments.csv'));
		if (!comments.ok) {
			throw new Error(comments.error);
		}
		expect(comments.file.variant).toBe('comments');
		expect(comments.file.rows[0]!.mapping).toMatchObject({
			ok: true,
			row: { kind: 'comment', key: 'comment:c01', ideaKey: 'idea:5f1a2b3c4d5e6f7a8b9c0d01' }
		});
	});
});

describe('Fider', () => {
	it('maps a posts export: name-only authors, responses, duplicates, and skips deleted posts', () => {
		const result = parseImportFile(fixture('fider-posts.csv'));
		if (!result.ok) {
			throw new Error(result.error);
		}
		expect(result.file).toMatchObject({ format: 'fider', variant: 'posts' });
		const [first, , duplicate, deleted] = result.file.rows;
		expect(first!.mapping).toMatchObject({
			ok: true,
			row: {
				key: 'idea:10',
				title: 'Go is fast',
				author: { email: null, name: 'Faceless' },
				status: 'declined',
				tags: ['easy', 'ignored'],
				response: {
					text: 'Nothing we need to do',
					by: 'John Snow',
					at: new Date('2018-04-04T19:48:10Z')
				}
			}
		});
		expect(duplicate!.mapping).toMatchObject({
			ok: true,
			row: {
				response: {
					text: 'This has already been suggested\n\nDuplicate of Fider post #10 (Go is fast).'
				}
			}
		});
		expect(deleted!.mapping).toEqual({ ok: 'skip', reason: 'Deleted in Fider: not imported.' });
	});
});

describe('details', () => {
	it('maps statuses to our categories', () => {
		expect(statusCategoryFor('Under Review')).toBe('under_review');
		expect(statusCategoryFor('in progress')).toBe('in_progress');
		expect(statusCategoryFor('started')).toBe('in_progress');
		expect(statusCategoryFor('complete')).toBe('done');
		expect(statusCategoryFor('duplicate')).toBe('closed');
		expect(statusCategoryFor('whatever')).toBeNull();
		expect(statusCategoryFor(null)).toBeNull();
	});

	it('accepts ISO dates only', () => {
		expect(parseDate('2024-05-31')).toEqual(new Date('2024-05-31'));
		expect(parseDate('2024-05-31 10:00:00 UTC')).toEqual(new Date('2024-05-31T10:00:00Z'));
		expect(parseDate('31/05/2024')).toBe('invalid');
		expect(parseDate('')).toBeNull();
	});

	it('refuses unknown columns and empty files', () => {
		expect(detectFormat(['foo', 'bar'])).toBeNull();
		expect(parseImportFile('a,b\n1,2')).toMatchObject({ ok: false });
		expect(parseImportFile('type,id,title\n')).toMatchObject({ ok: false });
		expect(parseImportFile(fixture('fider-posts.csv'), 'canny')).toMatchObject({ ok: false });
	});
});
