// The OpenAPI document: valid OpenAPI 3.1 by a real validator, every schema in it compiles, it
// describes what the router serves, and every operation it lists is called by an API test
// (whose answers the api helper checks against this document).
import fs from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { apiEndpoints, openApi } from '$lib/server/api';

const API_TESTS = [
	'tests/integration/api.test.ts',
	'tests/integration/api-customers.test.ts',
	'tests/integration/api-example.test.ts'
];

function operations() {
	return Object.entries(openApi().paths).flatMap(([p, methods]) =>
		Object.entries(methods as Record<string, Record<string, unknown>>).map(([method, op]) => ({
			path: p,
			method,
			op
		}))
	);
}

describe('the OpenAPI document', () => {
	it('is valid OpenAPI 3.1', async () => {
		const validator = new Validator();
		const result = await validator.validate(structuredClone(openApi()));
		expect(result.errors ?? [], JSON.stringify(result.errors, null, 1)).toEqual([]);
		expect(result.valid).toBe(true);
		expect(validator.version).toBe('3.1');
	});

	it('has schemas that compile as JSON Schema 2020-12, and one entry per operation', () => {
		const ajv = new Ajv2020({ strict: false });
		addFormats.default(ajv);
		const ids = new Set<string>();
		for (const { op } of operations()) {
			const operation = op as {
				operationId: string;
				parameters: { schema: object }[];
				requestBody?: { content: { 'application/json': { schema: object } } };
				responses: Record<string, { content?: { 'application/json': { schema: object } } }>;
			};
			expect(ids.has(operation.operationId)).toBe(false);
			ids.add(operation.operationId);
			for (const parameter of operation.parameters) {
				ajv.compile(parameter.schema);
			}
			if (operation.requestBody) {
				ajv.compile(operation.requestBody.content['application/json'].schema);
			}
			for (const response of Object.values(operation.responses)) {
				if (response.content) {
					ajv.compile(response.content['application/json'].schema);
				}
			}
		}
		expect(ids.size).toBe(apiEndpoints.length);
	});

	it('documents the input rules of the zod schemas (limits, required fields, enums)', () => {
		const paths = openApi().paths as Record<string, Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
		const create = paths['/ideas']!.post;
		const body = create.requestBody.content['application/json'].schema;
		expect(body.required).toEqual(expect.arrayContaining(['title', 'body', 'product']));
		expect(body.properties.title).toMatchObject({ type: 'string', minLength: 4, maxLength: 120 });
		const list = paths['/ideas']!.get;
		const sort = list.parameters.find((p: { name: string }) => p.name === 'sort');
		expect(sort.schema.enum).toEqual(['trending', 'top', 'newest', 'discussed']);
		expect(sort.required).toBe(false);
		expect(list.security).toEqual([{}, { bearerToken: ['read'] }]);
		expect(create.security).toEqual([{ bearerToken: ['write'] }]);
		expect(Object.keys(create.responses)).toEqual(
			expect.arrayContaining(['201', '400', '401', '403', '415', '422', '429'])
		);
		expect(create.responses['429'].headers).toHaveProperty('Retry-After');
	});

	it('lists no operation that no API test calls', () => {
		const source = API_TESTS.map((file) => fs.readFileSync(path.resolve(file), 'utf8')).join('\n');
		const untested = operations()
			.map(({ op }) => (op as { operationId: string }).operationId)
			.filter((id) => !new RegExp(`\\.op\\(\\s*'${id}'`).test(source));
		expect(untested, 'operations without a test calling them through the api helper').toEqual([]);
	});
});
