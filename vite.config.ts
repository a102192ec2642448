import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		// Compiles messages/<area>/<locale>.json into src/lib/paraglide (docs/i18n.md). The request's
		// language is chosen in src/lib/server/i18n.ts, not by Paraglide's own strategies.
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['baseLocale']
		}),
		sveltekit()
	],
	server: { port: 3000 },
	test: {
		include: ['src/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/process/**/*.test.ts'],
		globalSetup: ['tests/helpers/global-setup.ts'],
		// PGlite starts in seconds, not milliseconds.
		testTimeout: 30_000,
		hookTimeout: 120_000,
		pool: 'forks',
		maxWorkers: 2
	}
});
