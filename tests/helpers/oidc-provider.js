// A small OpenID Connect provider for tests: discovery, keys, an authorization page where the
// tester says who they are (a form, so it works with JavaScript off), the code exchange with
// PKCE, ID tokens signed RS256 and userinfo. Knobs let a test make it misbehave (wrong audience,
// issuer or nonce, an expired token, a foreign signing key) to prove the app refuses that.
// Plain JavaScript: the e2e run starts it with node (tests/e2e/oidc-provider.js).
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

/**
 * @typedef {{ sub?: string, email?: string, email_verified?: boolean, name?: string,
 *   preferred_username?: string }} Person
 * @typedef {{ port?: number, clientId: string, clientSecret: string }} Options
 */

/** @param {Uint8Array} buffer */
function base64url(buffer) {
	return Buffer.from(buffer).toString('base64url');
}

/** @type {Record<string, string>} */
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** @param {string} value */
function escapeHtml(value) {
	return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** @param {http.IncomingMessage} req */
async function readBody(req) {
	const chunks = [];
	for await (const chunk of req) {
		chunks.push(chunk);
	}
	return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {string | object} body
 * @param {Record<string, string>} [headers]
 */
function send(res, status, body, headers = {}) {
	const json = typeof body !== 'string';
	res.writeHead(status, {
		'content-type': json ? 'application/json' : 'text/html; charset=utf-8',
		'cache-control': 'no-store',
		...headers
	});
	res.end(json ? JSON.stringify(body) : body);
}

const AUTH_PARAMS = [
	'client_id',
	'redirect_uri',
	'state',
	'nonce',
	'code_challenge',
	'code_challenge_method',
	'scope'
];

/** @param {URLSearchParams} params */
function loginPage(params) {
	const hidden = AUTH_PARAMS.map(
		(name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`
	).join('');
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1>
<form method="post" action="/authorize">${hidden}
<p><label for="email">Email</label> <input id="email" name="email" type="email" required></p>
<p><label for="name">Name</label> <input id="name" name="name"></p>
<p><label for="preferred_username">Username</label> <input id="preferred_username" name="preferred_username"></p>
<p><input id="email_verified" name="email_verified" type="checkbox" value="true" checked> <label for="email_verified">Email verified</label></p>
<p><button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button></p>
</form></main></body></html>`;
}

/**
 * Starts the provider on 127.0.0.1 (port 0: any free one).
 * @param {Options} options
 */
export async function startOidcProvider(options) {
	const keys = await generateKeyPair('RS256', { extractable: true });
	const foreignKeys = await generateKeyPair('RS256', { extractable: true });
	const publicJwk = {
		...(await exportJWK(keys.publicKey)),
		kid: 'test-key',
		alg: 'RS256',
		use: 'sig'
	};
	/** @type {Map<string, any>} */
	const codes = new Map();
	/** @type {Map<string, any>} */
	const accessTokens = new Map();
	let issuer = '';

	const provider = {
		issuer: '',
		/** Claims to change in the next ID tokens (e.g. { aud: 'someone-else' }). */
		tamper: /** @type {Record<string, unknown>} */ ({}),
		/** Sign ID tokens with a key the discovery document does not publish. */
		forgeSignature: false,
		/** Leave email out of the ID token (it is still in userinfo). */
		emailOnlyInUserinfo: false,
		/** Answer every request with 503, as a provider that is down. */
		down: false,
		/** How many token requests came in. */
		tokenRequests: 0,
		reset() {
			provider.tamper = {};
			provider.forgeSignature = false;
			provider.emailOnlyInUserinfo = false;
			provider.down = false;
		},
		/**
		 * What a person's browser does at the authorization page: approve (as `person`) or deny.
		 * Returns the URL the provider sends the browser back to.
		 * @param {string | URL} authorizationUrl
		 * @param {Person | 'deny'} person
		 */
		async respond(authorizationUrl, person) {
			const url = new URL(authorizationUrl);
			const form = new URLSearchParams();
			for (const name of AUTH_PARAMS) {
				form.set(name, url.searchParams.get(name) ?? '');
			}
			if (person === 'deny') {
				form.set('decision', 'deny');
			} else {
				form.set('decision', 'approve');
				for (const [key, value] of Object.entries(person)) {
					form.set(key, String(value));
				}
				if (person.email_verified === false) {
					form.delete('email_verified');
				} else {
					form.set('email_verified', 'true');
				}
			}
			const response = await fetch(`${issuer}/authorize`, {
				method: 'POST',
				body: form,
				redirect: 'manual'
			});
			const location = response.headers.get('location');
			if (response.status !== 302 || !location) {
				throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
			}
			return new URL(location);
		},
		close: () => new Promise((resolve) => server.close(() => resolve(undefined)))
	};

	/** @param {any} record */
	async function idToken(record) {
		const now = Math.floor(Date.now() / 1000);
		const claims = {
			email: record.person.email,
			email_verified: record.person.email_verified,
			name: record.person.name,
			preferred_username: record.person.preferred_username,
			nonce: record.nonce || undefined,
			...provider.tamper
		};
		if (provider.emailOnlyInUserinfo) {
			delete claims.email;
			delete claims.email_verified;
		}
		const { iss, aud, exp, iat, sub, ...rest } = /** @type {Record<string, any>} */ (claims);
		return new SignJWT(rest)
			.setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
			.setIssuer(iss ?? issuer)
			.setAudience(aud ?? record.clientId)
			.setSubject(sub ?? record.person.sub)
			.setIssuedAt(iat ?? now)
			.setExpirationTime(exp ?? now + 300)
			.sign(provider.forgeSignature ? foreignKeys.privateKey : keys.privateKey);
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {URLSearchParams} body
	 */
	function clientCredentials(req, body) {
		const header = req.headers.authorization ?? '';
		if (header.startsWith('Basic ')) {
			const [id, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
			return { id, secret };
		}
		return { id: body.get('client_id'), secret: body.get('client_secret') };
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async function handle(req, res) {
		const url = new URL(req.url ?? '/', issuer);
		if (provider.down) {
			return send(res, 503, { error: 'temporarily_unavailable' });
		}
		if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
			return send(res, 200, {
				issuer,
				authorization_endpoint: `${issuer}/authorize`,
				token_endpoint: `${issuer}/token`,
				userinfo_endpoint: `${issuer}/userinfo`,
				jwks_uri: `${issuer}/jwks`,
				response_types_supported: ['code'],
				subject_types_supported: ['public'],
				id_token_signing_alg_values_supported: ['RS256'],
				code_challenge_methods_supported: ['S256']
			});
		}
		if (req.method === 'GET' && url.pathname === '/jwks') {
			return send(res, 200, { keys: [publicJwk] });
		}
		if (req.method === 'GET' && url.pathname === '/authorize') {
			if (url.searchParams.get('client_id') !== options.clientId) {
				return send(res, 400, '<p>Unknown client</p>');
			}
			return send(res, 200, loginPage(url.searchParams));
		}
		if (req.method === 'POST' && url.pathname === '/authorize') {
			const form = await readBody(req);
			const back = new URL(form.get('redirect_uri') ?? '');
			back.searchParams.set('state', form.get('state') ?? '');
			if (form.get('decision') === 'deny') {
				back.searchParams.set('error', 'access_denied');
				return send(res, 302, '', { location: back.toString() });
			}
			const email = form.get('email') ?? '';
			const code = base64url(randomBytes(24));
			codes.set(code, {
				clientId: form.get('client_id'),
				redirectUri: form.get('redirect_uri'),
				nonce: form.get('nonce'),
				codeChallenge: form.get('code_challenge'),
				expiresAt: Date.now() + 60_000,
				person: {
					sub:
						form.get('sub') ||
						`sub-${createHash('sha256').update(email).digest('hex').slice(0, 16)}`,
					email,
					email_verified: form.get('email_verified') === 'true',
					name: form.get('name') || undefined,
					preferred_username: form.get('preferred_username') || undefined
				}
			});
			back.searchParams.set('code', code);
			back.searchParams.set('iss', issuer);
			return send(res, 302, '', { location: back.toString() });
		}
		if (req.method === 'POST' && url.pathname === '/token') {
			provider.tokenRequests++;
			const body = await readBody(req);
			const client = clientCredentials(req, body);
			if (client.id !== options.clientId || client.secret !== options.clientSecret) {
				return send(res, 401, { error: 'invalid_client' });
			}
			const record = codes.get(body.get('code') ?? '');
			codes.delete(body.get('code') ?? '');
			const verifier = body.get('code_verifier') ?? '';
			const challenge = base64url(createHash('sha256').update(verifier).digest());
			if (
				!record ||
				record.expiresAt < Date.now() ||
				record.clientId !== client.id ||
				record.redirectUri !== body.get('redirect_uri') ||
				record.codeChallenge !== challenge
			) {
				return send(res, 400, { error: 'invalid_grant' });
			}
			const accessToken = base64url(randomBytes(24));
			accessTokens.set(accessToken, record.person);
			return send(res, 200, {
				access_token: accessToken,
				token_type: 'Bearer',
				expires_in: 300,
				id_token: await idToken(record)
			});
		}
		if (req.method === 'GET' && url.pathname === '/userinfo') {
			const person = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
			return person ? send(res, 200, person) : send(res, 401, { error: 'invalid_token' });
		}
		return send(res, 404, { error: 'not_found' });
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => send(res, 500, { error: String(error) }));
	});
	await new Promise((resolve) =>
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined))
	);
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	issuer = `http://127.0.0.1:${address.port}`;
	provider.issuer = issuer;
	return provider;
}
