// The render ceiling of `npm run bench:load`: the least a SvelteKit page of a given size can cost
// on this machine (same kit, adapter-node and CSP mode as the app; no database, no layout logic).
import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		adapter: adapter({ out: 'build' }),
		csp: { mode: 'auto', directives: { 'script-src': ['self'] } }
	}
};

export default config;
