// Built by `npm run bench:load` from the repository's node_modules (no install of its own).
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({ plugins: [sveltekit()], logLevel: 'warn' });
