// The help area's server-side messages (form errors, refusals), evaluated per request so they
// speak the request's language.
import { formatNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';

export const helpMessages = {
	subjectMissing: () => m.help_error_subject_missing(),
	subjectTooShort: (min: number) => m.help_error_subject_short({ min: formatNumber(min) }),
	subjectTooLong: (max: number) => m.help_error_subject_long({ max: formatNumber(max) }),
	bodyMissing: () => m.help_error_body_missing(),
	bodyTooLong: (max: number) => m.help_error_body_long({ max: formatNumber(max) }),
	productUnknown: () => m.help_error_product(),
	kindUnknown: () => m.help_error_kind(),
	alreadyConverted: () => m.help_error_already(),
	notFound: () => m.help_not_found(),
	forbidden: () => m.help_error_forbidden(),
	/** Over the new-thread limit: retry in whole minutes (the window is an hour). */
	tooManyThreads: (retryAfterSeconds: number) =>
		m.help_error_too_many_threads({
			minutes: formatNumber(Math.max(1, Math.ceil(retryAfterSeconds / 60)))
		}),
	/** Over the per-minute message limit. */
	tooManyMessages: (retryAfterSeconds: number) =>
		m.help_error_too_many_messages({ seconds: formatNumber(retryAfterSeconds) })
};
