// The OpenAPI 3.1 document, generated from the operations themselves: their zod input schemas
// (io: 'input', what a client sends) and response schemas (io: 'output', what it gets back).
import { z } from 'zod';
import type { Endpoint } from './endpoint';
import { ERROR_CODES } from './errors';
import { errorSchema } from './schemas';
import { API_PREFIX } from './router';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
	const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
		target: 'draft-2020-12',
		io,
		unrepresentable: 'any',
		reused: 'inline'
	}) as JsonSchema;
	return rest;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
	400: 'The request is not valid: `fields` names each bad field with its message.',
	401: 'No valid token (or session, for reads that need a person).',
	403: 'The token lacks the scope, or the account may not do this (role, suspension).',
	404: 'There is no such thing, or the caller may not see it.',
	409: 'The thing is in a state that does not allow this (voting closed, thread locked…).',
	415: 'The body is not JSON.',
	422: 'Well-formed, but refers to something that does not exist or cannot take it.',
	429: 'Too many requests: wait `Retry-After` seconds.',
	500: 'Something went wrong on our side.',
	503: 'The database is unavailable for a moment (stopped, restarting): retry after `Retry-After` seconds.'
};

function errorResponse(status: number) {
	const codes = Object.entries(ERROR_CODES)
		.filter(([, s]) => s === status)
		.map(([code]) => code);
	const body = jsonSchema(errorSchema, 'output') as { properties: { error: JsonSchema } };
	const error = body.properties.error as { properties: { code: JsonSchema } };
	error.properties.code = { type: 'string', enum: codes };
	return {
		description: ERROR_DESCRIPTIONS[status] ?? 'An error.',
		...(status === 429 || status === 503
			? {
					headers: {
						'Retry-After': {
							description: 'Seconds to wait.',
							schema: { type: 'integer' }
						}
					}
				}
			: {}),
		content: { 'application/json': { schema: body } }
	};
}

const RATE_HEADERS = {
	'RateLimit-Limit': {
		description: 'Requests the token may make per minute.',
		schema: { type: 'integer' }
	},
	'RateLimit-Remaining': {
		description: 'Requests left in this minute.',
		schema: { type: 'integer' }
	},
	'RateLimit-Reset': {
		description: 'Seconds until the window resets.',
		schema: { type: 'integer' }
	}
};

function parameters(endpoint: Endpoint) {
	const list: JsonSchema[] = [];
	for (const [where, schema] of [
		['path', endpoint.params],
		['query', endpoint.query]
	] as const) {
		if (!schema) {
			continue;
		}
		const object = jsonSchema(schema, 'input') as {
			properties?: Record<string, JsonSchema>;
			required?: string[];
		};
		for (const [name, property] of Object.entries(object.properties ?? {})) {
			const { description, ...rest } = property;
			list.push({
				name,
				in: where,
				required: where === 'path' || (object.required ?? []).includes(name),
				...(description ? { description } : {}),
				schema: rest
			});
		}
	}
	return list;
}

/** A body whose fields are all optional may be left out (an empty body reads as `{}`). */
function isEmptyAllowed(body: z.ZodType): boolean {
	return body.safeParse({}).success;
}

function operation(endpoint: Endpoint) {
	const errors = new Set([401, 403, 429, 500, 503, ...(endpoint.errors ?? [])]);
	if (endpoint.body) {
		errors.add(400);
		errors.add(415);
	}
	const responses: Record<string, unknown> = {};
	for (const [status, spec] of Object.entries(endpoint.responses)) {
		responses[status] = {
			description: spec.description,
			...(endpoint.unmetered ? {} : { headers: RATE_HEADERS }),
			content: { 'application/json': { schema: jsonSchema(spec.schema, 'output') } }
		};
	}
	for (const status of [...errors].sort()) {
		responses[String(status)] = errorResponse(status);
	}
	const open = endpoint.scope === 'read' && !endpoint.signedIn;
	return {
		operationId: endpoint.operationId,
		summary: endpoint.summary,
		...(endpoint.description ? { description: endpoint.description } : {}),
		tags: [endpoint.tag],
		// Reads are open to anyone (a token adds what its person may see); the rest need a token.
		security: open ? [{}, { bearerToken: ['read'] }] : [{ bearerToken: [endpoint.scope] }],
		'x-scope': endpoint.scope,
		parameters: parameters(endpoint),
		...(endpoint.body
			? {
					requestBody: {
						required: !isEmptyAllowed(endpoint.body),
						content: { 'application/json': { schema: jsonSchema(endpoint.body, 'input') } }
					}
				}
			: {}),
		responses
	};
}

export function buildOpenApi(endpoints: readonly Endpoint[], siteName = 'Roundtable') {
	const paths: Record<string, Record<string, unknown>> = {};
	for (const endpoint of endpoints) {
		paths[endpoint.path] ??= {};
		paths[endpoint.path]![endpoint.method.toLowerCase()] = operation(endpoint);
	}
	return {
		openapi: '3.1.0',
		info: {
			title: `${siteName} API`,
			version: '1.0.0',
			description:
				'Ideas, votes, comments, reviews and discussions as JSON. Authenticate with a personal API token from Settings → API tokens: `Authorization: Bearer rt_…`. Lists are paged with an opaque `cursor` (pass `next_cursor` back); errors are `{ "error": { "code", "message", "fields"? } }`. See docs/api.md.'
		},
		servers: [{ url: API_PREFIX }],
		jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
		components: {
			securitySchemes: {
				bearerToken: {
					type: 'http',
					scheme: 'bearer',
					description:
						'A personal API token (rt_…). Scopes: read, write, staff (staff accounts only).'
				}
			}
		},
		paths
	};
}
