// One API operation, declared once: its address, the scope it needs, the zod schemas that
// validate its path, query and body, the schemas of what it answers, and its handler. The router
// (router.ts) runs it and the OpenAPI document (openapi.ts) describes it from the same object,
// so the documentation cannot drift from what is validated.
import type pg from 'pg';
import type { z } from 'zod';
import type { Db } from '../db';
import type { Actor, ApiScope } from '../policy';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** How the request was authenticated. Only a token may write (see docs/api.md, "Cookies"). */
export type Credential =
	| { kind: 'token'; tokenId: number; scopes: readonly ApiScope[] }
	| { kind: 'session' }
	| { kind: 'none' };

export interface ApiContext<P, Q, B> {
	db: Db;
	pool: pg.Pool;
	actor: Actor;
	credential: Credential;
	params: P;
	query: Q;
	body: B;
	url: URL;
}

export interface ApiResult {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

export interface ResponseSpec {
	description: string;
	schema: z.ZodType;
}

type AnyObject = z.ZodObject<z.ZodRawShape>;
type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

export interface EndpointSpec<
	P extends AnyObject | undefined,
	Q extends AnyObject | undefined,
	B extends z.ZodType | undefined
> {
	method: HttpMethod;
	/** Under /api/v1, OpenAPI style: `/ideas/{id}/comments`. */
	path: string;
	operationId: string;
	tag: string;
	summary: string;
	description?: string;
	/** `read` operations are also open to visitors and browser sessions; others need a token. */
	scope: ApiScope;
	/** The operation needs a signed-in person (a token), even though it only reads. */
	signedIn?: boolean;
	params?: P;
	query?: Q;
	body?: B;
	/** The success responses, by status. */
	responses: Record<number, ResponseSpec>;
	/** The error statuses this operation can answer (beyond 401/403/429, which all may). */
	errors?: number[];
	/** Not rate limited, not counted (the OpenAPI document itself). */
	unmetered?: boolean;
	handle(ctx: ApiContext<Out<P>, Out<Q>, Out<B>>): Promise<ApiResult>;
}

export type Endpoint = EndpointSpec<
	AnyObject | undefined,
	AnyObject | undefined,
	z.ZodType | undefined
>;

/** Declares an operation; the types of the handler's params, query and body come from the schemas. */
export function defineEndpoint<
	P extends AnyObject | undefined = undefined,
	Q extends AnyObject | undefined = undefined,
	B extends z.ZodType | undefined = undefined
>(spec: EndpointSpec<P, Q, B>): Endpoint {
	return spec as unknown as Endpoint;
}

/** A 200 with a JSON body. */
export function ok(body: unknown, status = 200): ApiResult {
	return { status, body };
}
