// Challenges' vocabulary shared by server and UI: the state a challenge is in at a moment, the
// order lists show them in, and the UTC date-time fields of the staff form. No server imports.

export const CHALLENGE_TITLE_MIN = 5;
export const CHALLENGE_TITLE_MAX = 200;
export const CHALLENGE_DESCRIPTION_MAX = 20_000;
export const CHALLENGE_PRIZES_MAX = 2_000;
export const WINNER_NOTE_MAX = 2_000;
/** Ranks offered when picking winners (1st … 10th). */
export const MAX_WINNERS = 10;

/** When a challenge takes entries: from `startsAt` (included) until `endsAt` (excluded). */
export interface ChallengeWindow {
	startsAt: Date;
	endsAt: Date;
}

export const CHALLENGE_STATES = ['upcoming', 'open', 'closed'] as const;
export type ChallengeState = (typeof CHALLENGE_STATES)[number];

export function challengeState(window: ChallengeWindow, now: Date = new Date()): ChallengeState {
	const t = now.getTime();
	if (t < window.startsAt.getTime()) {
		return 'upcoming';
	}
	return t < window.endsAt.getTime() ? 'open' : 'closed';
}

/**
 * The order lists show challenges in: open ones first, ending soonest first (they need answers
 * now); then upcoming ones, starting soonest first; then closed ones, most recently ended first.
 */
export function sortChallenges<T extends ChallengeWindow & { id: number }>(
	challenges: readonly T[],
	now: Date = new Date()
): T[] {
	const order: Record<ChallengeState, number> = { open: 0, upcoming: 1, closed: 2 };
	const key = (c: T): number => {
		switch (challengeState(c, now)) {
			case 'open':
				return c.endsAt.getTime();
			case 'upcoming':
				return c.startsAt.getTime();
			case 'closed':
				return -c.endsAt.getTime();
		}
	};
	return [...challenges].sort(
		(a, b) =>
			order[challengeState(a, now)] - order[challengeState(b, now)] ||
			key(a) - key(b) ||
			b.id - a.id
	);
}

export interface TimeLeft {
	days: number;
	hours: number;
	minutes: number;
}

/** Whole days, hours and minutes from `now` until `until` (all 0 once it has passed). */
export function timeLeft(until: Date, now: Date = new Date()): TimeLeft {
	const minutes = Math.max(0, Math.floor((until.getTime() - now.getTime()) / 60_000));
	return {
		days: Math.floor(minutes / 1440),
		hours: Math.floor((minutes % 1440) / 60),
		minutes: minutes % 60
	};
}

const UTC_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A `datetime-local` field's value (`2026-12-01T09:00`), read as UTC: the form says the times are
 * UTC, so the server never guesses a time zone. Null for anything else, or an impossible date.
 */
export function parseUtcDateTime(value: string): Date | null {
	const match = UTC_INPUT.exec(value.trim());
	if (!match) {
		return null;
	}
	const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
	const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
	const exact =
		date.getUTCFullYear() === y &&
		date.getUTCMonth() === mo! - 1 &&
		date.getUTCDate() === d &&
		date.getUTCHours() === h &&
		date.getUTCMinutes() === mi;
	return exact ? date : null;
}

/** The value a `datetime-local` field shows for a moment, in UTC, to the minute. */
export function toUtcInputValue(date: Date): string {
	return date.toISOString().slice(0, 16);
}

/** The public page of a challenge. */
export function challengePath(challenge: { id: number }): string {
	return `/challenges/${challenge.id}`;
}
