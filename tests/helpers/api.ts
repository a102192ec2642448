// Calls the API router directly (no server) and checks every answer against the OpenAPI
// document: the status must be one the operation documents, and the body must match that
// response's schema (ajv, JSON Schema 2020-12, formats checked). Operations are named by their
// operationId and addressed through the document, so the document's paths are exercised too.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { expect } from 'vitest';
import { apiRouter, openApi } from '$lib/server/api';
import { createApiToken } from '$lib/server/api/tokens';
import type { DatabaseHandle } from '$lib/server/db';
import { anonymous, type Actor, type ApiScope, type UserActor } from '$lib/server/policy';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validators = new Map<string, ValidateFunction>();

type Operation = {
	operationId: string;
	responses: Record<string, { content?: { 'application/json': { schema: object } } }>;
};

export function findOperation(operationId: string) {
	for (const [path, methods] of Object.entries(openApi().paths)) {
		for (const [method, op] of Object.entries(methods as Record<string, Operation>)) {
			if (op.operationId === operationId) {
				return { path, method: method.toUpperCase(), op };
			}
		}
	}
	throw new Error(`No operation ${operationId} in the OpenAPI document`);
}

function operationFor(method: string, pathname: string) {
	const path = pathname.replace(/^\/api\/v1/, '');
	for (const [template, methods] of Object.entries(openApi().paths)) {
		const pattern = new RegExp(
			`^${template.replace(/\{\w+\}/g, '[^/]+').replace(/\./g, '\\.')}/?$`
		);
		const op = (methods as Record<string, Operation>)[method.toLowerCase()];
		if (op && pattern.test(path)) {
			// A literal path beats a template (/ideas/search over /ideas/{id}).
			if (!template.includes('{')) {
				return op;
			}
			const literal = Object.entries(openApi().paths).find(
				([t, m]) =>
					!t.includes('{') && t === path && (m as Record<string, Operation>)[method.toLowerCase()]
			);
			return literal ? (literal[1] as Record<string, Operation>)[method.toLowerCase()]! : op;
		}
	}
	return null;
}

/** Fails the test unless `body` with `status` is what the document says the operation answers. */
export function expectDocumented(operation: Operation, status: number, body: unknown): void {
	const response = operation.responses[String(status)];
	expect(
		response,
		`${operation.operationId} does not document status ${status}: ${JSON.stringify(body)}`
	).toBeDefined();
	const schema = response!.content?.['application/json'].schema;
	if (!schema) {
		return;
	}
	const key = `${operation.operationId}:${status}`;
	let validate = validators.get(key);
	if (!validate) {
		validate = ajv.compile(schema);
		validators.set(key, validate);
	}
	const valid = validate(body);
	expect(
		valid,
		`${operation.operationId} ${status} body does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 2000)}`
	).toBe(true);
}

export interface ApiAnswer {
	status: number;
	headers: Headers;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

export interface CallOptions {
	params?: Record<string, string | number>;
	query?: Record<string, string | number | undefined>;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface ApiCaller {
	/** Calls an operation by its operationId. */
	op(operationId: string, options?: CallOptions): Promise<ApiAnswer>;
	/** A request by method and path (for what no operation is: a wrong method, a bad header). */
	raw(
		method: string,
		path: string,
		init?: { headers?: Record<string, string>; body?: string }
	): Promise<ApiAnswer>;
}

export function apiCaller(
	handle: () => DatabaseHandle,
	credential: { token?: string; session?: Actor } = {},
	requestsPerMinute = 10_000
): ApiCaller {
	async function send(
		method: string,
		url: string,
		init: { headers?: Record<string, string>; body?: string } = {}
	) {
		const headers: Record<string, string> = { ...init.headers };
		if (credential.token && !('authorization' in headers)) {
			headers.authorization = `Bearer ${credential.token}`;
		}
		const request = new Request(`http://localhost${url}`, { method, headers, body: init.body });
		const { db, pool } = handle();
		const response = await apiRouter.handle(request, {
			db,
			pool,
			sessionActor: credential.session ?? anonymous,
			requestsPerMinute
		});
		const text = await response.text();
		const body = text ? JSON.parse(text) : null;
		const operation = operationFor(method, new URL(url, 'http://localhost').pathname);
		if (operation) {
			expectDocumented(operation, response.status, body);
		} else {
			// Not an operation: still the one error shape.
			expect(body).toMatchObject({
				error: { code: expect.any(String), message: expect.any(String) }
			});
		}
		return { status: response.status, headers: response.headers, body };
	}
	return {
		async op(operationId, options = {}) {
			const { path, method } = findOperation(operationId);
			const filled = path.replace(/\{(\w+)\}/g, (_, name) =>
				encodeURIComponent(String(options.params?.[name]))
			);
			const search = new URLSearchParams();
			for (const [name, value] of Object.entries(options.query ?? {})) {
				if (value !== undefined) {
					search.set(name, String(value));
				}
			}
			const qs = search.toString();
			const hasBody = options.body !== undefined;
			return send(method, `/api/v1${filled}${qs ? `?${qs}` : ''}`, {
				headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
				body: hasBody ? JSON.stringify(options.body) : undefined
			});
		},
		raw: (method, path, init) => send(method, path, init)
	};
}

/** A token for `user` with `scopes`, made the way Settings makes one. */
export async function tokenFor(
	handle: () => DatabaseHandle,
	user: UserActor,
	scopes: ApiScope[] = ['read', 'write'],
	expires: 'never' | '7' | '30' | '90' | '365' = '90'
): Promise<string> {
	const created = await createApiToken(handle().db, user, {
		name: `test ${scopes.join('+')}`,
		scopes,
		expires
	});
	if (!created.ok) {
		throw new Error(`token not created: ${JSON.stringify(created)}`);
	}
	return created.token;
}
