import { passwordSchema, usernameSchema, type SessionUser, type UserSummary } from '@vigil/shared';

/** A control on a user's row: allowed, or why not (shown beside it, as on the Services page). */
export interface UserControl {
  allowed: boolean;
  reason?: string;
}

/** What the signed-in admin may do to `target` from the page; the API refuses the same. */
export function userControls(target: UserSummary, me: Pick<SessionUser, 'id'> | null): { status: UserControl; role: UserControl } {
  const self = me?.id === target.id;
  return {
    status: self && !target.disabled ? { allowed: false, reason: 'you may not disable yourself: ask another admin' } : { allowed: true },
    role: self ? { allowed: false, reason: 'you may not change your own role: ask another admin' } : { allowed: true },
  };
}

/** The shared schemas' own messages, before anything is sent. */
export function newUserProblem(username: string, password: string): string | null {
  const name = usernameSchema.safeParse(username);
  if (!name.success) return `Username: ${name.error.issues[0]?.message ?? 'not valid'}`;
  if (password !== '') {
    const secret = passwordSchema.safeParse(password);
    if (!secret.success) return `Password: ${secret.error.issues[0]?.message ?? 'not valid'}`;
  }
  return null;
}

const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A 20-character password from the browser's CSPRNG (no look-alike characters), shown once. */
export function generatePassword(random: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  const bytes = random(new Uint8Array(20));
  // 256 % 57 leaves a slight bias; at 20 characters (~117 bits) it does not matter.
  return Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}
