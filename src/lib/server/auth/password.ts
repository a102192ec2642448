// Password hashing (argon2id, OWASP's minimum: 19 MiB, 2 passes) and the password rules.
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { m } from '$lib/paraglide/messages';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

const ARGON2ID = 2; // Algorithm.Argon2id; the package's enum is a const enum.
const hashOptions = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
	return hash(password, hashOptions);
}

/**
 * Whether `password` matches. An account without a password (made by single sign-on) matches
 * nothing, after the same work as a real check, so timing does not tell such accounts apart.
 */
export async function verifyPassword(
	passwordHash: string | null,
	password: string
): Promise<boolean> {
	if (passwordHash === null) {
		return verifyDecoy(password);
	}
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

// Verifying against this keeps a sign-in for an unknown account as slow as one for a known
// account, so response times do not reveal which accounts exist.
let decoyHash: Promise<string> | undefined;
export async function verifyDecoy(password: string): Promise<false> {
	decoyHash ??= hashPassword('decoy password that never matches');
	await verifyPassword(await decoyHash, password);
	return false;
}

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
	// Shorter ones are already refused by the length rule.
	common ??= new Set(
		(dictionary['passwords-common'] as string[]).filter((p) => p.length >= PASSWORD_MIN)
	);
	return common;
}

/** Why a new password is not acceptable, or null when it is. */
export function passwordProblem(
	password: string,
	context: { email?: string; handle?: string } = {}
): string | null {
	if (password.length < PASSWORD_MIN) {
		return m.account_at_least_chars({ min: PASSWORD_MIN });
	}
	if (password.length > PASSWORD_MAX) {
		return m.account_at_most_chars({ max: PASSWORD_MAX });
	}
	const lower = password.toLowerCase();
	if (commonPasswords().has(lower)) {
		return m.account_password_common();
	}
	const personal = [context.email, context.email?.split('@')[0], context.handle]
		.filter((v): v is string => !!v && v.length >= 3)
		.map((v) => v.toLowerCase());
	if (personal.some((v) => lower === v || (lower.includes(v) && v.length >= lower.length - 3))) {
		return m.account_password_personal();
	}
	if (new Set(password).size < 4) {
		return m.account_password_repetitive();
	}
	return null;
}
