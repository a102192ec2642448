// Starts signing in (or, with ?link, linking) with a provider: a plain link, so it works
// without JavaScript, and a GET because the form-action CSP would stop a form posting here from
// being redirected on to the provider.
import { beginSignOn } from '$lib/server/sso/web';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => beginSignOn(event, event.params.provider);
