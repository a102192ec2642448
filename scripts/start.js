// `npm start`: build if needed, then serve. The server migrates the database at start-up and
// seeds the demo on a new embedded database.
import { buildIfNeeded } from './build-if-needed.js';
import { loadDotEnv } from './env.js';

loadDotEnv();
buildIfNeeded();

process.env.NODE_ENV ??= 'production';
process.env.PORT ??= '3000';
// Form posts are checked against ORIGIN; without it adapter-node assumes https and refuses them.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
// Requests still running this long after SIGTERM are cut, so a stop never hangs.
process.env.SHUTDOWN_TIMEOUT ??= '3';

// Imported by URL: the build does not exist until buildIfNeeded() made it.
await import(new URL('../build/index.js', import.meta.url).href);
