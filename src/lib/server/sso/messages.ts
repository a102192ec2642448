// What a visitor is told when a sign-on ends, keyed by the code in the page's `sso` parameter.
// The codes are ours; the provider's own words never reach the page.

import { m } from '$lib/paraglide/messages';

export const SSO_CODES = [
	'denied',
	'bad_state',
	'provider_unavailable',
	'code_rejected',
	'invalid_token',
	'email_unverified',
	'account_unverified',
	'admin_email_unverified',
	'no_email',
	'other_identity_linked',
	'limited',
	'identity_taken',
	'provider_taken',
	'linked',
	'already_linked',
	'unlinked'
] as const;
export type SsoCode = (typeof SSO_CODES)[number];

export function isSsoCode(value: string | null): value is SsoCode {
	return value !== null && (SSO_CODES as readonly string[]).includes(value);
}

/** Codes that report success (shown as such), the rest are problems. */
export const SSO_SUCCESS: readonly SsoCode[] = ['linked', 'already_linked', 'unlinked'];

export function ssoMessage(code: SsoCode, provider: string): string {
	const p = { provider };
	switch (code) {
		case 'denied':
			return m.account_sso_denied(p);
		case 'bad_state':
			return m.account_sso_bad_state(p);
		case 'provider_unavailable':
			return m.account_sso_provider_unavailable(p);
		case 'code_rejected':
			return m.account_sso_code_rejected(p);
		case 'invalid_token':
			return m.account_sso_invalid_token(p);
		case 'email_unverified':
			return m.account_sso_email_unverified(p);
		case 'account_unverified':
			return m.account_sso_account_unverified(p);
		case 'admin_email_unverified':
			return m.account_sso_admin_email_unverified(p);
		case 'no_email':
			return m.account_sso_no_email(p);
		case 'other_identity_linked':
			return m.account_sso_other_identity_linked(p);
		case 'limited':
			return m.account_sso_limited();
		case 'identity_taken':
			return m.account_sso_identity_taken(p);
		case 'provider_taken':
			return m.account_sso_provider_taken(p);
		case 'linked':
			return m.account_sso_linked(p);
		case 'already_linked':
			return m.account_sso_already_linked(p);
		case 'unlinked':
			return m.account_sso_unlinked(p);
	}
}
