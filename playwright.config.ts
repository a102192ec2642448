import fs from 'node:fs';
import { defineConfig } from '@playwright/test';

// Playwright's own browser download does not work on our machines: tests use Debian's Chromium.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
	throw new Error(
		`No Chromium at ${chromium}: install it with "apt-get install -y chromium" or set CHROMIUM_PATH.`
	);
}

// E2E_PORT lets two checkouts run their e2e suites side by side.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const baseURL = `http://localhost:${PORT}`;
// The run's own OpenID Connect provider (tests/e2e/oidc-provider.js), beside the app's port.
const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? PORT + 100);
const OIDC_ISSUER = `http://127.0.0.1:${OIDC_PORT}`;

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: true,
	workers: 2,
	forbidOnly: !!process.env.CI,
	reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
	// Generous: a test signs people up (argon2) and runs axe on a busy 2-core CI machine.
	timeout: 60_000,
	expect: { timeout: 10_000 },
	use: {
		baseURL,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: chromium,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run'
			]
		}
	},
	projects: [
		{ name: 'js', use: { javaScriptEnabled: true } },
		// Core member flows run twice; staff screens and secondary member flows (surveys, referrals, data
		// download, help publishing, the German page audit) are tagged @js-only: CI stays under 20 minutes.
		{ name: 'no-js', use: { javaScriptEnabled: false }, grepInvert: /@js-only/ }
	],
	webServer: [
		{
			command: 'node tests/e2e/oidc-provider.js',
			url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
			reuseExistingServer: false,
			timeout: 30_000,
			env: { OIDC_PORT: String(OIDC_PORT) }
		},
		{
			command: 'node tests/e2e/serve.js',
			url: `${baseURL}/`,
			reuseExistingServer: false,
			timeout: 120_000,
			stdout: 'pipe',
			env: {
				PORT: String(PORT),
				ORIGIN: baseURL,
				DATA_DIR: process.env.E2E_DATA_DIR ?? '.e2e-data',
				SEED_DEMO: 'false',
				ADMIN_EMAIL: 'admin@e2e.example',
				// Every test comes from 127.0.0.1; per-account limits are still the real ones.
				SIGNUPS_PER_IP: '10000',
				SIGNIN_FAILURES_PER_IP: '10000',
				// Webhook tests receive on 127.0.0.1, which is otherwise refused.
				WEBHOOKS_ALLOW_PRIVATE: 'true',
				NODE_ENV: 'production',
				OIDC_ISSUER,
				OIDC_CLIENT_ID: 'roundtable-e2e',
				OIDC_CLIENT_SECRET: 'e2e-client-secret',
				OIDC_NAME: 'Acme SSO'
			}
		}
	]
});
