// The identity provider of the e2e run (a second webServer in playwright.config.ts): the app is
// started with OIDC_ISSUER pointing here.
import { startOidcProvider } from '../helpers/oidc-provider.js';

const provider = await startOidcProvider({
	port: Number(process.env.OIDC_PORT ?? 4307),
	clientId: 'roundtable-e2e',
	clientSecret: 'e2e-client-secret'
});
console.log(`Test identity provider at ${provider.issuer}`);
