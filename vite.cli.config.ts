// Builds the command-line tool (migrate, seed) into build/cli/cli.js, bundling the migrations
// the same way the server does, so both work from the build without TypeScript sources.
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
	resolve: { alias: { $lib: path.resolve('src/lib') } },
	build: {
		ssr: 'src/cli.ts',
		outDir: 'build/cli',
		emptyOutDir: true,
		target: 'node20',
		minify: false,
		rollupOptions: { output: { entryFileNames: 'cli.js', format: 'es' } }
	}
});
