import type { SsoErrorCode } from '@vigil/shared';

/** An SSO sign-in that ends on the login page: the code the page explains, the reason the log records. */
export class SsoRefusal extends Error {
  constructor(
    readonly code: SsoErrorCode,
    readonly reason: string,
    /** Who tried, as far as known (the provider's username or subject). */
    readonly username = '(sso)',
  ) {
    super(reason);
    this.name = 'SsoRefusal';
  }
}
