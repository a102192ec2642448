import { describe, expect, it } from 'vitest';
import {
	consentStanding,
	invitationReason,
	mergeCandidates,
	publishBlock,
	TESTIMONIAL_CONSENT_VERSION,
	type CandidatePerson,
	type ReviewReason
} from './testimonials';

const at = (day: number) => new Date(Date.UTC(2026, 5, day));
const person = (id: number, askable = true): CandidatePerson => ({
	id,
	handle: `p${id}`,
	displayName: `Person ${id}`,
	company: null,
	askable
});
const review = (
	authorId: number,
	rating: number,
	day: number,
	postId = authorId * 10
): ReviewReason => ({
	postId,
	authorId,
	title: `Review ${postId}`,
	rating,
	product: null,
	at: at(day)
});

describe('mergeCandidates', () => {
	const people = [1, 2, 3, 4, 5, 6, 7].map((id) => person(id, id !== 7));
	const nps = (userId: number, score: number, day: number) => ({
		userId,
		score,
		reason: null,
		createdAt: at(day)
	});

	it('takes promoters (9, 10) and 4–5 star reviewers; not an 8, nor a 3-star review', () => {
		const result = mergeCandidates({
			people,
			latestNps: [nps(1, 9, 1), nps(2, 10, 2), nps(3, 8, 3)],
			reviews: [review(4, 4, 4), review(5, 5, 5), review(6, 3, 6)],
			excludedUserIds: new Set()
		});
		expect(result.map((c) => c.userId).sort()).toEqual([1, 2, 4, 5]);
	});

	it('leaves out people who may not be asked, or who are excluded', () => {
		const result = mergeCandidates({
			people,
			latestNps: [nps(7, 10, 1), nps(1, 10, 1)],
			reviews: [review(2, 5, 2)],
			excludedUserIds: new Set([2])
		});
		expect(result.map((c) => c.userId)).toEqual([1]);
	});

	it('puts both reasons on one row, best review first, newest reason first in the list', () => {
		const result = mergeCandidates({
			people,
			latestNps: [nps(1, 9, 1), nps(2, 10, 3)],
			reviews: [review(1, 4, 10, 11), review(1, 5, 2, 12)],
			excludedUserIds: new Set()
		});
		expect(result.map((c) => c.userId)).toEqual([1, 2]);
		expect(result[0]!.nps?.score).toBe(9);
		expect(result[0]!.reviews.map((r) => r.postId)).toEqual([12, 11]);
		expect(result[0]!.latestAt).toEqual(at(10));
	});
});

describe('invitationReason', () => {
	it('records the promoter score when there is one, else the best review', () => {
		const [withNps, reviewOnly] = mergeCandidates({
			people: [person(1), person(2)],
			latestNps: [{ userId: 1, score: 10, reason: null, createdAt: at(2) }],
			reviews: [review(2, 4, 1, 20), review(2, 5, 1, 21)],
			excludedUserIds: new Set()
		});
		expect(invitationReason(withNps!)).toEqual({ kind: 'nps', score: 10, postId: null });
		expect(invitationReason(reviewOnly!)).toEqual({ kind: 'review', score: 5, postId: 21 });
	});
});

describe('consentStanding and publishBlock', () => {
	const consent = {
		consentAt: at(1),
		consentVersion: TESTIMONIAL_CONSENT_VERSION,
		withdrawnAt: null as Date | null
	};
	it('stands when given to the current wording and not withdrawn', () => {
		expect(consentStanding(consent)).toBe(true);
		expect(consentStanding({ ...consent, withdrawnAt: at(2) })).toBe(false);
		expect(consentStanding({ ...consent, consentVersion: 'older' })).toBe(false);
		expect(consentStanding({ ...consent, consentAt: null, consentVersion: null })).toBe(false);
	});
	it('lets a submitted testimonial with consent be published, and says why not otherwise', () => {
		expect(publishBlock({ status: 'submitted', ...consent })).toBeNull();
		expect(publishBlock({ status: 'submitted', ...consent, consentAt: null })).toBe('no_consent');
		expect(publishBlock({ status: 'withdrawn', ...consent, withdrawnAt: at(3) })).toBe(
			'no_consent'
		);
		expect(publishBlock({ status: 'invited', ...consent })).toBe('not_submitted');
		expect(publishBlock({ status: 'published', ...consent })).toBe('already_published');
	});
});
