// The testimonial rules of policy.ts: one describe per rule, one case per role.
import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import {
	anonymous,
	canBeAskedForTestimonial,
	canManageTestimonials,
	canPublishTestimonial,
	canUnpublishTestimonial,
	canViewPublishedTestimonials,
	canViewTestimonialInvitation,
	canWithdrawTestimonialConsent,
	canWriteTestimonial,
	type TestimonialFacts,
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

const NOW = new Date('2026-06-01T12:00:00Z');
const LATER = new Date('2026-06-02T00:00:00Z');
const testimonial = (over: Partial<TestimonialFacts> = {}): TestimonialFacts => ({
	userId: 1,
	status: 'submitted',
	consentStanding: true,
	...over
});

describe('canManageTestimonials', () => {
	it('lets staff and admins manage testimonials', () => {
		expect(canManageTestimonials(user('staff'), NOW)).toBe(true);
		expect(canManageTestimonials(user('admin'), NOW)).toBe(true);
	});
	it('refuses members, moderators, visitors and suspended staff', () => {
		expect(canManageTestimonials(user('member'), NOW)).toBe(false);
		expect(canManageTestimonials(user('moderator'), NOW)).toBe(false);
		expect(canManageTestimonials(anonymous, NOW)).toBe(false);
		expect(canManageTestimonials(user('staff', 1, LATER), NOW)).toBe(false);
	});
});

describe('canBeAskedForTestimonial', () => {
	it('asks members and moderators (customers)', () => {
		expect(canBeAskedForTestimonial({ role: 'member', suspendedUntil: null }, NOW)).toBe(true);
		expect(canBeAskedForTestimonial({ role: 'moderator', suspendedUntil: null }, NOW)).toBe(true);
	});
	it('never asks staff or admins', () => {
		expect(canBeAskedForTestimonial({ role: 'staff', suspendedUntil: null }, NOW)).toBe(false);
		expect(canBeAskedForTestimonial({ role: 'admin', suspendedUntil: null }, NOW)).toBe(false);
	});
	it('does not ask a suspended member, and asks again once the suspension is over', () => {
		expect(canBeAskedForTestimonial({ role: 'member', suspendedUntil: LATER }, NOW)).toBe(false);
		expect(
			canBeAskedForTestimonial({ role: 'member', suspendedUntil: new Date('2026-05-01Z') }, NOW)
		).toBe(true);
	});
});

describe('canViewTestimonialInvitation', () => {
	it('lets the invited member see it', () => {
		expect(canViewTestimonialInvitation(user('member', 1), testimonial())).toBe(true);
	});
	it('refuses every other role and person, staff included, and visitors', () => {
		for (const role of ['member', 'moderator', 'staff', 'admin'] as const) {
			expect(canViewTestimonialInvitation(user(role, 2), testimonial())).toBe(false);
		}
		expect(canViewTestimonialInvitation(anonymous, testimonial())).toBe(false);
	});
});

describe('canWriteTestimonial', () => {
	it('lets the invited member write', () => {
		expect(canWriteTestimonial(user('member', 1), testimonial(), NOW)).toBe(true);
	});
	it('refuses anyone else and the member while suspended', () => {
		expect(canWriteTestimonial(user('member', 2), testimonial(), NOW)).toBe(false);
		expect(canWriteTestimonial(user('admin', 2), testimonial(), NOW)).toBe(false);
		expect(canWriteTestimonial(anonymous, testimonial(), NOW)).toBe(false);
		expect(canWriteTestimonial(user('member', 1, LATER), testimonial(), NOW)).toBe(false);
	});
});

describe('canWithdrawTestimonialConsent', () => {
	it('lets the member withdraw a standing consent, suspended or not', () => {
		expect(canWithdrawTestimonialConsent(user('member', 1), testimonial())).toBe(true);
		expect(canWithdrawTestimonialConsent(user('member', 1, LATER), testimonial())).toBe(true);
	});
	it('has nothing to withdraw without consent', () => {
		expect(
			canWithdrawTestimonialConsent(user('member', 1), testimonial({ consentStanding: false }))
		).toBe(false);
	});
	it('refuses anyone else, staff included', () => {
		expect(canWithdrawTestimonialConsent(user('staff', 2), testimonial())).toBe(false);
		expect(canWithdrawTestimonialConsent(anonymous, testimonial())).toBe(false);
	});
});

describe('canPublishTestimonial', () => {
	it('lets staff and admins publish a submitted testimonial with standing consent', () => {
		expect(canPublishTestimonial(user('staff', 2), testimonial(), NOW)).toBe(true);
		expect(canPublishTestimonial(user('admin', 2), testimonial(), NOW)).toBe(true);
	});
	it('refuses without consent, before it is written, or when already published', () => {
		const staff = user('staff', 2);
		expect(canPublishTestimonial(staff, testimonial({ consentStanding: false }), NOW)).toBe(false);
		expect(canPublishTestimonial(staff, testimonial({ status: 'invited' }), NOW)).toBe(false);
		expect(canPublishTestimonial(staff, testimonial({ status: 'published' }), NOW)).toBe(false);
		expect(
			canPublishTestimonial(
				staff,
				testimonial({ status: 'withdrawn', consentStanding: false }),
				NOW
			)
		).toBe(false);
	});
	it('refuses members (the author too), moderators and visitors', () => {
		expect(canPublishTestimonial(user('member', 1), testimonial(), NOW)).toBe(false);
		expect(canPublishTestimonial(user('moderator', 2), testimonial(), NOW)).toBe(false);
		expect(canPublishTestimonial(anonymous, testimonial(), NOW)).toBe(false);
	});
});

describe('canUnpublishTestimonial', () => {
	it('lets staff unpublish a published testimonial only', () => {
		expect(
			canUnpublishTestimonial(user('staff', 2), testimonial({ status: 'published' }), NOW)
		).toBe(true);
		expect(canUnpublishTestimonial(user('staff', 2), testimonial(), NOW)).toBe(false);
	});
	it('refuses members and visitors', () => {
		expect(
			canUnpublishTestimonial(user('member', 1), testimonial({ status: 'published' }), NOW)
		).toBe(false);
		expect(canUnpublishTestimonial(anonymous, testimonial({ status: 'published' }), NOW)).toBe(
			false
		);
	});
});

describe('canViewPublishedTestimonials', () => {
	it('lets everyone read the public page', () => {
		expect(canViewPublishedTestimonials(anonymous)).toBe(true);
		expect(canViewPublishedTestimonials(user('member'))).toBe(true);
	});
});
