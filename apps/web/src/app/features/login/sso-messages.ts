import type { SsoErrorCode } from '@vigil/shared';

/** What the login page says when an SSO sign-in came back refused (`?sso_error=<code>`). */
const SSO_MESSAGES: Readonly<Record<SsoErrorCode, string>> = {
  idp: 'The identity provider did not sign you in.',
  unmapped: 'Your account is not in any group that has access to Vigil. Ask an administrator to map your group to a role.',
  state: 'That sign-in could not be verified (it expired, was already used, or did not start here). Please try again.',
  exchange: "The identity provider's answer could not be verified. Please try again.",
  disabled: 'Your Vigil user is disabled.',
  conflict: 'Your username is already taken by another Vigil user. Ask an administrator.',
  unavailable: 'The identity provider cannot be reached right now. Try again later.',
};

/** The message for a code; a code this page does not know gets a general one (never text from the URL). */
export function ssoMessage(code: string | null): string | null {
  if (code === null) return null;
  return Object.hasOwn(SSO_MESSAGES, code) ? SSO_MESSAGES[code as SsoErrorCode] : 'Single sign-on failed. Please try again.';
}
