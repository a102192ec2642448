import { describe, expect, it } from 'vitest';
import { csatOf, npsGroup, npsOf } from './surveys';

describe('npsGroup', () => {
	it.each([
		[0, 'detractor'],
		[6, 'detractor'],
		[7, 'passive'],
		[8, 'passive'],
		[9, 'promoter'],
		[10, 'promoter']
	] as const)('%i is a %s', (score, group) => {
		expect(npsGroup(score)).toBe(group);
	});
});

describe('npsOf', () => {
	it('3 promoters, 1 passive, 2 detractors give 16.7', () => {
		expect(npsOf([10, 9, 9, 8, 3, 6])).toEqual({
			nps: 16.7,
			responses: 6,
			promoters: 3,
			passives: 1,
			detractors: 2
		});
	});

	it('runs from -100 to 100 and is null without answers', () => {
		expect(npsOf([0, 1]).nps).toBe(-100);
		expect(npsOf([10]).nps).toBe(100);
		expect(npsOf([]).nps).toBeNull();
	});
});

describe('csatOf', () => {
	it('counts 4 and 5 as satisfied: 3 of 4 is 75', () => {
		expect(csatOf([5, 4, 4, 2])).toEqual({ csat: 75, responses: 4, satisfied: 3 });
	});

	it('is null without answers and rounds to one decimal', () => {
		expect(csatOf([]).csat).toBeNull();
		expect(csatOf([5, 1, 1]).csat).toBe(33.3);
	});
});
