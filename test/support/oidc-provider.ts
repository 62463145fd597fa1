import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID Provider (`oidc-provider` 8) on loopback, for the SSO tests: one
 * confidential client for Vigil, PKCE required, and users whose groups a test can
 * change between sign-ins. Its development login and consent pages accept any
 * password; the login name is the subject.
 */
export interface TestIdpUser {
  groups: string[];
  email?: string;
}

export const IDP_CLIENT_ID = 'vigil';
export const IDP_CLIENT_SECRET = 'vigil-test-client-secret-0123456789';

export class TestOidcProvider {
  readonly users = new Map<string, TestIdpUser>();
  private handler?: (request: IncomingMessage, response: ServerResponse) => void;

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
  ) {}

  /** Listens on a free loopback port first (Vigil's config needs the issuer before the client is known). */
  static async listen(): Promise<TestOidcProvider> {
    const holder: { provider?: TestOidcProvider } = {};
    const server = createServer((request, response) => {
      const handler = holder.provider?.handler;
      if (handler) handler(request, response);
      else {
        response.statusCode = 503;
        response.end('provider not configured yet');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const provider = new TestOidcProvider(server, `http://127.0.0.1:${port}`);
    holder.provider = provider;
    return provider;
  }

  /** Registers Vigil's callback URL and starts answering. */
  configure(redirectUri: string): void {
    const provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: IDP_CLIENT_ID,
          client_secret: IDP_CLIENT_SECRET,
          redirect_uris: [redirectUri],
          response_types: ['code'],
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      findAccount: (_ctx, id) => {
        const user = this.users.get(id);
        if (!user) return Promise.resolve(undefined);
        return Promise.resolve({
          accountId: id,
          // Read at every sign-in: a changed group shows at the next one.
          claims: () =>
            Promise.resolve({ sub: id, preferred_username: id, email: user.email ?? `${id}@example.test`, groups: [...user.groups] }),
        });
      },
      claims: { openid: ['sub'], profile: ['preferred_username'], email: ['email'], groups: ['groups'] },
      pkce: { methods: ['S256'], required: () => true },
      cookies: { keys: ['test-provider-cookie-key-0123456789'] },
      features: { devInteractions: { enabled: true } },
      // Fixed lifetimes (seconds): the defaults are functions it warns about on every use.
      ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    });
    this.handler = provider.callback();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}
