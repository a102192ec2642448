// When a failed delivery is tried again. Seven attempts in all over about a day and a half, like
// the big providers: quick retries for a blip, slower ones for an outage.

/** Seconds to wait after failed attempt n (1-based) before attempt n + 1. */
export const RETRY_DELAYS_SECONDS = [60, 5 * 60, 30 * 60, 2 * 3600, 8 * 3600, 24 * 3600];
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/** The delay before the next attempt after `attempt` failed, or null when it was the last. */
export function retryDelaySeconds(attempt: number): number | null {
	if (!Number.isInteger(attempt) || attempt < 1 || attempt >= MAX_ATTEMPTS) {
		return null;
	}
	return RETRY_DELAYS_SECONDS[attempt - 1] ?? null;
}
