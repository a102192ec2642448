// Form fields whose messages are read per request, so a person sees them in their language
// (a message evaluated when the schema is built would be frozen in one).
import { z } from 'zod';

/** A required text field with the message a person sees when it is missing. */
export function requiredField(missing: () => string) {
	return z.string({ error: missing }).trim().min(1, { error: missing });
}
