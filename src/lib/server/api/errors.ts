// Every API error has one shape, `{ "error": { "code", "message", "fields"? } }`, and the status
// that says what kind of failure it is. Handlers throw ApiError; the router writes it out.
import type { z } from 'zod';

export const ERROR_CODES = {
	invalid_request: 400,
	unauthorized: 401,
	invalid_token: 401,
	forbidden: 403,
	insufficient_scope: 403,
	suspended: 403,
	not_found: 404,
	method_not_allowed: 405,
	conflict: 409,
	unsupported_media_type: 415,
	unprocessable: 422,
	rate_limited: 429,
	internal: 500,
	unavailable: 503
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export type FieldMessages = Record<string, string>;

export interface ErrorBody {
	error: { code: ErrorCode; message: string; fields?: FieldMessages };
}

export class ApiError extends Error {
	readonly status: number;
	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly fields?: FieldMessages,
		readonly headers: Record<string, string> = {}
	) {
		super(message);
		this.name = 'ApiError';
		this.status = ERROR_CODES[code];
	}

	body(): ErrorBody {
		return {
			error: {
				code: this.code,
				message: this.message,
				...(this.fields && Object.keys(this.fields).length > 0 ? { fields: this.fields } : {})
			}
		};
	}
}

/**
 * One message per field, named by its path (`tags.2` for the third tag); an issue about the
 * whole object is filed under `prefix` (`body`, `query`).
 */
export function fieldMessages(error: z.ZodError, prefix: string): FieldMessages {
	const fields: FieldMessages = {};
	for (const issue of error.issues) {
		const name = issue.path.length > 0 ? issue.path.map(String).join('.') : prefix;
		fields[name] ??= issue.message;
	}
	return fields;
}

/** Domain field errors (`{ body: '…' }`, undefined entries dropped) as API field messages. */
export function domainFields(errors: Partial<Record<string, string | undefined>>): FieldMessages {
	const fields: FieldMessages = {};
	for (const [name, message] of Object.entries(errors)) {
		if (message) {
			fields[name] = message;
		}
	}
	return fields;
}

/** What the moderation posting check's refusal becomes: its status kept, its words too. */
export function postingRefusal(refusal: {
	status: 400 | 403 | 429;
	reason: string;
	message: string;
	retryAfterSeconds?: number;
}): ApiError {
	switch (refusal.status) {
		case 400:
			return new ApiError('invalid_request', refusal.message, { body: refusal.message });
		case 403:
			return new ApiError(
				refusal.reason === 'suspended' ? 'suspended' : 'forbidden',
				refusal.message
			);
		case 429:
			return new ApiError('rate_limited', refusal.message, undefined, {
				'Retry-After': String(refusal.retryAfterSeconds ?? 60)
			});
	}
}

export const notFound = (what: string) => new ApiError('not_found', `There is no such ${what}.`);
