// Reads a submitted form through a zod schema into typed data or one message per field.
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';

export type FieldErrors = Partial<Record<string, string>>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Only the schema's fields are read, each as its first text value (or, for `lists`, all its
 * text values): a file, or a field the schema does not know, never reaches the domain.
 */
export function parseForm<S extends z.ZodType<unknown, Record<string, unknown>>>(
	form: FormData,
	schema: S,
	fields: readonly string[],
	lists: readonly string[] = []
): Parsed<z.output<S>> {
	const raw: Record<string, string | string[] | undefined> = {};
	for (const name of fields) {
		const value = form.get(name);
		raw[name] = typeof value === 'string' ? value : undefined;
	}
	for (const name of lists) {
		raw[name] = form.getAll(name).filter((v): v is string => typeof v === 'string');
	}
	const result = schema.safeParse(raw);
	if (result.success) {
		return { ok: true, data: result.data };
	}
	const errors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? 'form');
		errors[field] ??= issue.message;
	}
	return { ok: false, errors };
}

/** The submitted values that are safe to show again in the form (never a password). */
export function echo(form: FormData, fields: readonly string[]): Record<string, string> {
	const values: Record<string, string> = {};
	for (const name of fields) {
		const value = form.get(name);
		if (typeof value === 'string') {
			values[name] = value.slice(0, 500);
		}
	}
	return values;
}

/**
 * A required text field with the message a person sees when it is missing. Pass a function
 * (`() => m.x()`) so the message is in the language of each request.
 */
export function requiredText(missing: string | (() => string)) {
	const error = typeof missing === 'string' ? () => missing : missing;
	return z.string({ error }).trim().min(1, { error });
}

/** The HTTP status an error carries, looking through its causes (a body read wraps the stream's). */
function statusOf(error: unknown): number | undefined {
	for (let e = error; e instanceof Object; e = (e as { cause?: unknown }).cause) {
		const status = (e as { status?: unknown }).status;
		if (typeof status === 'number') {
			return status;
		}
	}
	return undefined;
}

/**
 * The request's form data. A body over BODY_SIZE_LIMIT is a 413; one that is not a readable
 * form is a 400, not a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch (cause) {
		if (statusOf(cause) === 413) {
			error(413, m.account_form_too_large());
		}
		error(400, m.account_form_unreadable());
	}
}
