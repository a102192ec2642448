// Email domains: what a company's `email_domain` may be, and the domain of an address. Pure.
import { m } from '$lib/paraglide/messages';

/**
 * Mail services anyone can sign up to: an address there says nothing about the employer, so no
 * company may claim one of these domains (everyone on gmail.com would join it).
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
	'gmail.com',
	'googlemail.com',
	'yahoo.com',
	'yahoo.co.uk',
	'yahoo.fr',
	'yahoo.de',
	'ymail.com',
	'rocketmail.com',
	'hotmail.com',
	'hotmail.co.uk',
	'hotmail.fr',
	'hotmail.de',
	'outlook.com',
	'outlook.fr',
	'outlook.de',
	'live.com',
	'live.co.uk',
	'msn.com',
	'icloud.com',
	'me.com',
	'mac.com',
	'aol.com',
	'proton.me',
	'protonmail.com',
	'pm.me',
	'tutanota.com',
	'tuta.io',
	'gmx.com',
	'gmx.de',
	'gmx.net',
	'web.de',
	't-online.de',
	'mail.com',
	'email.com',
	'zoho.com',
	'fastmail.com',
	'hey.com',
	'yandex.ru',
	'yandex.com',
	'mail.ru',
	'qq.com',
	'163.com',
	'126.com',
	'orange.fr',
	'free.fr',
	'laposte.net',
	'libero.it',
	'btinternet.com',
	'comcast.net',
	'verizon.net',
	'att.net'
]);

export function isFreeMailDomain(domain: string): boolean {
	return FREE_MAIL_DOMAINS.has(domain.trim().toLowerCase());
}

/** A host name with at least one dot: labels of letters, digits and inner dashes. */
const DOMAIN_PATTERN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A company domain as typed ("@Acme.com ", "acme.com") made canonical ("acme.com"), or the reason
 * it cannot be one. The message is what the admin sees.
 */
export function checkCompanyDomain(
	input: string
): { ok: true; domain: string } | { ok: false; message: string } {
	const domain = input.trim().toLowerCase().replace(/^@/, '');
	if (!DOMAIN_PATTERN.test(domain)) {
		return { ok: false, message: m.admin_company_domain_invalid({ at: '@' }) };
	}
	if (isFreeMailDomain(domain)) {
		return {
			ok: false,
			message: m.admin_company_domain_free_mail({ domain })
		};
	}
	return { ok: true, domain };
}

/** The domain part of an email address, lowercased; null when there is none. */
export function emailDomain(email: string): string | null {
	const at = email.lastIndexOf('@');
	if (at < 1 || at === email.length - 1) {
		return null;
	}
	return email.slice(at + 1).toLowerCase();
}
