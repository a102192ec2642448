import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import type { DatabaseHandle, Db } from '$lib/server/db/index';
import type { User } from '$lib/server/db/schema';
import { config, readConfig, setConfig, type Config } from '$lib/server/config';
import { listOutbox } from '$lib/server/mail/index';
import type { UserActor } from '$lib/server/policy';
import { createRateLimits, type RateLimits } from '$lib/server/rate-limit';
import { changeRole, listUsers } from '$lib/server/users/index';
import { setUserLocale } from '$lib/server/users/profile';
import { hashPassword } from '$lib/server/auth/password';
import {
	SESSION_LIFETIME,
	createSession,
	generateSessionToken,
	hashToken,
	invalidateSession,
	invalidateUserSessions,
	validateSessionToken
} from '$lib/server/auth/session';
import {
	changePassword,
	isResetTokenValid,
	requestPasswordReset,
	resetPassword,
	signIn,
	signUp,
	signUpSchema
} from '$lib/server/auth/accounts';
import { startJobWorker, type JobWorker } from '$lib/server/jobs';
import { jobHandlers } from '$lib/server/jobs/handlers';
import { eventually } from '../helpers/smtp';
import { backends, createTestDatabase, useTestDatabase } from '../helpers/test-db';

const DAY = 24 * 60 * 60 * 1000;
const PASSWORD = 'lanterns over the harbour';
const NEW_PASSWORD = 'a kettle whistling at dawn';
const ORIGIN = 'https://feedback.example.com';
/** Generous enough that only the tests about limits ever reach them. */
const ROOMY = { SIGNIN_FAILURES_PER_IP: 1000, SIGNUPS_PER_IP: 1000 };

function actorOf(user: User): UserActor {
	return {
		kind: 'user',
		id: user.id,
		handle: user.handle,
		displayName: user.display_name,
		email: user.email,
		role: user.role
	};
}

function signUpInput(
	handle: string,
	email = `${handle.toLowerCase()}@example.com`,
	password = PASSWORD
) {
	return signUpSchema.parse({ email, handle, displayName: handle.replace(/_/g, ' '), password });
}

function resetLink(text: string): { href: string; token: string } {
	const match = /(https?:\/\/\S+\/reset-password\/([a-z2-7]+))/.exec(text);
	if (!match) {
		throw new Error(`no reset link in:\n${text}`);
	}
	return { href: match[1]!, token: match[2]! };
}

/** Waits until `count` sessions of the database are waiting for a lock. */
async function waitForLockWaiters(site: DatabaseHandle, count: number): Promise<void> {
	const deadline = Date.now() + 15_000;
	for (;;) {
		const { rows } = await site.pool.query<{ n: number }>(
			`select count(*)::int as n from pg_stat_activity
			where datname = current_database() and wait_event_type = 'Lock'`
		);
		if (rows[0]!.n >= count) {
			return;
		}
		if (Date.now() > deadline) {
			throw new Error(`only ${rows[0]!.n} of ${count} sessions reached the lock`);
		}
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe.each(backends)('accounts on %s', (backend) => {
	const t = useTestDatabase(backend);
	let limits: RateLimits;
	let previousConfig: Config;
	let passwordHash: string;
	let ipCounter = 0;
	/** A client address no other test uses, so limits never leak between tests. */
	const freshIp = () => `198.51.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

	/** A fixture account with PASSWORD, inserted directly (sign-up itself is tested below). */
	async function addUser(handle: string, role: Role = 'member'): Promise<User> {
		return t.db
			.insertInto('app_user')
			.values({
				email: `${handle.toLowerCase()}@example.com`,
				handle,
				display_name: handle.replace(/_/g, ' '),
				password_hash: passwordHash,
				role
			})
			.returningAll()
			.executeTakeFirstOrThrow();
	}

	async function roleOf(db: Db, email: string): Promise<Role | undefined> {
		const row = await db
			.selectFrom('app_user')
			.select('role')
			.where('email', '=', email)
			.executeTakeFirst();
		return row?.role;
	}

	async function userCount(db: Db): Promise<number> {
		const row = await db
			.selectFrom('app_user')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return row.n;
	}

	async function signInAs(identifier: string, password: string, ip = freshIp(), using = limits) {
		return signIn(t.db, using, { identifier, password }, { ip });
	}

	/** Runs `fn` on a database of its own, empty of users. */
	async function onNewSite(
		fn: (db: Db, siteLimits: RateLimits, site: DatabaseHandle) => Promise<void>
	): Promise<void> {
		const handle = await createTestDatabase(backend);
		try {
			await fn(handle.db, createRateLimits(handle.pool, ROOMY), handle);
		} finally {
			await handle.close();
		}
	}

	beforeAll(async () => {
		previousConfig = config();
		// Mail goes to the outbox in these tests, whatever the environment says.
		setConfig(readConfig({ ...process.env, SMTP_URL: undefined, ADMIN_EMAIL: undefined }));
		limits = createRateLimits(t.handle.pool, ROOMY);
		passwordHash = await hashPassword(PASSWORD);
	});

	afterAll(() => {
		setConfig(previousConfig);
	});

	describe('sign up', () => {
		it('makes the first account on a new site its admin, and the next one a member', async () => {
			await onNewSite(async (db, siteLimits) => {
				const first = await signUp(db, siteLimits, signUpInput('Founder'), { ip: freshIp() });
				const second = await signUp(db, siteLimits, signUpInput('Customer'), { ip: freshIp() });
				expect(first.ok && first.user.role).toBe('admin');
				expect(second.ok && second.user.role).toBe('member');
				expect(await roleOf(db, 'founder@example.com')).toBe('admin');
				expect(await roleOf(db, 'customer@example.com')).toBe('member');
			});
		});

		it('makes exactly one admin when several people sign up on a new site at the same moment', async () => {
			await onNewSite(async (db, siteLimits, site) => {
				// On PostgreSQL, hold every insert into app_user until all four sign-ups are inside
				// their transactions, so they really do race (PGlite runs one transaction at a time).
				const blocker = backend === 'postgres' ? await site.pool.connect() : undefined;
				await blocker?.query('begin');
				await blocker?.query('lock table app_user in share mode');
				const signingUp = Promise.all(
					['Early_1', 'Early_2', 'Early_3', 'Early_4'].map((handle) =>
						signUp(db, siteLimits, signUpInput(handle), { ip: freshIp() })
					)
				);
				if (blocker) {
					await waitForLockWaiters(site, 4);
					await blocker.query('commit');
					blocker.release();
				}
				const results = await signingUp;
				expect(results.every((r) => r.ok)).toBe(true);
				const roles = await db.selectFrom('app_user').select('role').execute();
				expect(roles.map((r) => r.role).sort()).toEqual(['admin', 'member', 'member', 'member']);
			});
		});

		it('stores the account with a password hash, never the password', async () => {
			const result = await signUp(t.db, limits, signUpInput('Hash_Check'), { ip: freshIp() });
			expect(result.ok).toBe(true);
			const row = await t.db
				.selectFrom('app_user')
				.selectAll()
				.where('email', '=', 'hash_check@example.com')
				.executeTakeFirstOrThrow();
			expect(row.handle).toBe('Hash_Check');
			expect(row.display_name).toBe('Hash Check');
			expect(row.password_hash).toMatch(/^\$argon2id\$/);
			expect(row.password_hash).not.toContain(PASSWORD);
		});

		it('with ADMIN_EMAIL set, the first account on a new site is a member unless it is that one', async () => {
			const before = config();
			setConfig(
				readConfig({ ...process.env, SMTP_URL: undefined, ADMIN_EMAIL: 'owner@example.com' })
			);
			try {
				await onNewSite(async (db, siteLimits) => {
					const first = await signUp(db, siteLimits, signUpInput('Early_Bird'), { ip: freshIp() });
					const owner = await signUp(db, siteLimits, signUpInput('Owner'), { ip: freshIp() });
					expect(first.ok && first.user.role).toBe('member');
					expect(owner.ok && owner.user.role).toBe('admin');
				});
			} finally {
				setConfig(before);
			}
		});

		it('makes the ADMIN_EMAIL account an admin even when it is not the first', async () => {
			await addUser('Someone_First');
			const before = config();
			setConfig(
				readConfig({ ...process.env, SMTP_URL: undefined, ADMIN_EMAIL: 'Boss@Example.com' })
			);
			try {
				const boss = await signUp(t.db, limits, signUpInput('The_Boss', 'BOSS@example.com'), {
					ip: freshIp()
				});
				const other = await signUp(t.db, limits, signUpInput('Not_Boss'), { ip: freshIp() });
				expect(boss.ok && boss.user.role).toBe('admin');
				expect(other.ok && other.user.role).toBe('member');
			} finally {
				setConfig(before);
			}
		});

		it('refuses an email already in use, whatever its letter case, and stores nothing', async () => {
			await addUser('Taken_Mail');
			const count = await userCount(t.db);
			const result = await signUp(
				t.db,
				limits,
				signUpInput('Other_Handle', 'TAKEN_MAIL@Example.COM'),
				{
					ip: freshIp()
				}
			);
			expect(result).toEqual({
				ok: false,
				errors: { email: 'An account with this email already exists. Sign in instead?' }
			});
			expect(await userCount(t.db)).toBe(count);
		});

		it('refuses a handle already in use, whatever its letter case, and stores nothing', async () => {
			await addUser('Taken_Handle');
			const count = await userCount(t.db);
			const result = await signUp(
				t.db,
				limits,
				signUpInput('tAKEN_hANDLE', 'fresh.person@example.com'),
				{
					ip: freshIp()
				}
			);
			expect(result).toEqual({
				ok: false,
				errors: { handle: 'This handle is taken; choose another.' }
			});
			expect(await userCount(t.db)).toBe(count);
			expect(await roleOf(t.db, 'fresh.person@example.com')).toBeUndefined();
		});

		it('names both fields when both the email and the handle are taken', async () => {
			await addUser('Both_Taken');
			const result = await signUp(t.db, limits, signUpInput('BOTH_TAKEN'), { ip: freshIp() });
			expect(result.ok).toBe(false);
			expect(!result.ok && 'errors' in result && Object.keys(result.errors).sort()).toEqual([
				'email',
				'handle'
			]);
		});

		it('gives one account and one field error when two people submit the same email at once', async () => {
			const results = await Promise.all([
				signUp(t.db, limits, signUpInput('Twin_One', 'twin@example.com'), { ip: freshIp() }),
				signUp(t.db, limits, signUpInput('Twin_Two', 'twin@example.com'), { ip: freshIp() })
			]);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			const refused = results.find((r) => !r.ok);
			expect(refused && !refused.ok && 'errors' in refused && refused.errors.email).toMatch(
				/already exists/
			);
			const rows = await t.db
				.selectFrom('app_user')
				.select('handle')
				.where('email', '=', 'twin@example.com')
				.execute();
			expect(rows).toHaveLength(1);
		});

		it('refuses more sign-ups from one address than allowed, and stores nothing', async () => {
			const small = createRateLimits(t.handle.pool, {
				SIGNIN_FAILURES_PER_IP: 3,
				SIGNUPS_PER_IP: 2
			});
			const ip = freshIp();
			expect((await signUp(t.db, small, signUpInput('From_Cafe_1'), { ip })).ok).toBe(true);
			expect((await signUp(t.db, small, signUpInput('From_Cafe_2'), { ip })).ok).toBe(true);
			const third = await signUp(t.db, small, signUpInput('From_Cafe_3'), { ip });
			expect(third.ok).toBe(false);
			if (third.ok || !('limited' in third)) {
				throw new Error('expected the third sign-up to be limited');
			}
			expect(third.limited.retryAfterSeconds).toBeGreaterThan(0);
			expect(third.limited.retryAfterSeconds).toBeLessThanOrEqual(60 * 60);
			expect(await roleOf(t.db, 'from_cafe_3@example.com')).toBeUndefined();
			// Someone elsewhere is not affected.
			expect((await signUp(t.db, small, signUpInput('From_Home'), { ip: freshIp() })).ok).toBe(
				true
			);
		});
	});

	describe('sign in', () => {
		it('accepts the email in any letter case', async () => {
			const carol = await addUser('Carol_W');
			const result = await signInAs('  Carol_W@EXAMPLE.com ', PASSWORD);
			expect(result.ok && result.user.id).toBe(carol.id);
		});

		it('accepts the handle in any letter case', async () => {
			const dan = await addUser('Dan_K');
			const result = await signInAs('dan_k', PASSWORD);
			expect(result.ok && result.user.id).toBe(dan.id);
		});

		it('refuses a wrong password and an unknown account with the same answer', async () => {
			await addUser('Erin_P');
			expect(await signInAs('erin_p', 'not the right password')).toEqual({
				ok: false,
				reason: 'invalid'
			});
			expect(await signInAs('nobody_here', PASSWORD)).toEqual({ ok: false, reason: 'invalid' });
			expect(await signInAs('nobody@example.com', PASSWORD)).toEqual({
				ok: false,
				reason: 'invalid'
			});
		});

		it('locks an account after 5 failures, refusing even the right password, from any address', async () => {
			await addUser('Frank_L');
			// Guesses by email and by handle count against the same account.
			const identifiers = [
				'frank_l@example.com',
				'FRANK_L',
				'frank_l',
				'Frank_L@example.com',
				'frank_l'
			];
			for (const [i, identifier] of identifiers.entries()) {
				const result = await signInAs(identifier, `wrong guess ${i}`);
				// The fifth failure locks the account and says so.
				expect(result, `guess ${i + 1}`).toMatchObject({
					ok: false,
					reason: i < 4 ? 'invalid' : 'limited'
				});
			}
			const locked = await signInAs('frank_l', PASSWORD);
			expect(locked.ok).toBe(false);
			if (locked.ok || locked.reason !== 'limited') {
				throw new Error('expected the account to be locked');
			}
			expect(locked.limited.retryAfterSeconds).toBeGreaterThan(0);
			expect(locked.limited.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
			// The lock is on the account: another account from the same address still gets in.
			await addUser('Grace_M');
			const ip = freshIp();
			expect((await signInAs('frank_l', PASSWORD, ip)).ok).toBe(false);
			expect((await signInAs('grace_m', PASSWORD, ip)).ok).toBe(true);
		});

		it('forgets earlier failures after a successful sign-in', async () => {
			await addUser('Hana_N');
			for (let round = 0; round < 2; round++) {
				for (let i = 0; i < 4; i++) {
					expect(await signInAs('hana_n', `typo ${round}.${i}`)).toEqual({
						ok: false,
						reason: 'invalid'
					});
				}
				expect((await signInAs('hana_n', PASSWORD)).ok, `round ${round + 1}`).toBe(true);
			}
		});

		it('refuses an address after too many failures across accounts, even with a right password', async () => {
			const small = createRateLimits(t.handle.pool, {
				SIGNIN_FAILURES_PER_IP: 3,
				SIGNUPS_PER_IP: 2
			});
			await addUser('Ivan_O');
			const ip = freshIp();
			for (const identifier of ['guess_one', 'guess_two@example.com']) {
				expect(await signInAs(identifier, 'password guess', ip, small)).toEqual({
					ok: false,
					reason: 'invalid'
				});
			}
			// The failure that reaches the limit already says so.
			const third = await signInAs('ivan_o', 'password guess', ip, small);
			expect(!third.ok && third.reason).toBe('limited');
			const refused = await signInAs('ivan_o', PASSWORD, ip, small);
			expect(refused.ok).toBe(false);
			expect(!refused.ok && refused.reason).toBe('limited');
			// The account itself is not locked: the same person elsewhere gets in.
			expect((await signInAs('ivan_o', PASSWORD, freshIp(), small)).ok).toBe(true);
		});
	});

	describe('sessions', () => {
		it('validates a new session for 30 days and stores only the token’s hash', async () => {
			const june = await addUser('June_Q');
			const token = generateSessionToken();
			const session = await createSession(t.db, token, june.id, {
				ip: '192.0.2.1',
				userAgent: 'Firefox'
			});
			expect(session.expiresAt.getTime()).toBeCloseTo(Date.now() + SESSION_LIFETIME, -4);

			const rows = await t.db
				.selectFrom('user_session')
				.selectAll()
				.where('user_id', '=', june.id)
				.execute();
			expect(rows).toHaveLength(1);
			expect(rows[0]!.id).toBe(hashToken(token));
			expect(JSON.stringify(rows[0])).not.toContain(token);

			const validation = await validateSessionToken(t.db, token);
			expect(validation.user).toEqual({
				id: june.id,
				email: 'june_q@example.com',
				handle: 'June_Q',
				displayName: 'June Q',
				role: 'member',
				suspendedUntil: null,
				locale: null
			});
			expect(validation.renewed).toBe(false);

			// The saved language rides along with the session, for the request's locale.
			await setUserLocale(t.db, june.id, 'de');
			expect((await validateSessionToken(t.db, token)).user?.locale).toBe('de');
			await setUserLocale(t.db, june.id, null);
			expect((await validateSessionToken(t.db, token)).user?.locale).toBeNull();
		});

		it('knows no session for an unknown token, or for the stored hash used as a token', async () => {
			const kim = await addUser('Kim_R');
			const token = generateSessionToken();
			await createSession(t.db, token, kim.id);
			expect((await validateSessionToken(t.db, generateSessionToken())).user).toBeNull();
			expect((await validateSessionToken(t.db, hashToken(token))).user).toBeNull();
		});

		it('refuses an expired session and deletes it', async () => {
			const lee = await addUser('Lee_S');
			const token = generateSessionToken();
			const session = await createSession(t.db, token, lee.id);
			await t.db
				.updateTable('user_session')
				.set({ expires_at: new Date(Date.now() - 1000) })
				.where('id', '=', session.id)
				.execute();
			expect(await validateSessionToken(t.db, token)).toEqual({
				session: null,
				user: null,
				renewed: false
			});
			const left = await t.db
				.selectFrom('user_session')
				.select('id')
				.where('id', '=', session.id)
				.execute();
			expect(left).toEqual([]);
		});

		it('extends a session used with less than 15 days left to 30 days again', async () => {
			const mia = await addUser('Mia_T');
			const token = generateSessionToken();
			const session = await createSession(t.db, token, mia.id);
			await t.db
				.updateTable('user_session')
				.set({ expires_at: new Date(Date.now() + 14 * DAY) })
				.where('id', '=', session.id)
				.execute();
			const validation = await validateSessionToken(t.db, token);
			expect(validation.renewed).toBe(true);
			expect(validation.session!.expiresAt.getTime()).toBeCloseTo(
				Date.now() + SESSION_LIFETIME,
				-4
			);
			const row = await t.db
				.selectFrom('user_session')
				.select('expires_at')
				.where('id', '=', session.id)
				.executeTakeFirstOrThrow();
			expect(row.expires_at.getTime()).toBeCloseTo(Date.now() + SESSION_LIFETIME, -4);
		});

		it('leaves a session with more than 15 days left as it is', async () => {
			const ned = await addUser('Ned_U');
			const token = generateSessionToken();
			const session = await createSession(t.db, token, ned.id);
			const sixteenDays = new Date(Date.now() + 16 * DAY);
			await t.db
				.updateTable('user_session')
				.set({ expires_at: sixteenDays })
				.where('id', '=', session.id)
				.execute();
			const validation = await validateSessionToken(t.db, token);
			expect(validation.renewed).toBe(false);
			expect(validation.session!.expiresAt.getTime()).toBe(sixteenDays.getTime());
			const row = await t.db
				.selectFrom('user_session')
				.select('expires_at')
				.where('id', '=', session.id)
				.executeTakeFirstOrThrow();
			expect(row.expires_at.getTime()).toBe(sixteenDays.getTime());
		});

		it('signs out one session without touching the others', async () => {
			const ola = await addUser('Ola_V');
			const [laptop, phone] = [generateSessionToken(), generateSessionToken()];
			const laptopSession = await createSession(t.db, laptop, ola.id);
			await createSession(t.db, phone, ola.id);
			await invalidateSession(t.db, laptopSession.id);
			expect((await validateSessionToken(t.db, laptop)).user).toBeNull();
			expect((await validateSessionToken(t.db, phone)).user?.id).toBe(ola.id);
		});

		it('ends every session of a user but the one kept, and nobody else’s', async () => {
			const pia = await addUser('Pia_W');
			const quinn = await addUser('Quinn_X');
			const [kept, other1, other2, quinns] = Array.from({ length: 4 }, generateSessionToken) as [
				string,
				string,
				string,
				string
			];
			const keptSession = await createSession(t.db, kept, pia.id);
			await createSession(t.db, other1, pia.id);
			await createSession(t.db, other2, pia.id);
			await createSession(t.db, quinns, quinn.id);

			await invalidateUserSessions(t.db, pia.id, keptSession.id);
			expect((await validateSessionToken(t.db, kept)).user?.id).toBe(pia.id);
			expect((await validateSessionToken(t.db, other1)).user).toBeNull();
			expect((await validateSessionToken(t.db, other2)).user).toBeNull();

			await invalidateUserSessions(t.db, pia.id);
			expect((await validateSessionToken(t.db, kept)).user).toBeNull();
			expect((await validateSessionToken(t.db, quinns)).user?.id).toBe(quinn.id);
		});
	});

	describe('change password', () => {
		it('refuses a wrong current password and changes nothing', async () => {
			const rae = await addUser('Rae_Y');
			const [current, other] = [generateSessionToken(), generateSessionToken()];
			const session = await createSession(t.db, current, rae.id);
			await createSession(t.db, other, rae.id);
			const result = await changePassword(
				t.db,
				limits,
				rae.id,
				{ currentPassword: 'not my password', newPassword: NEW_PASSWORD },
				session.id
			);
			expect(result).toEqual({
				ok: false,
				errors: { currentPassword: 'That is not your current password.' }
			});
			expect((await validateSessionToken(t.db, other)).user?.id).toBe(rae.id);
			expect((await signInAs('rae_y', PASSWORD)).ok).toBe(true);
			expect((await signInAs('rae_y', NEW_PASSWORD)).ok).toBe(false);
		});

		it('refuses the handle as the new password', async () => {
			const sam = await addUser('Samuel_Zed');
			const session = await createSession(t.db, generateSessionToken(), sam.id);
			const result = await changePassword(
				t.db,
				limits,
				sam.id,
				{ currentPassword: PASSWORD, newPassword: 'Samuel_Zed' },
				session.id
			);
			expect(result).toEqual({
				ok: false,
				errors: { newPassword: 'The password must not be your email or handle.' }
			});
			expect((await signInAs('samuel_zed', PASSWORD)).ok).toBe(true);
		});

		it('sets the new password and signs out every other session, keeping this one', async () => {
			const tom = await addUser('Tom_A');
			const uma = await addUser('Uma_B');
			const [current, laptop, phone, umas] = Array.from({ length: 4 }, generateSessionToken) as [
				string,
				string,
				string,
				string
			];
			const session = await createSession(t.db, current, tom.id);
			await createSession(t.db, laptop, tom.id);
			await createSession(t.db, phone, tom.id);
			await createSession(t.db, umas, uma.id);

			const result = await changePassword(
				t.db,
				limits,
				tom.id,
				{ currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
				session.id
			);
			expect(result).toEqual({ ok: true });
			expect((await validateSessionToken(t.db, current)).user?.id).toBe(tom.id);
			expect((await validateSessionToken(t.db, laptop)).user).toBeNull();
			expect((await validateSessionToken(t.db, phone)).user).toBeNull();
			expect((await validateSessionToken(t.db, umas)).user?.id).toBe(uma.id);
			expect((await signInAs('tom_a', NEW_PASSWORD)).ok).toBe(true);
			expect(await signInAs('tom_a', PASSWORD)).toEqual({ ok: false, reason: 'invalid' });
		});
	});

	describe('password reset', () => {
		const client = () => ({ ip: freshIp(), origin: ORIGIN });
		// The mail goes out from the job queue: a worker runs while these tests do.
		let worker: JobWorker;

		beforeAll(async () => {
			worker = await startJobWorker(t.handle.pool, jobHandlers(t.db), {
				pollingIntervalSeconds: 0.5,
				schedule: false
			});
		});

		afterAll(async () => {
			await worker.stop(2000);
		});

		/** Waits until every password-reset job so far has run. */
		async function drained() {
			await eventually(async () => {
				const { rows } = await sql<{ n: number }>`select count(*)::int as n from pgboss.job
					where name = 'password-reset-email' and state in ('created', 'retry', 'active')`.execute(t.db);
				return rows[0]!.n === 0;
			}, 'the password-reset jobs to run');
		}

		async function lastMailTo(email: string) {
			await drained();
			const [message] = await listOutbox(t.db, { recipient: email, limit: 1 });
			if (!message) {
				throw new Error(`no mail to ${email}`);
			}
			return message;
		}

		it('answers the same for an unknown address and sends nothing', async () => {
			const result = await requestPasswordReset(
				t.db,
				limits,
				{ email: 'stranger@example.com' },
				client()
			);
			expect(result).toEqual({ ok: true });
			expect(await listOutbox(t.db, { recipient: 'stranger@example.com' })).toEqual([]);
		});

		it('mails a link that resets the password once and only once', async () => {
			const vera = await addUser('Vera_C');
			expect(
				await requestPasswordReset(t.db, limits, { email: 'vera_c@example.com' }, client())
			).toEqual({
				ok: true
			});
			const mail = await lastMailTo('vera_c@example.com');
			expect(mail.recipient).toBe('vera_c@example.com');
			expect(mail.subject).toBe(`Reset your ${config().SITE_NAME} password`);
			expect(mail.textBody).toContain('Hello Vera C,');
			const { href, token } = resetLink(mail.textBody);
			expect(href).toBe(`${ORIGIN}/reset-password/${token}`);
			expect(await isResetTokenValid(t.db, token)).toBe(true);

			expect(await resetPassword(t.db, { token, password: NEW_PASSWORD })).toEqual({
				ok: true,
				userId: vera.id
			});
			expect((await signInAs('vera_c', NEW_PASSWORD)).ok).toBe(true);
			expect(await signInAs('vera_c', PASSWORD)).toEqual({ ok: false, reason: 'invalid' });

			expect(await isResetTokenValid(t.db, token)).toBe(false);
			expect(await resetPassword(t.db, { token, password: 'a third and different one' })).toEqual({
				ok: false,
				reason: 'invalid_token'
			});
			expect((await signInAs('vera_c', NEW_PASSWORD)).ok).toBe(true);
		});

		it('stores only the hash of the token', async () => {
			const wes = await addUser('Wes_D');
			await requestPasswordReset(t.db, limits, { email: 'wes_d@example.com' }, client());
			const { token } = resetLink((await lastMailTo('wes_d@example.com')).textBody);
			const rows = await t.db
				.selectFrom('password_reset')
				.select('id')
				.where('user_id', '=', wes.id)
				.execute();
			expect(rows.map((r) => r.id)).toEqual([hashToken(token)]);
		});

		it('refuses an expired link and leaves the password as it was', async () => {
			const xia = await addUser('Xia_E');
			await requestPasswordReset(t.db, limits, { email: 'xia_e@example.com' }, client());
			const { token } = resetLink((await lastMailTo('xia_e@example.com')).textBody);
			await t.db
				.updateTable('password_reset')
				.set({ expires_at: new Date(Date.now() - 1000) })
				.where('user_id', '=', xia.id)
				.execute();
			expect(await isResetTokenValid(t.db, token)).toBe(false);
			expect(await resetPassword(t.db, { token, password: NEW_PASSWORD })).toEqual({
				ok: false,
				reason: 'invalid_token'
			});
			expect((await signInAs('xia_e', PASSWORD)).ok).toBe(true);
		});

		it('makes a link expire after an hour', async () => {
			const yan = await addUser('Yan_F');
			await requestPasswordReset(t.db, limits, { email: 'yan_f@example.com' }, client());
			await drained();
			const row = await t.db
				.selectFrom('password_reset')
				.select('expires_at')
				.where('user_id', '=', yan.id)
				.executeTakeFirstOrThrow();
			expect(row.expires_at.getTime()).toBeCloseTo(Date.now() + 60 * 60 * 1000, -4);
		});

		it('keeps the link usable when the new password is refused', async () => {
			await addUser('Zoe_G');
			await requestPasswordReset(t.db, limits, { email: 'zoe_g@example.com' }, client());
			const { token } = resetLink((await lastMailTo('zoe_g@example.com')).textBody);
			const refused = await resetPassword(t.db, { token, password: 'zoe_g@example.com' });
			expect(refused).toEqual({
				ok: false,
				reason: 'password',
				message: 'The password must not be your email or handle.'
			});
			expect((await resetPassword(t.db, { token, password: NEW_PASSWORD })).ok).toBe(true);
		});

		it('signs the account out everywhere', async () => {
			const abe = await addUser('Abe_H');
			const [laptop, phone] = [generateSessionToken(), generateSessionToken()];
			await createSession(t.db, laptop, abe.id);
			await createSession(t.db, phone, abe.id);
			await requestPasswordReset(t.db, limits, { email: 'abe_h@example.com' }, client());
			const { token } = resetLink((await lastMailTo('abe_h@example.com')).textBody);
			expect((await resetPassword(t.db, { token, password: NEW_PASSWORD })).ok).toBe(true);
			expect((await validateSessionToken(t.db, laptop)).user).toBeNull();
			expect((await validateSessionToken(t.db, phone)).user).toBeNull();
		});

		it('uses up older links of the account once one of them is used', async () => {
			await addUser('Bea_I');
			await requestPasswordReset(t.db, limits, { email: 'bea_i@example.com' }, client());
			const older = resetLink((await lastMailTo('bea_i@example.com')).textBody).token;
			await requestPasswordReset(t.db, limits, { email: 'bea_i@example.com' }, client());
			const newer = resetLink((await lastMailTo('bea_i@example.com')).textBody).token;
			expect(newer).not.toBe(older);
			expect((await resetPassword(t.db, { token: newer, password: NEW_PASSWORD })).ok).toBe(true);
			expect(
				await resetPassword(t.db, { token: older, password: 'someone else chose this' })
			).toEqual({
				ok: false,
				reason: 'invalid_token'
			});
			expect((await signInAs('bea_i', NEW_PASSWORD)).ok).toBe(true);
		});

		it('sends at most 3 reset emails to one address, whichever address asks', async () => {
			await addUser('Cy_J');
			for (let i = 0; i < 3; i++) {
				expect(
					await requestPasswordReset(t.db, limits, { email: 'cy_j@example.com' }, client())
				).toEqual({ ok: true });
			}
			const fourth = await requestPasswordReset(
				t.db,
				limits,
				{ email: 'cy_j@example.com' },
				client()
			);
			expect(fourth.ok).toBe(false);
			expect(!fourth.ok && fourth.limited.retryAfterSeconds).toBeGreaterThan(0);
			await drained();
			expect(await listOutbox(t.db, { recipient: 'cy_j@example.com' })).toHaveLength(3);
		});
	});

	describe('changeRole', () => {
		let admin: User;
		beforeAll(async () => {
			admin = await addUser('Role_Admin', 'admin');
		});

		it('lets an admin make a member staff, and records it in the audit log', async () => {
			const member = await addUser('Promoted_Member');
			const result = await changeRole(t.db, actorOf(admin), {
				userId: member.id,
				role: 'staff',
				reason: 'joined the product team'
			});
			expect(result).toEqual({ ok: true, from: 'member', to: 'staff' });
			expect(await roleOf(t.db, 'promoted_member@example.com')).toBe('staff');
			const audit = await t.db
				.selectFrom('audit_log')
				.selectAll()
				.where('action', '=', 'user.role_changed')
				.where('target_id', '=', String(member.id))
				.execute();
			expect(audit).toHaveLength(1);
			expect(audit[0]).toMatchObject({
				actor_id: admin.id,
				actor_handle: 'Role_Admin',
				target_type: 'user',
				reason: 'joined the product team',
				details: { handle: 'Promoted_Member', from: 'member', to: 'staff' }
			});
		});

		it('does not let an admin change their own role', async () => {
			const result = await changeRole(t.db, actorOf(admin), { userId: admin.id, role: 'member' });
			expect(result).toEqual({ ok: false, reason: 'forbidden' });
			expect(await roleOf(t.db, 'role_admin@example.com')).toBe('admin');
			const audit = await t.db
				.selectFrom('audit_log')
				.select('id')
				.where('target_id', '=', String(admin.id))
				.execute();
			expect(audit).toEqual([]);
		});

		it('does not let staff change anybody’s role', async () => {
			const staff = await addUser('Ambitious_Staff', 'staff');
			const member = await addUser('Bystander');
			expect(await changeRole(t.db, actorOf(staff), { userId: member.id, role: 'admin' })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await roleOf(t.db, 'bystander@example.com')).toBe('member');
		});

		it('answers not_found for a user that does not exist', async () => {
			expect(await changeRole(t.db, actorOf(admin), { userId: 987_654, role: 'staff' })).toEqual({
				ok: false,
				reason: 'not_found'
			});
		});
	});

	describe('listUsers', () => {
		let zeb: User;
		let ximena: User;
		beforeAll(async () => {
			zeb = await addUser('Zebulon_Quartz');
			ximena = await t.db
				.insertInto('app_user')
				.values({
					email: 'x.rios@quartzmail.test',
					handle: 'xr_99',
					display_name: 'Ximena Ríos',
					password_hash: passwordHash,
					role: 'staff'
				})
				.returningAll()
				.executeTakeFirstOrThrow();
		});

		it('finds people by part of their handle, in any letter case', async () => {
			const { users, total } = await listUsers(t.db, { query: 'zebULON' });
			expect(users.map((u) => u.id)).toEqual([zeb.id]);
			expect(total).toBe(1);
		});

		it('finds people by part of their email', async () => {
			const { users } = await listUsers(t.db, { query: 'QUARTZMAIL' });
			expect(users.map((u) => u.handle)).toEqual(['xr_99']);
		});

		it('finds people by part of their display name', async () => {
			const { users } = await listUsers(t.db, { query: 'ríos' });
			expect(users).toEqual([
				{
					id: ximena.id,
					handle: 'xr_99',
					displayName: 'Ximena Ríos',
					email: 'x.rios@quartzmail.test',
					role: 'staff',
					companyName: null,
					createdAt: expect.any(Date)
				}
			]);
		});

		it('lists matches newest first and counts them', async () => {
			const { users, total } = await listUsers(t.db, { query: 'quartz' });
			expect(users.map((u) => u.id)).toEqual([ximena.id, zeb.id]);
			expect(total).toBe(2);
		});

		it('filters by role', async () => {
			const { users } = await listUsers(t.db, { query: 'quartz', role: 'staff' });
			expect(users.map((u) => u.id)).toEqual([ximena.id]);
		});

		it('reads % in a search as a percent sign, not as "anything"', async () => {
			expect(await listUsers(t.db, { query: '%' })).toEqual({ users: [], total: 0 });
		});

		it('lists everybody without a query', async () => {
			const { total } = await listUsers(t.db);
			expect(total).toBe(await userCount(t.db));
			expect(total).toBeGreaterThan(2);
		});
	});
});
