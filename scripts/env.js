// Loads ./.env (if there is one) into process.env; variables already set win.
import fs from 'node:fs';
import path from 'node:path';

export function loadDotEnv() {
	const file = path.resolve(import.meta.dirname, '..', '.env');
	if (fs.existsSync(file)) {
		process.loadEnvFile(file);
	}
}
