// Builds the benchmarks (bench/*.ts) into bench/.build/ with the app's `$lib` alias and bundled
// migrations, so `npm run bench:*` runs them with plain Node (no TypeScript loader on Node 20).
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
	resolve: { alias: { $lib: path.resolve('src/lib') } },
	build: {
		ssr: true,
		outDir: 'bench/.build',
		emptyOutDir: true,
		target: 'node20',
		minify: false,
		rollupOptions: {
			input: {
				seed: 'bench/seed.ts',
				insights: 'bench/insights.ts',
				plans: 'bench/plans.ts',
				'scale-out': 'bench/scale-out.ts'
			},
			output: { entryFileNames: '[name].js', format: 'es' }
		}
	}
});
