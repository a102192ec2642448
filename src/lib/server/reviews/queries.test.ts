import { describe, expect, it } from 'vitest';
import { jsonLdScript } from './queries';

describe('jsonLdScript', () => {
	it('keeps a hostile product name inside the JSON string', () => {
		const name = '</script><script>alert(1)</script><!-- & \u2028';
		const html = jsonLdScript({ '@type': 'Product', name });
		expect(html.startsWith('<script type="application/ld+json">')).toBe(true);
		expect(html.endsWith('</script>')).toBe(true);
		const inner = html.slice('<script type="application/ld+json">'.length, -'</script>'.length);
		expect(inner).not.toMatch(/[<>&\u2028\u2029]/);
		expect(JSON.parse(inner)).toEqual({ '@type': 'Product', name });
	});
});
