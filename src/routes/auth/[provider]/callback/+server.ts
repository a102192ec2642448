// Where the provider sends the browser back (the callback URL registered with it).
import { finishSignOn } from '$lib/server/sso/web';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => finishSignOn(event, event.params.provider);
