// The survey rules as pure functions, on fixed dates.
import { describe, expect, it } from 'vitest';
import {
	CSAT_OFFER_DAYS,
	MEANINGFUL_ACTS,
	hasMeaningfulActivity,
	isCsatOfferLive,
	npsDecision,
	scoreError,
	type NpsFacts
} from './eligibility';

const NOW = new Date('2026-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const rules = { intervalDays: 90, minAccountDays: 14 };
const facts = (over: Partial<NpsFacts> = {}): NpsFacts => ({
	accountCreatedAt: daysAgo(30),
	participationActs: MEANINGFUL_ACTS,
	lastAskedAt: null,
	...over
});

describe('npsDecision', () => {
	it('asks an active member of 30 days who was never asked', () => {
		expect(npsDecision(facts(), rules, NOW)).toEqual({ ask: true });
	});
	it('waits until the account is minAccountDays old (13 days no, 14 days yes)', () => {
		expect(npsDecision(facts({ accountCreatedAt: daysAgo(13) }), rules, NOW)).toEqual({
			ask: false,
			reason: 'too_new'
		});
		expect(npsDecision(facts({ accountCreatedAt: daysAgo(14) }), rules, NOW).ask).toBe(true);
		expect(
			npsDecision(facts({ accountCreatedAt: NOW }), { ...rules, minAccountDays: 0 }, NOW).ask
		).toBe(true);
	});
	it('needs three participation acts', () => {
		expect(npsDecision(facts({ participationActs: 2 }), rules, NOW)).toEqual({
			ask: false,
			reason: 'too_little_activity'
		});
		expect(npsDecision(facts({ participationActs: 0 }), rules, NOW).ask).toBe(false);
	});
	it('asks at most once per interval: 89 days after the last question no, 90 days yes', () => {
		expect(npsDecision(facts({ lastAskedAt: daysAgo(89) }), rules, NOW)).toEqual({
			ask: false,
			reason: 'asked_recently'
		});
		expect(npsDecision(facts({ lastAskedAt: daysAgo(90) }), rules, NOW).ask).toBe(true);
		expect(
			npsDecision(facts({ lastAskedAt: daysAgo(30) }), { ...rules, intervalDays: 30 }, NOW).ask
		).toBe(true);
	});
});

describe('hasMeaningfulActivity', () => {
	it('is the account age and the acts together', () => {
		expect(hasMeaningfulActivity(facts(), rules, NOW)).toBe(true);
		expect(hasMeaningfulActivity(facts({ participationActs: 2 }), rules, NOW)).toBe(false);
		expect(hasMeaningfulActivity(facts({ accountCreatedAt: daysAgo(1) }), rules, NOW)).toBe(false);
		// Being asked recently does not make the activity less meaningful.
		expect(hasMeaningfulActivity(facts({ lastAskedAt: daysAgo(1) }), rules, NOW)).toBe(true);
	});
});

describe('isCsatOfferLive', () => {
	it(`shows a CSAT question for ${CSAT_OFFER_DAYS} days`, () => {
		expect(isCsatOfferLive(daysAgo(0), NOW)).toBe(true);
		expect(isCsatOfferLive(daysAgo(CSAT_OFFER_DAYS - 1), NOW)).toBe(true);
		expect(isCsatOfferLive(daysAgo(CSAT_OFFER_DAYS), NOW)).toBe(false);
	});
});

describe('scoreError', () => {
	it('takes 0–10 for NPS and 1–5 for CSAT, whole numbers only', () => {
		expect(scoreError('nps', 0)).toBeNull();
		expect(scoreError('nps', 10)).toBeNull();
		expect(scoreError('nps', 11)).toBe('Choose a score from 0 to 10.');
		expect(scoreError('nps', -1)).not.toBeNull();
		expect(scoreError('nps', 7.5)).not.toBeNull();
		expect(scoreError('csat', 1)).toBeNull();
		expect(scoreError('csat', 5)).toBeNull();
		expect(scoreError('csat', 0)).toBe('Choose a score from 1 to 5.');
		expect(scoreError('csat', 6)).not.toBeNull();
	});
});
