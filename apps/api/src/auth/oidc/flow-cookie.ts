import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What the browser carries from GET /api/auth/oidc/login to the callback. */
export interface PendingFlow {
  state: string;
  nonce: string;
  /** The PKCE code verifier (its S256 challenge went to the provider). */
  verifier: string;
  redirectUri: string;
  /** A path of this app to land on after signing in. */
  returnTo: string;
  /** Epoch ms after which the flow is refused. */
  expiresAt: number;
}

export const OIDC_FLOW_COOKIE = 'vigil_oidc';
export const FLOW_SECONDS = 600;
const COOKIE_PATH = '/api/auth/oidc';

/**
 * The pending flow lives in the browser, sealed (AES-256-GCM, keyed from the
 * session secret): no server-side table, so any node of a cluster can finish a
 * flow another began, and nobody can read or forge the nonce and PKCE verifier.
 */
export class FlowSealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'vigil-oidc-flow', 32));
  }

  seal(flow: PendingFlow): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The flow, or undefined when the cookie was altered, is not ours, or has expired. */
  open(sealed: string | undefined, now = Date.now()): PendingFlow | undefined {
    if (!sealed || sealed.length > 4096) return undefined;
    const bytes = Buffer.from(sealed, 'base64url');
    if (bytes.length < 29) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
      const flow = JSON.parse(text) as PendingFlow;
      return typeof flow.expiresAt === 'number' && flow.expiresAt > now ? flow : undefined;
    } catch {
      return undefined;
    }
  }
}

/** SameSite=Lax, not Strict: the callback is a top-level navigation coming from the provider's site. */
export function flowCookie(value: string, secure: boolean, maxAgeSeconds = FLOW_SECONDS): string {
  const parts = [`${OIDC_FLOW_COOKIE}=${value}`, `Path=${COOKIE_PATH}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
  if (maxAgeSeconds === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
