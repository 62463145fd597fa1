import { Logger } from '@nestjs/common';
import * as client from 'openid-client';
import type { OidcConfig } from '../../config/oidc-config.schema';
import { FLOW_SECONDS, type PendingFlow } from './flow-cookie';
import { SsoRefusal } from './sso-refusal';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const TIMEOUT_SECONDS = 10;

/** What the provider says about the person who signed in: the ID token's claims, completed by userinfo. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
}

/**
 * The relying party, over `openid-client`: discovery (retried until it works once),
 * the authorization URL with PKCE (S256), state and nonce, and the code exchange
 * that checks all three plus the ID token's signature, issuer, audience and expiry.
 */
export class OidcClient {
  private readonly logger = new Logger('Oidc');
  private configuration?: Promise<client.Configuration>;

  constructor(readonly config: OidcConfig) {}

  private discover(): Promise<client.Configuration> {
    this.configuration ??= (async () => {
      const issuer = new URL(this.config.issuer);
      // Plain http only for a provider on this machine (tests, a local IdP).
      const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
      const auth = this.config.clientSecret ? client.ClientSecretBasic(this.config.clientSecret) : client.None();
      return client.discovery(issuer, this.config.clientId, undefined, auth, {
        timeout: TIMEOUT_SECONDS,
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- deliberately, for a loopback provider only
        ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
      });
    })().catch((error: unknown) => {
      this.configuration = undefined;
      this.logger.warn(`discovery at ${this.config.issuer} failed: ${messageOf(error)}`);
      throw new SsoRefusal('unavailable', `provider unreachable: ${messageOf(error)}`);
    });
    return this.configuration;
  }

  /** A new flow and the provider URL to send the browser to. */
  async begin(redirectUri: string, returnTo: string, now = Date.now()): Promise<{ flow: PendingFlow; url: URL }> {
    const configuration = await this.discover();
    const flow: PendingFlow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      redirectUri,
      returnTo,
      expiresAt: now + FLOW_SECONDS * 1000,
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: this.config.scopes.join(' '),
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { flow, url };
  }

  /** Finishes the flow from the callback's query: state, PKCE and nonce are all checked, or an SsoRefusal says which failed. */
  async finish(flow: PendingFlow, query: URLSearchParams): Promise<VerifiedIdentity> {
    const configuration = await this.discover();
    const currentUrl = new URL(flow.redirectUri);
    currentUrl.search = query.toString();
    let tokens;
    try {
      tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw refusalOf(error);
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new SsoRefusal('exchange', 'the provider returned no ID token');
    const claims: Record<string, unknown> = { ...idClaims };
    // Many providers put groups and profile claims in userinfo only.
    if (tokens.access_token && configuration.serverMetadata().userinfo_endpoint) {
      try {
        const info = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
        for (const [key, value] of Object.entries(info)) if (!(key in claims)) claims[key] = value;
      } catch (error) {
        throw new SsoRefusal('exchange', `userinfo failed: ${messageOf(error)}`, idClaims.sub);
      }
    }
    return { issuer: idClaims.iss, subject: idClaims.sub, claims };
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}

/** openid-client's errors, sorted into what the login page explains. */
function refusalOf(error: unknown): SsoRefusal {
  if (error instanceof client.AuthorizationResponseError) {
    return new SsoRefusal(
      'idp',
      `provider said ${error.error}${error.error_description ? `: ${error.error_description}` : ''}`.slice(0, 300),
    );
  }
  const code = (error as { code?: unknown }).code;
  // openid-client wraps the precise check that failed (e.g. 'unexpected ID Token "nonce" claim value') as the cause.
  const cause = (error as { cause?: unknown }).cause;
  const message = `${messageOf(error)}${cause instanceof Error ? `: ${messageOf(cause)}` : ''}`;
  if (/state/i.test(message)) return new SsoRefusal('state', `state check failed: ${message}`);
  if (error instanceof client.ResponseBodyError)
    return new SsoRefusal('exchange', `token endpoint said ${error.error}: ${error.error_description ?? ''}`.slice(0, 300));
  return new SsoRefusal('exchange', `${typeof code === 'string' ? `${code}: ` : ''}${message}`);
}
