// The customer and survey rules of policy.ts: one describe per rule, one case per role.
import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import {
	anonymous,
	canAnswerSurvey,
	canBeSurveyed,
	canViewCustomers,
	canViewSurveyResults,
	type SurveyOfferFacts,
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
const suspended = user('member', 1, new Date('2026-06-02T00:00:00Z'));
const offer = (over: Partial<SurveyOfferFacts> = {}): SurveyOfferFacts => ({
	userId: 1,
	answered: false,
	dismissed: false,
	...over
});

describe('canViewCustomers', () => {
	it('lets staff and admins view customer data', () => {
		expect(canViewCustomers(user('staff'))).toBe(true);
		expect(canViewCustomers(user('admin'))).toBe(true);
	});
	it('refuses members, moderators and visitors', () => {
		expect(canViewCustomers(user('member'))).toBe(false);
		expect(canViewCustomers(user('moderator'))).toBe(false);
		expect(canViewCustomers(anonymous)).toBe(false);
	});
});

describe('canViewSurveyResults', () => {
	it('follows canViewCustomers for every role', () => {
		for (const role of ['member', 'moderator', 'staff', 'admin'] as const) {
			expect(canViewSurveyResults(user(role))).toBe(canViewCustomers(user(role)));
		}
		expect(canViewSurveyResults(anonymous)).toBe(false);
	});
});

describe('canBeSurveyed', () => {
	it('asks members', () => {
		expect(canBeSurveyed(user('member'), NOW)).toBe(true);
	});
	it('never asks moderators, staff, admins or visitors', () => {
		expect(canBeSurveyed(user('moderator'), NOW)).toBe(false);
		expect(canBeSurveyed(user('staff'), NOW)).toBe(false);
		expect(canBeSurveyed(user('admin'), NOW)).toBe(false);
		expect(canBeSurveyed(anonymous, NOW)).toBe(false);
	});
	it('does not ask a suspended member, but does once the suspension has ended', () => {
		expect(canBeSurveyed(suspended, NOW)).toBe(false);
		expect(canBeSurveyed(suspended, new Date('2026-06-03T00:00:00Z'))).toBe(true);
	});
});

describe('canAnswerSurvey', () => {
	it('lets the member answer their own open question', () => {
		expect(canAnswerSurvey(user('member'), offer(), NOW)).toBe(true);
	});
	it("refuses someone else's question, whatever their role", () => {
		expect(canAnswerSurvey(user('member', 2), offer(), NOW)).toBe(false);
		expect(canAnswerSurvey(user('admin', 2), offer(), NOW)).toBe(false);
		expect(canAnswerSurvey(anonymous, offer(), NOW)).toBe(false);
	});
	it('refuses a question already answered or dismissed', () => {
		expect(canAnswerSurvey(user('member'), offer({ answered: true }), NOW)).toBe(false);
		expect(canAnswerSurvey(user('member'), offer({ dismissed: true }), NOW)).toBe(false);
	});
	it('refuses a suspended member', () => {
		expect(canAnswerSurvey(suspended, offer(), NOW)).toBe(false);
	});
});
