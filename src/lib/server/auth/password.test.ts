import { describe, expect, it } from 'vitest';
import {
	PASSWORD_MAX,
	PASSWORD_MIN,
	hashPassword,
	passwordProblem,
	verifyPassword
} from './password';

describe('passwordProblem', () => {
	it('accepts a long, uncommon password', () => {
		expect(passwordProblem('correct horse battery staple')).toBeNull();
	});

	it(`refuses a password shorter than ${PASSWORD_MIN} characters, and accepts one exactly that long`, () => {
		expect(passwordProblem('Zq7!xW2#p')).toBe(`Use at least ${PASSWORD_MIN} characters.`);
		expect(passwordProblem('Zq7!xW2#pL')).toBeNull();
	});

	it(`refuses a password longer than ${PASSWORD_MAX} characters, and accepts one exactly that long`, () => {
		const longest = 'abcdefgh'.repeat(PASSWORD_MAX / 8);
		expect(longest).toHaveLength(PASSWORD_MAX);
		expect(passwordProblem(longest)).toBeNull();
		expect(passwordProblem(`${longest}x`)).toBe(`Use at most ${PASSWORD_MAX} characters.`);
	});

	it('refuses common passwords whatever their letter case', () => {
		for (const common of ['qwertyuiop', '1234567890', 'password123', 'Basketball', 'MANCHESTER']) {
			expect(passwordProblem(common), common).toMatch(/most common/);
		}
	});

	it('refuses the email address, its local part and the handle', () => {
		const person = { email: 'marguerite.yourcenar@example.com', handle: 'hadrian_memoirs' };
		expect(passwordProblem('marguerite.yourcenar@example.com', person)).toMatch(/email or handle/);
		expect(passwordProblem('Marguerite.Yourcenar', person)).toMatch(/email or handle/);
		expect(passwordProblem('hadrian_memoirs', person)).toMatch(/email or handle/);
		// The handle with a few characters added is still the handle.
		expect(passwordProblem('Hadrian_Memoirs1!', person)).toMatch(/email or handle/);
	});

	it('accepts a password that merely contains the handle among much else', () => {
		const person = { email: 'ana@example.com', handle: 'ana_b' };
		expect(passwordProblem('ana_b rides a green bicycle', person)).toBeNull();
	});

	it('refuses a password made of fewer than four different characters', () => {
		expect(passwordProblem('abcabcabcabc')).toMatch(/too few characters/);
		expect(passwordProblem('abcdabcdabcd')).toBeNull();
	});
});

describe('hashPassword and verifyPassword', () => {
	it('stores an argon2id hash with at least 19 MiB and 2 passes, never the password', async () => {
		const hash = await hashPassword('a fine long passphrase');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=1\$/);
		const [, m, t] = /m=(\d+),t=(\d+)/.exec(hash)!;
		expect(Number(m)).toBeGreaterThanOrEqual(19_456);
		expect(Number(t)).toBeGreaterThanOrEqual(2);
		expect(hash).not.toContain('a fine long passphrase');
	});

	it('salts every hash, so equal passwords do not give equal hashes', async () => {
		const [a, b] = await Promise.all([
			hashPassword('same password here'),
			hashPassword('same password here')
		]);
		expect(a).not.toBe(b);
	});

	it('verifies the right password and refuses a wrong one', async () => {
		const hash = await hashPassword('a fine long passphrase');
		expect(await verifyPassword(hash, 'a fine long passphrase')).toBe(true);
		expect(await verifyPassword(hash, 'a fine long passphrasE')).toBe(false);
		expect(await verifyPassword(hash, '')).toBe(false);
	});

	it('answers false for a malformed stored hash instead of throwing', async () => {
		expect(await verifyPassword('not a hash', 'anything at all')).toBe(false);
		expect(await verifyPassword('', 'anything at all')).toBe(false);
	});
});
