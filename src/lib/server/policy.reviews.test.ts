// The review rules of policy.ts: one describe per rule, one case per role.
import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import {
	anonymous,
	canEditReview,
	canMarkHelpful,
	canReplyToReview,
	canSeeHiddenReviews,
	canTrackReview,
	canViewReview,
	canViewReviewHistory,
	canWriteReview,
	type ReviewFacts,
	type UserActor
} from './policy';

function user(role: Role, id = 1, suspendedUntil: Date | null = null): UserActor {
	return {
		kind: 'user',
		id,
		handle: `${role}_${id}`,
		displayName: role,
		email: `${role}${id}@example.com`,
		role,
		suspendedUntil
	};
}

const AUTHOR_ID = 7;
const review = (over: Partial<ReviewFacts> = {}): ReviewFacts => ({
	authorId: AUTHOR_ID,
	deleted: false,
	visibility: 'visible',
	...over
});
const suspended = user('member', 2, new Date(Date.now() + 86_400_000));

describe('canWriteReview', () => {
	it('lets members and staff review a product that is not archived', () => {
		for (const role of ['member', 'moderator', 'staff', 'admin'] as const) {
			expect(canWriteReview(user(role), { archived: false })).toBe(true);
		}
	});
	it('refuses visitors, suspended members and archived products', () => {
		expect(canWriteReview(anonymous, { archived: false })).toBe(false);
		expect(canWriteReview(suspended, { archived: false })).toBe(false);
		expect(canWriteReview(user('member'), { archived: true })).toBe(false);
	});
});

describe('canEditReview', () => {
	it('lets only the author edit, not staff, and not once deleted', () => {
		expect(canEditReview(user('member', AUTHOR_ID), review())).toBe(true);
		expect(canEditReview(user('member', 3), review())).toBe(false);
		expect(canEditReview(user('admin', 3), review())).toBe(false);
		expect(canEditReview(user('member', AUTHOR_ID), review({ deleted: true }))).toBe(false);
		expect(canEditReview(anonymous, review())).toBe(false);
	});
	it('refuses a suspended author', () => {
		expect(canEditReview(user('member', AUTHOR_ID, new Date(Date.now() + 60_000)), review())).toBe(
			false
		);
	});
});

describe('canViewReview', () => {
	it('shows a visible review to everyone', () => {
		expect(canViewReview(anonymous, review())).toBe(true);
		expect(canViewReview(user('member', 3), review())).toBe(true);
	});
	it('shows a hidden review only to its author and moderators', () => {
		const hidden = review({ visibility: 'hidden' });
		expect(canViewReview(anonymous, hidden)).toBe(false);
		expect(canViewReview(user('member', 3), hidden)).toBe(false);
		expect(canViewReview(user('member', AUTHOR_ID), hidden)).toBe(true);
		expect(canViewReview(user('moderator', 3), hidden)).toBe(true);
		expect(canViewReview(user('staff', 3), review({ visibility: 'pending' }))).toBe(true);
	});
	it('shows a deleted review to staff only', () => {
		const deleted = review({ deleted: true });
		expect(canViewReview(user('member', AUTHOR_ID), deleted)).toBe(false);
		expect(canViewReview(user('moderator', 3), deleted)).toBe(false);
		expect(canViewReview(user('staff', 3), deleted)).toBe(true);
	});
});

describe('canSeeHiddenReviews', () => {
	it('is for moderators, staff and admins', () => {
		expect(canSeeHiddenReviews(anonymous)).toBe(false);
		expect(canSeeHiddenReviews(user('member'))).toBe(false);
		expect(canSeeHiddenReviews(user('moderator'))).toBe(true);
		expect(canSeeHiddenReviews(user('staff'))).toBe(true);
		expect(canSeeHiddenReviews(user('admin'))).toBe(true);
	});
});

describe('canMarkHelpful', () => {
	it('lets other members mark a visible review helpful', () => {
		expect(canMarkHelpful(user('member', 3), review())).toBe(true);
		expect(canMarkHelpful(user('staff', 3), review())).toBe(true);
	});
	it('refuses the author, visitors, suspended members, hidden and deleted reviews', () => {
		expect(canMarkHelpful(user('member', AUTHOR_ID), review())).toBe(false);
		expect(canMarkHelpful(anonymous, review())).toBe(false);
		expect(canMarkHelpful(suspended, review())).toBe(false);
		expect(canMarkHelpful(user('member', 3), review({ visibility: 'hidden' }))).toBe(false);
		expect(canMarkHelpful(user('member', 3), review({ deleted: true }))).toBe(false);
	});
});

describe('canReplyToReview', () => {
	it('is for staff and admins', () => {
		expect(canReplyToReview(user('staff', 3), review())).toBe(true);
		expect(canReplyToReview(user('admin', 3), review())).toBe(true);
		expect(canReplyToReview(user('moderator', 3), review())).toBe(false);
		expect(canReplyToReview(user('member', 3), review())).toBe(false);
		expect(canReplyToReview(anonymous, review())).toBe(false);
	});
	it('not on a deleted review', () => {
		expect(canReplyToReview(user('staff', 3), review({ deleted: true }))).toBe(false);
	});
});

describe('canTrackReview', () => {
	it('is for staff and admins, on a review that exists', () => {
		expect(canTrackReview(user('staff', 3), review())).toBe(true);
		expect(canTrackReview(user('admin', 3), review())).toBe(true);
		expect(canTrackReview(user('moderator', 3), review())).toBe(false);
		expect(canTrackReview(user('member', AUTHOR_ID), review())).toBe(false);
		expect(canTrackReview(user('staff', 3), review({ deleted: true }))).toBe(false);
	});
});

describe('canViewReviewHistory', () => {
	it('is for staff and admins', () => {
		expect(canViewReviewHistory(user('staff'))).toBe(true);
		expect(canViewReviewHistory(user('admin'))).toBe(true);
		expect(canViewReviewHistory(user('moderator'))).toBe(false);
		expect(canViewReviewHistory(user('member'))).toBe(false);
		expect(canViewReviewHistory(anonymous)).toBe(false);
	});
});
