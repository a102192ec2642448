// `npm run db:migrate`, `npm run seed`: the built CLI, built first if needed.
import { buildIfNeeded } from './build-if-needed.js';
import { loadDotEnv } from './env.js';

loadDotEnv();
buildIfNeeded();
await import(new URL('../build/cli/cli.js', import.meta.url).href);
