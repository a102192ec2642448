// Server configuration, read once from the environment (the README's table lists every variable).
import { z } from 'zod';

const flag = z
	.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
	.transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const schema = z.object({
	DATABASE_URL: z.string().url().optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
	// A file to append each request's SQL statements to, with parameters (benchmarks only).
	SQL_STATEMENT_LOG: z.string().min(1).optional(),
	SEED_DEMO: flag.optional(),
	ADMIN_EMAIL: z.string().email().optional(),
	SITE_NAME: z.string().min(1).max(60).default('Roundtable'),
	SMTP_URL: z.string().url().optional(),
	MAIL_FROM: z.string().min(3).default('Roundtable <no-reply@localhost>'),
	NODE_ENV: z.string().default('development'),
	// The site's public address (adapter-node reads it too): links in emails sent by the worker.
	ORIGIN: z.string().url().optional(),
	// Signs unsubscribe links. Unset: a random one is generated and kept in the database.
	APP_SECRET: z
		.string()
		.min(32, 'Use at least 32 characters (e.g. openssl rand -hex 32).')
		.optional(),
	// Rate limits per client IP. Raise them only when many people share one address.
	SIGNIN_FAILURES_PER_IP: z.coerce.number().int().min(1).default(30),
	SIGNUPS_PER_IP: z.coerce.number().int().min(1).default(10),
	// Webhooks may reach private, loopback and link-local addresses (a receiver on the same
	// network, tests). Off by default: it opens server-side request forgery to anyone who can
	// register a webhook.
	WEBHOOKS_ALLOW_PRIVATE: flag.default(false),
	// Single sign-on (docs/sso.md): each provider is offered once both of its values are set.
	GITHUB_CLIENT_ID: z.string().min(1).optional(),
	GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
	GOOGLE_CLIENT_ID: z.string().min(1).optional(),
	GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
	OIDC_ISSUER: z.string().url().optional(),
	OIDC_CLIENT_ID: z.string().min(1).optional(),
	OIDC_CLIENT_SECRET: z.string().min(1).optional(),
	OIDC_NAME: z.string().min(1).max(40).default('single sign-on'),
	// Requests one personal API token may make per minute (docs/api.md).
	API_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(300)
});

export type Config = z.infer<typeof schema> & { production: boolean };

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
	const blankAsUnset = Object.fromEntries(
		Object.entries(env).filter(([, value]) => value !== undefined && value !== '')
	);
	const parsed = schema.safeParse(blankAsUnset);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
	}
	return { ...parsed.data, production: parsed.data.NODE_ENV === 'production' };
}

let current: Config | undefined;

/** The configuration of this process; tests may replace it with `setConfig`. */
export function config(): Config {
	current ??= readConfig();
	return current;
}

export function setConfig(next: Config): void {
	current = next;
}
