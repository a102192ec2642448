import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { handleError } from './hooks.server';

function event(requestId: string) {
	return {
		locals: { requestId },
		request: new Request('http://localhost/ideas', { method: 'POST' }),
		url: new URL('http://localhost/ideas')
	} as unknown as RequestEvent;
}

describe('handleError', () => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	it('logs an unexpected error with the request id and shows the person only that id', () => {
		const log = vi.spyOn(console, 'error').mockImplementation(() => {});
		const failure = new Error('connection refused at 10.0.0.5');
		const shown = handleError({
			error: failure,
			event: event('req-123'),
			status: 500,
			message: 'Internal Error'
		});
		expect(shown).toEqual({ message: 'Something went wrong on our side.', id: 'req-123' });
		expect(JSON.stringify(shown)).not.toContain('10.0.0.5');
		expect(log).toHaveBeenCalledWith('[req-123] POST /ideas failed:', failure);
	});

	it('does not log a page that does not exist', () => {
		const log = vi.spyOn(console, 'error').mockImplementation(() => {});
		const shown = handleError({
			error: new Error('Not found: /nope'),
			event: event('req-404'),
			status: 404,
			message: 'Not Found'
		});
		expect(shown).toEqual({ message: 'Page not found', id: 'req-404' });
		expect(log).not.toHaveBeenCalled();
	});
});
