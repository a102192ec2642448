import { afterEach, describe, expect, it } from 'vitest';
import { config, readConfig, setConfig } from './config';

describe('readConfig', () => {
	it('works out of the box: an empty environment gives the embedded database and safe defaults', () => {
		const cfg = readConfig({});
		expect(cfg.DATABASE_URL).toBeUndefined();
		expect(cfg.DATA_DIR).toBe('./data');
		expect(cfg.SMTP_URL).toBeUndefined();
		expect(cfg.SITE_NAME).toBe('Roundtable');
		expect(cfg.MAIL_FROM).toBe('Roundtable <no-reply@localhost>');
		expect(cfg.DATABASE_POOL_SIZE).toBe(10);
		expect(cfg.SIGNIN_FAILURES_PER_IP).toBe(30);
		expect(cfg.SIGNUPS_PER_IP).toBe(10);
		expect(cfg.production).toBe(false);
	});

	it('treats a blank variable as unset, so `SMTP_URL=` in a .env file means no SMTP', () => {
		const cfg = readConfig({ SMTP_URL: '', SITE_NAME: '', DATABASE_URL: '' });
		expect(cfg.SMTP_URL).toBeUndefined();
		expect(cfg.DATABASE_URL).toBeUndefined();
		expect(cfg.SITE_NAME).toBe('Roundtable');
	});

	it('reads numbers from their text', () => {
		const cfg = readConfig({
			DATABASE_POOL_SIZE: '25',
			SIGNIN_FAILURES_PER_IP: '3',
			SIGNUPS_PER_IP: '2'
		});
		expect(cfg.DATABASE_POOL_SIZE).toBe(25);
		expect(cfg.SIGNIN_FAILURES_PER_IP).toBe(3);
		expect(cfg.SIGNUPS_PER_IP).toBe(2);
	});

	it.each([
		['1', true],
		['true', true],
		['yes', true],
		['on', true],
		['0', false],
		['false', false],
		['no', false],
		['off', false]
	])('reads SEED_DEMO=%s as %s', (value, expected) => {
		expect(readConfig({ SEED_DEMO: value }).SEED_DEMO).toBe(expected);
	});

	it('is in production mode only when NODE_ENV is production', () => {
		expect(readConfig({ NODE_ENV: 'production' }).production).toBe(true);
		expect(readConfig({ NODE_ENV: 'test' }).production).toBe(false);
		expect(readConfig({ NODE_ENV: 'development' }).production).toBe(false);
	});

	it.each([
		['DATABASE_URL', 'not a url'],
		['SMTP_URL', 'mail.example.com'],
		['ADMIN_EMAIL', 'boss'],
		['DATABASE_POOL_SIZE', '0'],
		['DATABASE_POOL_SIZE', 'ten'],
		['SIGNUPS_PER_IP', '0'],
		['SEED_DEMO', 'maybe'],
		['SITE_NAME', 'x'.repeat(61)]
	])('refuses %s=%s at start-up, naming the variable', (name, value) => {
		expect(() => readConfig({ [name]: value })).toThrow(
			new RegExp(`Invalid configuration:[\\s\\S]*${name}`)
		);
	});

	it('names every invalid variable at once', () => {
		let message = '';
		try {
			readConfig({ SMTP_URL: 'nope', ADMIN_EMAIL: 'nope' });
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toContain('SMTP_URL');
		expect(message).toContain('ADMIN_EMAIL');
	});

	it('ignores variables it does not know', () => {
		expect(readConfig({ PATH: '/usr/bin', HOME: '/root' })).toEqual(readConfig({}));
	});
});

describe('config and setConfig', () => {
	const before = config();
	afterEach(() => {
		setConfig(before);
	});

	it('returns the same configuration on every call', () => {
		expect(config()).toBe(config());
	});

	it('serves the configuration a test put in place', () => {
		setConfig(readConfig({ SITE_NAME: 'Feedback Hub' }));
		expect(config().SITE_NAME).toBe('Feedback Hub');
	});
});

describe('APP_SECRET', () => {
	it('is optional (a generated one is kept in the database) but must be long when set', () => {
		expect(readConfig({}).APP_SECRET).toBeUndefined();
		expect(readConfig({ APP_SECRET: 'x'.repeat(32) }).APP_SECRET).toBe('x'.repeat(32));
		expect(() => readConfig({ APP_SECRET: 'short' })).toThrow(/APP_SECRET: Use at least 32/);
	});
});
