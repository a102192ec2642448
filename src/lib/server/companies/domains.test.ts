import { describe, expect, it } from 'vitest';
import { checkCompanyDomain, emailDomain, isFreeMailDomain } from './domains';

describe('checkCompanyDomain', () => {
	it('makes a typed domain canonical', () => {
		expect(checkCompanyDomain('  @Acme.COM ')).toEqual({ ok: true, domain: 'acme.com' });
		expect(checkCompanyDomain('eu.acme-corp.co.uk')).toEqual({
			ok: true,
			domain: 'eu.acme-corp.co.uk'
		});
	});

	it.each(['gmail.com', 'GMAIL.com', 'outlook.com', 'proton.me', 'yahoo.co.uk'])(
		'refuses the free mail service %s with a reason',
		(domain) => {
			const result = checkCompanyDomain(domain);
			expect(result.ok).toBe(false);
			expect(!result.ok && result.message).toMatch(/free mail service/);
		}
	);

	it.each(['acme', 'https://acme.com', 'name@acme.com', 'acme..com', '-acme.com', 'acme.c'])(
		'refuses %s, which is not a domain',
		(domain) => {
			const result = checkCompanyDomain(domain);
			expect(result.ok).toBe(false);
			expect(!result.ok && result.message).toMatch(/like acme.com/);
		}
	);
});

describe('isFreeMailDomain', () => {
	it('knows the big providers, not company domains', () => {
		expect(isFreeMailDomain('gmail.com')).toBe(true);
		expect(isFreeMailDomain(' Hotmail.com')).toBe(true);
		expect(isFreeMailDomain('acme.com')).toBe(false);
	});
});

describe('emailDomain', () => {
	it('takes the part after the last @, lowercased', () => {
		expect(emailDomain('Ana@Acme.com')).toBe('acme.com');
		expect(emailDomain('no-at-sign')).toBeNull();
		expect(emailDomain('trailing@')).toBeNull();
	});
});
