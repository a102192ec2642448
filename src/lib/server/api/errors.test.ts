import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, domainFields, fieldMessages, postingRefusal } from './errors';

describe('API errors', () => {
	it('map each code to its status and one body shape', () => {
		const cases: [ConstructorParameters<typeof ApiError>[0], number][] = [
			['invalid_request', 400],
			['invalid_token', 401],
			['insufficient_scope', 403],
			['suspended', 403],
			['not_found', 404],
			['conflict', 409],
			['unprocessable', 422],
			['rate_limited', 429]
		];
		for (const [code, status] of cases) {
			const error = new ApiError(code, 'Why.');
			expect(error.status).toBe(status);
			expect(error.body()).toEqual({ error: { code, message: 'Why.' } });
		}
		expect(new ApiError('invalid_request', 'Bad.', { title: 'Too short.' }).body()).toEqual({
			error: { code: 'invalid_request', message: 'Bad.', fields: { title: 'Too short.' } }
		});
	});

	it('name each field by its path, first message only, whole-object issues under the prefix', () => {
		const schema = z
			.object({ title: z.string().min(3, 'Too short.'), tags: z.array(z.number()) })
			.refine(() => false, 'Never valid.');
		const result = schema.safeParse({ title: 'a', tags: [1, 'x'] });
		expect(result.success).toBe(false);
		const fields = fieldMessages(result.error!, 'body');
		expect(fields.title).toBe('Too short.');
		expect(Object.keys(fields)).toContain('tags.1');
		const whole = schema.safeParse({ title: 'abc', tags: [] });
		expect(fieldMessages(whole.error!, 'body')).toEqual({ body: 'Never valid.' });
	});

	it('drops empty domain errors and keeps the posting check’s status and Retry-After', () => {
		expect(domainFields({ body: 'Empty.', parent: undefined })).toEqual({ body: 'Empty.' });
		const limited = postingRefusal({
			status: 429,
			reason: 'rate',
			message: 'Slow down.',
			retryAfterSeconds: 42
		});
		expect(limited.status).toBe(429);
		expect(limited.headers['Retry-After']).toBe('42');
		expect(postingRefusal({ status: 403, reason: 'suspended', message: 'Suspended.' }).code).toBe(
			'suspended'
		);
		expect(postingRefusal({ status: 400, reason: 'links', message: 'No links.' }).body()).toEqual({
			error: { code: 'invalid_request', message: 'No links.', fields: { body: 'No links.' } }
		});
	});
});
