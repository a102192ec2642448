// The /api/v1 front door: finds the operation, authenticates (bearer token, or for reads the
// browser session), applies the token's rate limit and scopes, validates path, query and body with
// the operation's zod schemas, and turns whatever happens into JSON with the right status.
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { z } from 'zod';
import type { Db } from '../db';
import { anonymous, canUseApiScope, type Actor } from '../policy';
import { authenticateApiToken } from './tokens';
import type { Credential, Endpoint } from './endpoint';
import { ApiError, fieldMessages } from './errors';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../db/unavailable';
import { m } from '$lib/paraglide/messages';

export const API_PREFIX = '/api/v1';

export interface ApiEnvironment {
	db: Db;
	pool: pg.Pool;
	/** The browser session's person (hooks.server.ts), used for reads without a token. */
	sessionActor: Actor;
	/** Requests a token may make per minute. */
	requestsPerMinute: number;
}

interface Route {
	endpoint: Endpoint;
	pattern: RegExp;
	names: string[];
}

function compile(endpoint: Endpoint): Route {
	const names: string[] = [];
	const source = endpoint.path
		.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
		.replace(/\\?\{(\w+)\\?\}/g, (_, name) => {
			names.push(name);
			return '([^/]+)';
		});
	return { endpoint, pattern: new RegExp(`^${source}/?$`), names };
}

export class ApiRouter {
	private readonly routes: Route[];

	constructor(readonly endpoints: readonly Endpoint[]) {
		// Literal paths win over parameters: `/ideas/search` is not the idea "search".
		this.routes = endpoints.map(compile).sort((a, b) => a.names.length - b.names.length);
	}

	match(method: string, path: string) {
		const allowed = new Set<string>();
		for (const route of this.routes) {
			const found = route.pattern.exec(path);
			if (!found) {
				continue;
			}
			if (route.endpoint.method !== method) {
				allowed.add(route.endpoint.method);
				continue;
			}
			const params: Record<string, string> = {};
			route.names.forEach((name, i) => {
				params[name] = decodeURIComponent(found[i + 1]!);
			});
			return { endpoint: route.endpoint, params };
		}
		return { endpoint: null, allowed: [...allowed] };
	}

	async handle(request: Request, env: ApiEnvironment): Promise<Response> {
		const url = new URL(request.url);
		try {
			const path = url.pathname.slice(API_PREFIX.length) || '/';
			const found = this.match(request.method, path);
			if (!found.endpoint) {
				if ('allowed' in found && found.allowed.length > 0) {
					throw new ApiError(
						'method_not_allowed',
						`Use ${found.allowed.join(' or ')} here.`,
						undefined,
						{ Allow: found.allowed.join(', ') }
					);
				}
				throw new ApiError(
					'not_found',
					'There is no such API operation. See /api/v1/openapi.json.'
				);
			}
			return await this.run(found.endpoint, found.params, request, url, env);
		} catch (caught) {
			return errorResponse(caught);
		}
	}

	private async run(
		endpoint: Endpoint,
		rawParams: Record<string, string>,
		request: Request,
		url: URL,
		env: ApiEnvironment
	): Promise<Response> {
		const { actor, credential } = await authenticate(request, env);
		const headers: Record<string, string> = {};
		if (credential.kind === 'token' && !endpoint.unmetered) {
			Object.assign(headers, await meter(env, credential.tokenId));
		}
		authorizeScope(endpoint, actor, credential);

		const params = parse(endpoint.params, rawParams, 'path');
		const query = parse(endpoint.query, queryObject(url, endpoint.query), 'query');
		const body = endpoint.body ? parse(endpoint.body, await readJson(request), 'body') : {};

		const result = await endpoint.handle({
			db: env.db,
			pool: env.pool,
			actor,
			credential,
			params,
			query,
			body,
			url
		} as Parameters<Endpoint['handle']>[0]);
		return json(result.status, result.body, { ...headers, ...result.headers });
	}
}

function bearerOf(request: Request): string | null {
	const header = request.headers.get('authorization');
	if (header === null) {
		return null;
	}
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
	if (!match) {
		throw new ApiError(
			'invalid_token',
			'Send the token as "Authorization: Bearer rt_…".',
			undefined,
			{
				'WWW-Authenticate': 'Bearer error="invalid_request"'
			}
		);
	}
	return match[1]!;
}

/**
 * A bearer token is the credential when one is sent (and must then be valid). Without one, a
 * read may use the browser session (the new-idea form asks for similar ideas as you type); a
 * write never does, so a page on another site cannot make a signed-in browser write.
 */
async function authenticate(
	request: Request,
	env: ApiEnvironment
): Promise<{ actor: Actor; credential: Credential }> {
	const token = bearerOf(request);
	if (token !== null) {
		const found = await authenticateApiToken(env.db, token);
		if (!found) {
			throw new ApiError(
				'invalid_token',
				'The token is not valid: it may be mistyped, expired or revoked.',
				undefined,
				{ 'WWW-Authenticate': 'Bearer error="invalid_token"' }
			);
		}
		return {
			actor: found.actor,
			credential: { kind: 'token', tokenId: found.id, scopes: found.scopes }
		};
	}
	if (request.method === 'GET' && env.sessionActor.kind === 'user') {
		return { actor: env.sessionActor, credential: { kind: 'session' } };
	}
	return { actor: anonymous, credential: { kind: 'none' } };
}

function authorizeScope(endpoint: Endpoint, actor: Actor, credential: Credential): void {
	const needsPerson = endpoint.signedIn || endpoint.scope !== 'read';
	if (
		needsPerson &&
		credential.kind !== 'token' &&
		!(endpoint.scope === 'read' && actor.kind === 'user')
	) {
		throw new ApiError(
			'unauthorized',
			endpoint.scope === 'read'
				? 'Sign in, or send a personal API token as "Authorization: Bearer rt_…".'
				: 'Send a personal API token as "Authorization: Bearer rt_…" (create one in Settings → API tokens). Browser sessions cannot write through the API.',
			undefined,
			{ 'WWW-Authenticate': 'Bearer' }
		);
	}
	if (!canUseApiScope(credential, endpoint.scope)) {
		throw new ApiError(
			'insufficient_scope',
			`This token lacks the "${endpoint.scope}" scope. Create a token with it in Settings → API tokens.`,
			undefined,
			{ 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${endpoint.scope}"` }
		);
	}
}

const limiters = new WeakMap<pg.Pool, Map<number, RateLimiterPostgres>>();

function tokenLimiter(pool: pg.Pool, points: number): RateLimiterPostgres {
	let byPoints = limiters.get(pool);
	if (!byPoints) {
		byPoints = new Map();
		limiters.set(pool, byPoints);
	}
	let limiter = byPoints.get(points);
	if (!limiter) {
		limiter = new RateLimiterPostgres({
			storeClient: pool,
			storeType: 'pool',
			tableName: 'rate_limit',
			tableCreated: true,
			keyPrefix: 'api-token',
			points,
			duration: 60,
			clearExpiredByTimeout: false
		});
		byPoints.set(points, limiter);
	}
	return limiter;
}

/** Counts the request against its token; the RateLimit-* headers say where it stands. */
async function meter(env: ApiEnvironment, tokenId: number): Promise<Record<string, string>> {
	const limiter = tokenLimiter(env.pool, env.requestsPerMinute);
	const headersOf = (res: RateLimiterRes) => ({
		'RateLimit-Limit': String(env.requestsPerMinute),
		'RateLimit-Remaining': String(Math.max(0, res.remainingPoints)),
		'RateLimit-Reset': String(Math.max(1, Math.ceil(res.msBeforeNext / 1000)))
	});
	try {
		return headersOf(await limiter.consume(`token:${tokenId}`));
	} catch (rejection) {
		if (!(rejection instanceof RateLimiterRes)) {
			throw rejection;
		}
		const retry = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
		throw new ApiError(
			'rate_limited',
			`This token made more than ${env.requestsPerMinute} requests in a minute. Try again in ${retry} seconds.`,
			undefined,
			{ ...headersOf(rejection), 'Retry-After': String(retry) }
		);
	}
}

/** The query string as an object: one value per known name (the last wins), unknown names dropped. */
function queryObject(url: URL, schema: z.ZodObject<z.ZodRawShape> | undefined) {
	const raw: Record<string, string> = {};
	for (const name of Object.keys(schema?.shape ?? {})) {
		const value = url.searchParams.get(name);
		if (value !== null) {
			raw[name] = value;
		}
	}
	return raw;
}

function parse(schema: z.ZodType | undefined, raw: unknown, where: 'path' | 'query' | 'body') {
	if (!schema) {
		return {};
	}
	const result = schema.safeParse(raw);
	if (!result.success) {
		if (where === 'path') {
			// A malformed id in the address names nothing that exists.
			throw new ApiError('not_found', 'There is no such resource.');
		}
		throw new ApiError(
			'invalid_request',
			where === 'query' ? 'Some query parameters are not valid.' : 'The request body is not valid.',
			fieldMessages(result.error, where)
		);
	}
	return result.data;
}

/** The JSON body; an empty body is `{}` (a vote needs nothing more), anything else must be JSON. */
async function readJson(request: Request): Promise<unknown> {
	let text: string;
	try {
		text = await request.text();
	} catch {
		throw new ApiError('invalid_request', 'The request body could not be read.');
	}
	if (text.trim() === '') {
		return {};
	}
	const type = request.headers.get('content-type')?.split(';', 1)[0]!.trim().toLowerCase();
	if (type !== 'application/json') {
		throw new ApiError(
			'unsupported_media_type',
			'Send the body as JSON, with "Content-Type: application/json".'
		);
	}
	try {
		return JSON.parse(text);
	} catch {
		throw new ApiError('invalid_request', 'The request body is not valid JSON.', {
			body: 'Not valid JSON.'
		});
	}
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
	return new Response(status === 204 ? null : JSON.stringify(body), {
		status,
		headers: {
			...(status === 204 ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
			// Answers depend on who asks: never kept by a shared cache.
			'Cache-Control': 'private, no-store',
			...headers
		}
	});
}

function errorResponse(caught: unknown): Response {
	if (caught instanceof ApiError) {
		return json(caught.status, caught.body(), caught.headers);
	}
	if (isDatabaseUnavailable(caught)) {
		// Not a bug: the database is stopped or unreachable. Retrying later will work.
		console.error(`API request: database unavailable (${(caught as Error).message}), answered 503`);
		return json(
			503,
			{ error: { code: 'unavailable', message: m.common_error_unavailable() } },
			{ 'Retry-After': String(RETRY_AFTER_SECONDS) }
		);
	}
	console.error('API request failed:', caught);
	return json(500, {
		error: { code: 'internal', message: 'Something went wrong on our side.' }
	});
}
