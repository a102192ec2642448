// `/?bytes=N`: the page renders about N bytes of HTML. A server load, like the app's pages, so the
// render goes through the same data path (a __data.json route, serialised data in the page).
/** @type {import('./$types').PageServerLoad} */
export function load({ url }) {
	const bytes = Math.min(Math.max(Number(url.searchParams.get('bytes')) || 0, 0), 10_000_000);
	return { bytes };
}
