// The winners form as the staff page sends it: a place and a note per entry.
import { describe, expect, it } from 'vitest';
import { noteField, rankField, readWinnerPicks } from './index';

function form(fields: Record<string, string>): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		data.set(name, value);
	}
	return data;
}

describe('readWinnerPicks', () => {
	it('reads a place and a note for each picked entry, and skips entries with no place', () => {
		const read = readWinnerPicks(
			form({
				[rankField(7)]: '2',
				[noteField(7)]: '  Close second. ',
				[rankField(8)]: '',
				[noteField(8)]: 'ignored',
				[rankField(9)]: '1',
				[noteField(9)]: 'Best.',
				[rankField(99)]: '3'
			}),
			[7, 8, 9]
		);
		expect(read).toEqual({
			ok: true,
			picks: [
				{ postId: 7, rank: 2, note: 'Close second.' },
				{ postId: 9, rank: 1, note: 'Best.' }
			]
		});
	});

	it('refuses a place outside 1…10 with a message on that field', () => {
		for (const bad of ['0', '11', 'first', '1.5', '-1']) {
			expect(readWinnerPicks(form({ [rankField(7)]: bad }), [7]), bad).toEqual({
				ok: false,
				errors: { [rankField(7)]: 'Choose a place from 1 to 10, or none.' }
			});
		}
	});
});
