// What a visitor is told when a sign-on ends, keyed by the code in the page's `sso` parameter.
// The codes are ours; the provider's own words never reach the page.

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
	switch (code) {
		case 'denied':
			return `Signing in with ${provider} was cancelled. Nothing was changed.`;
		case 'bad_state':
			return `That sign-in with ${provider} could not be matched to this browser (it may have expired or been started elsewhere). Please try again.`;
		case 'provider_unavailable':
			return `${provider} could not be reached or answered unexpectedly. Please try again in a moment, or sign in with your password.`;
		case 'code_rejected':
			return `${provider} did not accept the sign-in (it may have expired or been used already). Please try again.`;
		case 'invalid_token':
			return `The answer from ${provider} failed our security checks, so you were not signed in. Please try again.`;
		case 'email_unverified':
			return `An account with this email already exists, and ${provider} has not verified the address. Sign in with your password, then link ${provider} from your settings.`;
		case 'account_unverified':
			return `An account with this email already exists, but its address has not been confirmed. Sign in with your password (or use “Forgot your password?” to get a link by email), confirm the address, then link ${provider} from your settings.`;
		case 'admin_email_unverified':
			return `This email address is reserved for the site's administrator and ${provider} has not verified it. Verify the address at ${provider}, or sign up with a password.`;
		case 'no_email':
			return `${provider} did not share an email address, which an account needs. Allow access to your email at ${provider}, or sign up with a password.`;
		case 'other_identity_linked':
			return `The account with this email is already linked to another ${provider} account. Sign in with that one or with your password; you can change the link in settings.`;
		case 'limited':
			return 'Too many failed sign-in attempts from your network. Please try again later.';
		case 'identity_taken':
			return `That ${provider} account is already linked to another member, so it was not linked to yours.`;
		case 'provider_taken':
			return `Your account is already linked to a ${provider} account. Unlink it first to link a different one.`;
		case 'linked':
			return `${provider} is now linked: you can use it to sign in.`;
		case 'already_linked':
			return `That ${provider} account was already linked to yours.`;
		case 'unlinked':
			return `${provider} was unlinked from your account.`;
	}
}
