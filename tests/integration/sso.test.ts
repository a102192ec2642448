// Single sign-on end to end below the browser: the real start and callback handlers, a real
// OpenID Connect provider on 127.0.0.1 (tests/helpers/oidc-provider.js), arctic and jose doing
// the exchange and the ID token checks, and the database on each backend.
import http from 'node:http';
import { isRedirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle, Db } from '$lib/server/db/index';
import { config, readConfig, setConfig, type Config } from '$lib/server/config';
import {
	SESSION_COOKIE,
	createSession,
	generateSessionToken,
	hashToken,
	validateSessionToken
} from '$lib/server/auth/session';
import { changePassword, resetPassword, signIn } from '$lib/server/auth/accounts';
import { hashPassword } from '$lib/server/auth/password';
import { canUnlinkProvider, anonymous, type Actor, type UserActor } from '$lib/server/policy';
import { createRateLimits } from '$lib/server/rate-limit';
import {
	linkIdentity,
	signInMethods,
	signInWithIdentity,
	unlinkProvider
} from '$lib/server/sso/accounts';
import { SsoError, forgetDiscoveries, githubProvider } from '$lib/server/sso/providers';
import { ssoMessage } from '$lib/server/sso/messages';
import { ATTEMPT_COOKIE, beginSignOn, finishSignOn } from '$lib/server/sso/web';
import { createUser } from '../helpers/factories';
import { startOidcProvider } from '../helpers/oidc-provider.js';
import { backends, useTestDatabase } from '../helpers/test-db';

const app = vi.hoisted(() => ({ handle: undefined as DatabaseHandle | undefined }));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => app.handle!.db,
	getDatabase: () => app.handle!
}));

const APP = 'https://feedback.example.com';
const CLIENT_ID = 'roundtable-test';
const CLIENT_SECRET = 'test-client-secret';
const OWNER = 'owner@example.com';

type Provider = Awaited<ReturnType<typeof startOidcProvider>>;

/** One browser's cookies, as SvelteKit's Cookies sees them. */
function browser() {
	const store = new Map<string, string>();
	const cookies = {
		get: (name: string) => store.get(name),
		getAll: () => [...store].map(([name, value]) => ({ name, value })),
		set: (name: string, value: string) => void store.set(name, value),
		delete: (name: string) => void store.delete(name),
		serialize: () => ''
	} as unknown as Cookies;
	return { store, cookies };
}
type Browser = ReturnType<typeof browser>;

let ipCounter = 0;
function event(url: string | URL, from: Browser, actor: Actor = anonymous, ip = '198.51.100.1') {
	return {
		url: new URL(url),
		cookies: from.cookies,
		locals: { actor, sessionId: null, requestId: 'test' },
		request: new Request(url, { headers: { 'user-agent': 'vitest' } }),
		getClientAddress: () => ip,
		setHeaders: () => {}
	} as unknown as RequestEvent;
}

async function redirectOf(run: () => Promise<unknown>): Promise<URL> {
	try {
		await run();
	} catch (thrown) {
		if (isRedirect(thrown)) {
			return new URL(thrown.location, APP);
		}
		throw thrown;
	}
	throw new Error('expected a redirect');
}

interface Person {
	email: string;
	email_verified?: boolean;
	name?: string;
	preferred_username?: string;
	sub?: string;
}

describe.each(backends)('single sign-on (%s)', (backend) => {
	const t = useTestDatabase(backend);
	let idp: Provider;
	let before: Config;
	let db: Db;

	beforeAll(async () => {
		app.handle = t.handle;
		db = t.db;
		idp = await startOidcProvider({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
		forgetDiscoveries();
		before = config();
		useConfig();
	});
	afterAll(async () => {
		setConfig(before);
		await idp.close();
	});
	afterEach(() => idp.reset());

	function useConfig(extra: Record<string, string> = {}) {
		setConfig(
			readConfig({
				OIDC_ISSUER: idp.issuer,
				OIDC_CLIENT_ID: CLIENT_ID,
				OIDC_CLIENT_SECRET: CLIENT_SECRET,
				OIDC_NAME: 'Acme SSO',
				ADMIN_EMAIL: OWNER,
				...extra
			})
		);
	}

	/** A fresh client address per flow, so the failure limit only bites where a test wants it. */
	function nextIp(): string {
		ipCounter++;
		return `203.0.113.${ipCounter % 250}`;
	}

	/** Start, answer at the provider, come back: where the browser lands. */
	async function signOn(
		person: Person | 'deny',
		options: {
			from?: Browser;
			actor?: Actor;
			link?: boolean;
			ip?: string;
			alterCallback?: (url: URL) => void;
		} = {}
	) {
		const from = options.from ?? browser();
		const ip = options.ip ?? nextIp();
		const actor = options.actor ?? anonymous;
		const start = await redirectOf(() =>
			beginSignOn(event(`${APP}/auth/oidc${options.link ? '?link' : ''}`, from, actor, ip), 'oidc')
		);
		expect(start.origin).toBe(idp.issuer);
		expect(start.searchParams.get('code_challenge_method')).toBe('S256');
		expect(start.searchParams.get('nonce')).toBeTruthy();
		const back = await idp.respond(start, person);
		expect(back.origin + back.pathname).toBe(`${APP}/auth/oidc/callback`);
		options.alterCallback?.(back);
		const landing = await redirectOf(() => finishSignOn(event(back, from, actor, ip), 'oidc'));
		return { landing, from };
	}

	async function sessionUserId(from: Browser): Promise<number | null> {
		const token = from.store.get(SESSION_COOKIE);
		if (!token) {
			return null;
		}
		return (await validateSessionToken(db, token)).user?.id ?? null;
	}

	async function countRows() {
		const users = await db
			.selectFrom('app_user')
			.select((eb) => eb.fn.countAll<string>().as('n'))
			.executeTakeFirstOrThrow();
		const links = await db
			.selectFrom('oauth_account')
			.select((eb) => eb.fn.countAll<string>().as('n'))
			.executeTakeFirstOrThrow();
		return { users: Number(users.n), links: Number(links.n) };
	}

	async function userByEmail(email: string) {
		return db.selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirst();
	}

	it('creates an account from a verified email and signs the same identity back into it', async () => {
		const { landing, from } = await signOn({
			email: 'Grace.Hopper@Example.org',
			name: 'Grace Hopper',
			preferred_username: 'grace.hopper'
		});
		expect(landing.pathname).toBe('/');
		const user = await userByEmail('grace.hopper@example.org');
		expect(user).toMatchObject({
			handle: 'grace_hopper',
			display_name: 'Grace Hopper',
			password_hash: null,
			role: 'member'
		});
		expect(user!.email_verified_at).toBeInstanceOf(Date);
		expect(await sessionUserId(from)).toBe(user!.id);
		expect(from.store.has(ATTEMPT_COOKIE)).toBe(false);
		const link = await db
			.selectFrom('oauth_account')
			.selectAll()
			.where('user_id', '=', user!.id)
			.executeTakeFirstOrThrow();
		expect(link).toMatchObject({
			provider: 'oidc',
			issuer: idp.issuer,
			email: 'grace.hopper@example.org'
		});

		const counts = await countRows();
		const again = await signOn({ email: 'Grace.Hopper@Example.org', name: 'Grace Hopper' });
		expect(again.landing.pathname).toBe('/');
		expect(await sessionUserId(again.from)).toBe(user!.id);
		expect(await countRows()).toEqual(counts);
	});

	it('gives a second person with the same username the next free handle', async () => {
		const { from } = await signOn({
			email: 'other.grace@example.org',
			name: 'Another Grace',
			preferred_username: 'grace.hopper'
		});
		const user = await userByEmail('other.grace@example.org');
		expect(user!.handle).toBe('grace_hopper_2');
		expect(await sessionUserId(from)).toBe(user!.id);
	});

	it('links a new identity to the account with the same verified email, and keeps its role', async () => {
		const existing = await createUser(db, { handle: 'linus_existing', role: 'moderator' });
		await db
			.updateTable('app_user')
			.set({ email_verified_at: new Date() })
			.where('id', '=', existing.id)
			.execute();
		const { landing, from } = await signOn({ email: existing.email, name: 'Someone Else' });
		expect(landing.pathname).toBe('/');
		expect(await sessionUserId(from)).toBe(existing.id);
		const user = await userByEmail(existing.email);
		expect(user).toMatchObject({ handle: 'linus_existing', role: 'moderator' });
		expect(user!.email_verified_at).toBeInstanceOf(Date);
		const methods = await signInMethods(db, existing.id);
		expect(methods.hasPassword).toBe(true);
		expect(methods.identities.map((i) => i.provider)).toEqual(['oidc']);
	});

	it('does not link a verified identity into an account that never confirmed its address', async () => {
		const squatted = await createUser(db, { handle: 'squatted_account' });
		const earlierToken = generateSessionToken();
		await createSession(db, earlierToken, squatted.id);
		const counts = await countRows();
		const { landing, from } = await signOn({ email: squatted.email });
		expect(landing.searchParams.get('sso')).toBe('account_unverified');
		expect(from.store.has(SESSION_COOKIE)).toBe(false);
		expect(await countRows()).toEqual(counts);
		expect((await validateSessionToken(db, earlierToken)).session).not.toBeNull();
		expect((await userByEmail(squatted.email))!.email_verified_at).toBeNull();
	});

	it('never opens an existing account through an unverified email', async () => {
		const existing = await createUser(db, { handle: 'victim_account' });
		const counts = await countRows();
		const { landing, from } = await signOn({ email: existing.email, email_verified: false });
		expect(landing.pathname).toBe('/login');
		expect(landing.searchParams.get('sso')).toBe('email_unverified');
		expect(from.store.has(SESSION_COOKIE)).toBe(false);
		expect(await countRows()).toEqual(counts);
		expect(ssoMessage('email_unverified', 'Acme SSO')).toMatch(
			/account with this email already exists.*sign in with your password.*link/i
		);
	});

	it('creates an account with an unverified address that nobody has, left unverified', async () => {
		const { from } = await signOn({ email: 'unverified.new@example.org', email_verified: false });
		const user = await userByEmail('unverified.new@example.org');
		expect(user!.email_verified_at).toBeNull();
		expect(await sessionUserId(from)).toBe(user!.id);
	});

	it('reads the email from userinfo when the ID token leaves it out', async () => {
		idp.emailOnlyInUserinfo = true;
		const { from } = await signOn({ email: 'userinfo.only@example.org', name: 'Info Only' });
		const user = await userByEmail('userinfo.only@example.org');
		expect(user!.email_verified_at).toBeInstanceOf(Date);
		expect(await sessionUserId(from)).toBe(user!.id);
	});

	describe('refusals store nothing', () => {
		async function expectRefused(
			code: string,
			run: () => Promise<{ landing: URL; from: Browser }>
		) {
			const counts = await countRows();
			const { landing, from } = await run();
			expect(landing.pathname).toBe('/login');
			expect(landing.searchParams.get('sso')).toBe(code);
			expect(from.store.has(SESSION_COOKIE)).toBe(false);
			expect(await countRows()).toEqual(counts);
		}
		const person = () => ({ email: `refused.${++ipCounter}@example.org` });

		it('refuses a state that is not this browser’s, without asking the provider', async () => {
			const tokenRequests = idp.tokenRequests;
			await expectRefused('bad_state', () =>
				signOn(person(), { alterCallback: (url) => url.searchParams.set('state', 'x'.repeat(43)) })
			);
			// The attempt was started in another browser: this one has no cookie for it.
			await expectRefused('bad_state', async () => {
				const starter = browser();
				const ip = nextIp();
				const start = await redirectOf(() =>
					beginSignOn(event(`${APP}/auth/oidc`, starter, anonymous, ip), 'oidc')
				);
				const back = await idp.respond(start, person());
				const other = browser();
				const landing = await redirectOf(() => finishSignOn(event(back, other), 'oidc'));
				return { landing, from: other };
			});
			expect(idp.tokenRequests).toBe(tokenRequests);
		});

		it('refuses an ID token for another audience', async () => {
			idp.tamper = { aud: 'someone-else' };
			await expectRefused('invalid_token', () => signOn(person()));
		});

		it('refuses an ID token from another issuer', async () => {
			idp.tamper = { iss: 'https://evil.example.com' };
			await expectRefused('invalid_token', () => signOn(person()));
		});

		it('refuses an ID token minted for another attempt (nonce)', async () => {
			idp.tamper = { nonce: 'a-nonce-from-some-other-attempt' };
			await expectRefused('invalid_token', () => signOn(person()));
		});

		it('refuses an expired ID token', async () => {
			const hourAgo = Math.floor(Date.now() / 1000) - 3600;
			idp.tamper = { iat: hourAgo - 300, exp: hourAgo };
			await expectRefused('invalid_token', () => signOn(person()));
		});

		it('refuses an ID token not signed with the issuer’s published key', async () => {
			idp.forgeSignature = true;
			await expectRefused('invalid_token', () => signOn(person()));
		});

		it('refuses a code the provider does not accept', async () => {
			await expectRefused('code_rejected', () =>
				signOn(person(), { alterCallback: (url) => url.searchParams.set('code', 'made-up') })
			);
		});

		it('says so when the person denies consent', async () => {
			await expectRefused('denied', () => signOn('deny'));
		});

		it('says so when the provider is down at the callback', async () => {
			await expectRefused('provider_unavailable', () =>
				signOn(person(), {
					alterCallback: () => {
						idp.down = true;
					}
				})
			);
		});

		it('says so when the provider cannot be reached to start, and sets no cookie', async () => {
			idp.down = true;
			forgetDiscoveries();
			const from = browser();
			const landing = await redirectOf(() =>
				beginSignOn(event(`${APP}/auth/oidc?next=/ideas`, from, anonymous, nextIp()), 'oidc')
			);
			expect(landing.pathname).toBe('/login');
			expect(landing.searchParams.get('sso')).toBe('provider_unavailable');
			expect(landing.searchParams.get('next')).toBe('/ideas');
			expect(from.store.size).toBe(0);
		});

		it('stops counting callbacks once the client address failed too often', async () => {
			const ip = nextIp();
			const limit = config().SIGNIN_FAILURES_PER_IP;
			for (let i = 0; i < limit; i++) {
				const from = browser();
				const landing = await redirectOf(() =>
					finishSignOn(
						event(`${APP}/auth/oidc/callback?state=nope&code=x`, from, anonymous, ip),
						'oidc'
					)
				);
				expect(landing.searchParams.get('sso')).toBe(i === limit - 1 ? 'limited' : 'bad_state');
			}
			// Even a genuine callback from that address waits now.
			await expectRefused('limited', () => signOn(person(), { ip }));
		});
	});

	it('links another provider identity while signed in, whatever its email', async () => {
		const member = await createUser(db, { handle: 'linker_member' });
		const { landing } = await signOn(
			{ email: 'work.address@corp.example', sub: 'linker-sub' },
			{ actor: member, link: true }
		);
		expect(landing.pathname).toBe('/settings');
		expect(landing.searchParams.get('sso')).toBe('linked');
		expect((await signInMethods(db, member.id)).identities).toHaveLength(1);

		// The same identity cannot be linked to a second member.
		const other = await createUser(db, { handle: 'second_linker' });
		const taken = await signOn(
			{ email: 'work.address@corp.example', sub: 'linker-sub' },
			{ actor: other, link: true }
		);
		expect(taken.landing.searchParams.get('sso')).toBe('identity_taken');
		expect((await signInMethods(db, other.id)).identities).toHaveLength(0);

		// The linked identity now signs the member in.
		const back = await signOn({ email: 'work.address@corp.example', sub: 'linker-sub' });
		expect(await sessionUserId(back.from)).toBe(member.id);
	});

	it('unlinks only while another way to sign in remains', async () => {
		const { from } = await signOn({ email: 'only.sso@example.org', name: 'Only SSO' });
		const userId = (await sessionUserId(from))!;
		const user = await userByEmail('only.sso@example.org');
		const actor: UserActor = {
			kind: 'user',
			id: userId,
			email: user!.email,
			handle: user!.handle,
			displayName: user!.display_name,
			role: user!.role
		};
		const policy = (methods: { hasPassword: boolean; otherIdentities: number }) =>
			canUnlinkProvider(actor, { ownerId: userId, ...methods });

		expect(await unlinkProvider(db, userId, 'oidc', policy)).toEqual({
			ok: false,
			reason: 'last_sign_in_method'
		});
		expect(await unlinkProvider(db, userId, 'github', policy)).toEqual({
			ok: false,
			reason: 'not_linked'
		});
		// With a GitHub identity too, the OIDC one may go, and then GitHub is the last one.
		const github = {
			issuer: 'https://github.com',
			subject: '4242',
			email: 'only.sso@example.org',
			emailVerified: true,
			username: 'onlysso',
			name: null
		};
		expect(await linkIdentity(db, userId, 'github', github)).toEqual({
			ok: true,
			outcome: 'linked'
		});
		expect(await unlinkProvider(db, userId, 'oidc', policy)).toEqual({ ok: true });
		expect(await unlinkProvider(db, userId, 'github', policy)).toEqual({
			ok: false,
			reason: 'last_sign_in_method'
		});
		// With a password set (as through "forgot password"), the last identity may go too.
		await db
			.updateTable('app_user')
			.set({ password_hash: await hashPassword('a long enough password') })
			.where('id', '=', userId)
			.execute();
		expect(await unlinkProvider(db, userId, 'github', policy)).toEqual({ ok: true });
		expect(await signInMethods(db, userId)).toEqual({ hasPassword: true, identities: [] });
	});

	it('gives an account made by a provider no usable password until a reset link sets one', async () => {
		const { from } = await signOn({ email: 'no.password@example.org', name: 'No Password' });
		const userId = (await sessionUserId(from))!;
		const limits = createRateLimits(t.handle.pool, {
			SIGNIN_FAILURES_PER_IP: 1000,
			SIGNUPS_PER_IP: 1000
		});
		const client = { ip: nextIp() };
		const guess = { identifier: 'no.password@example.org', password: 'any password at all' };
		expect(await signIn(db, limits, guess, client)).toEqual({ ok: false, reason: 'invalid' });
		expect(
			await changePassword(
				db,
				limits,
				userId,
				{ currentPassword: 'anything', newPassword: 'a brand new passphrase' },
				'no-session'
			)
		).toEqual({
			ok: false,
			errors: {
				currentPassword: 'Your account has no password yet: use "Forgot your password?" to set one.'
			}
		});

		// "Forgot your password?": the usual reset link sets the first password.
		const token = generateSessionToken();
		await db
			.insertInto('password_reset')
			.values({ id: hashToken(token), user_id: userId, expires_at: new Date(Date.now() + 60_000) })
			.execute();
		expect(await resetPassword(db, { token, password: 'a brand new passphrase' })).toEqual({
			ok: true,
			userId
		});
		const signedIn = await signIn(
			db,
			limits,
			{ identifier: 'no.password@example.org', password: 'a brand new passphrase' },
			client
		);
		expect(signedIn.ok).toBe(true);
		expect((await signInMethods(db, userId)).hasPassword).toBe(true);
	});

	describe('ADMIN_EMAIL', () => {
		it('refuses an unverified ADMIN_EMAIL, so nobody can squat the owner’s address', async () => {
			const counts = await countRows();
			const { landing } = await signOn({ email: OWNER, email_verified: false });
			expect(landing.searchParams.get('sso')).toBe('admin_email_unverified');
			expect(await countRows()).toEqual(counts);
		});

		it('makes the verified ADMIN_EMAIL account an admin, and nobody else', async () => {
			await signOn({ email: OWNER, name: 'Site Owner' });
			expect((await userByEmail(OWNER))!.role).toBe('admin');
			await signOn({ email: 'not.the.owner@example.org' });
			expect((await userByEmail('not.the.owner@example.org'))!.role).toBe('member');
		});
	});
});

describe.each(backends)('first account without ADMIN_EMAIL (%s)', (backend) => {
	const t = useTestDatabase(backend);
	let before: Config;
	beforeAll(() => {
		before = config();
		setConfig(readConfig({}));
	});
	afterAll(() => setConfig(before));

	const identity = (email: string, verified: boolean) => ({
		issuer: 'https://id.example.com',
		subject: email,
		email,
		emailVerified: verified,
		username: email.split('@')[0]!,
		name: null
	});
	const client = { ip: '192.0.2.10' };

	it('is admin only when its email is verified', async () => {
		const limits = createRateLimits(t.handle.pool, {
			SIGNIN_FAILURES_PER_IP: 100,
			SIGNUPS_PER_IP: 100
		});
		const first = await signInWithIdentity(
			t.db,
			limits,
			'oidc',
			identity('first@x.example', false),
			client
		);
		expect(first.ok).toBe(true);
		const roles = await t.db.selectFrom('app_user').select(['email', 'role']).execute();
		expect(roles).toEqual([{ email: 'first@x.example', role: 'member' }]);
	});
});

/** A stand-in for github.com and api.github.com: token, /user and /user/emails. */
async function startGitHub(emails: { email: string; primary: boolean; verified: boolean }[]) {
	const server = http.createServer((req, res) => {
		const json = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		const authorized = req.headers.authorization === 'Bearer gh-access-token';
		if (req.method === 'POST' && req.url === '/login/oauth/access_token') {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				const form = new URLSearchParams(body);
				// GitHub answers a bad code with 200 and an error field.
				json(
					200,
					form.get('code') === 'good-code' && form.get('code_verifier')
						? {
								access_token: 'gh-access-token',
								token_type: 'bearer',
								scope: 'read:user,user:email'
							}
						: { error: 'bad_verification_code' }
				);
			});
		} else if (req.url === '/user' && authorized) {
			json(200, { id: 583231, login: 'octo-cat', name: 'The Octocat', email: null });
		} else if (req.url === '/user/emails' && authorized) {
			json(200, emails);
		} else {
			json(401, { message: 'Bad credentials' });
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
	return {
		provider: githubProvider({
			clientId: 'gh-client',
			clientSecret: 'gh-secret',
			endpoints: {
				authorize: `${base}/login/oauth/authorize`,
				token: `${base}/login/oauth/access_token`,
				api: base
			}
		}),
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

describe('GitHub', () => {
	const attempt = { state: 's'.repeat(43), codeVerifier: 'v'.repeat(43), nonce: null };
	const redirect = `${APP}/auth/github/callback`;

	it('asks for the profile and email scopes with PKCE', async () => {
		const gh = await startGitHub([]);
		try {
			const url = await gh.provider.authorizationUrl(redirect, attempt);
			expect(url.searchParams.get('scope')).toBe('read:user user:email');
			expect(url.searchParams.get('code_challenge_method')).toBe('S256');
			expect(url.searchParams.get('redirect_uri')).toBe(redirect);
		} finally {
			await gh.close();
		}
	});

	it('vouches for the primary address only when GitHub verified it', async () => {
		const verified = await startGitHub([
			{ email: 'old@example.org', primary: false, verified: true },
			{ email: 'Octo@Example.org', primary: true, verified: true }
		]);
		try {
			expect(await verified.provider.identify(redirect, 'good-code', attempt)).toEqual({
				issuer: 'https://github.com',
				subject: '583231',
				email: 'octo@example.org',
				emailVerified: true,
				username: 'octo-cat',
				name: 'The Octocat'
			});
		} finally {
			await verified.close();
		}
		const unverified = await startGitHub([
			{ email: 'old@example.org', primary: false, verified: true },
			{ email: 'octo@example.org', primary: true, verified: false }
		]);
		try {
			const identity = await unverified.provider.identify(redirect, 'good-code', attempt);
			expect(identity).toMatchObject({ email: 'octo@example.org', emailVerified: false });
		} finally {
			await unverified.close();
		}
	});

	it('refuses a code GitHub did not accept', async () => {
		const gh = await startGitHub([]);
		try {
			const failure = await gh.provider.identify(redirect, 'stale-code', attempt).catch((e) => e);
			expect(failure).toBeInstanceOf(SsoError);
			expect((failure as SsoError).reason).toBe('code_rejected');
		} finally {
			await gh.close();
		}
	});
});

describe.each(backends)('demo data (%s)', (backend) => {
	const t = useTestDatabase(backend);

	it('links two demo customers to a GitHub and a Google identity', async () => {
		const { seedDemo } = await import('$lib/server/seed/demo');
		const result = await seedDemo(t.db, { password: () => 'demo password for tests' });
		expect(result.seeded).toBe(true);
		const links = await t.db
			.selectFrom('oauth_account')
			.innerJoin('app_user', 'app_user.id', 'oauth_account.user_id')
			.select([
				'provider',
				'oauth_account.email',
				'app_user.email as userEmail',
				'role',
				'email_verified_at'
			])
			.orderBy('provider')
			.execute();
		expect(links.map((l) => l.provider)).toEqual(['github', 'google']);
		for (const link of links) {
			expect(link.email).toBe(link.userEmail);
			expect(link.role).toBe('member');
			expect(link.email_verified_at).toBeInstanceOf(Date);
		}
	});
});
