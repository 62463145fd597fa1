import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes: scrypt (node:crypto) with a random 16-byte salt per user,
 * stored as one string `scrypt$N$r$p$<salt b64>$<hash b64>` so the cost can be
 * raised later without breaking old hashes.
 */
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 64;
const SALT_BYTES = 16;
/** Node's default maxmem (32 MiB) is just enough for N=16384, r=8; leave room for higher costs. */
const MAX_MEM = 256 * 1024 * 1024;
/** The largest cost a stored hash may ask for: a tampered hash must not make a login burn minutes. */
const MAX_N = 1 << 20;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, keyLength, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAX_MEM });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [n, r, p] = parts.slice(1, 4).map((part) => (/^\d{1,8}$/.test(part) ? Number(part) : NaN));
  if (!Number.isInteger(n) || n < 2 || n > MAX_N || (n & (n - 1)) !== 0) return undefined;
  if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return undefined;
  if (!B64.test(parts[4]) || !B64.test(parts[5])) return undefined;
  const salt = Buffer.from(parts[4], 'base64');
  const key = Buffer.from(parts[5], 'base64');
  if (salt.length < 8 || key.length < 16 || key.length > 256) return undefined;
  return { n, r, p, salt, key };
}

/** True when `password` matches `stored`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) {
    // Spend the same time as a real check, so a broken record does not stand out.
    await spendOneHash(password);
    return false;
  }
  const key = await scrypt(password, parsed.salt, parsed.key.length, { N: parsed.n, r: parsed.r, p: parsed.p, maxmem: MAX_MEM });
  return timingSafeEqual(key, parsed.key);
}

let dummy: Promise<string> | undefined;

/** The hash `spendOneHash` compares against, made once. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64'));
  return dummy;
}

/** Prepares the hash `spendOneHash` compares against, so even the first unknown-user login costs one scrypt. */
export function prepareDummyHash(): Promise<void> {
  return dummyHash().then(() => undefined);
}

/**
 * One scrypt with the current parameters and nothing to match: a login for an
 * unknown (or disabled) user costs what a real check costs, so timing does not
 * reveal which usernames exist.
 */
export async function spendOneHash(password: string): Promise<void> {
  const parsed = parseHash(await dummyHash());
  if (!parsed) throw new Error('the dummy password hash does not parse');
  const key = await scrypt(password, parsed.salt, parsed.key.length, { N: parsed.n, r: parsed.r, p: parsed.p, maxmem: MAX_MEM });
  timingSafeEqual(key, parsed.key);
}

/** A random password for the first admin or a CLI-created user: 24 characters, ~143 bits. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
