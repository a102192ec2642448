// Serves the built app for the e2e run on a new, empty embedded database.
import fs from 'node:fs';

fs.rmSync(process.env.DATA_DIR ?? '.e2e-data', { recursive: true, force: true });
await import(new URL('../../build/index.js', import.meta.url).href);
