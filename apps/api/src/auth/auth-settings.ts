import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ensureDataDir } from '../config/settings';
import { join } from 'node:path';

/**
 * Identity settings from the environment (ARCHITECTURE.md, "Run-time settings").
 * Read here rather than in config/settings.ts for now; they can be folded into
 * `Settings` later without changing their meaning.
 */
export interface AuthSettings {
  /** First start only: the password of the `admin` user created when there are no users. */
  adminPassword?: string;
  /** HS256 key for sessions; without it one is generated and kept in the data dir. */
  jwtSecret?: string;
}

export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');
export const JWT_SECRET = Symbol('JWT_SECRET');

export function readAuthSettings(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const adminPassword = env.VIGIL_ADMIN_PASSWORD;
  const jwtSecret = env.VIGIL_JWT_SECRET;
  if (jwtSecret !== undefined && jwtSecret !== '' && Buffer.byteLength(jwtSecret) < 32) {
    throw new Error('VIGIL_JWT_SECRET must be at least 32 characters (or unset it to have one generated)');
  }
  return {
    ...(adminPassword ? { adminPassword } : {}),
    ...(jwtSecret ? { jwtSecret } : {}),
  };
}

export const SECRET_FILE = 'jwt-secret';

/**
 * The session signing key: VIGIL_JWT_SECRET, else `<dataDir>/jwt-secret`, created
 * on first start with 32 random bytes and mode 0600 (created with that mode; an
 * existing file's mode is never changed, only warned about when others can read it).
 */
export function loadJwtSecret(settings: AuthSettings, dataDir: string): string {
  if (settings.jwtSecret) return settings.jwtSecret;
  const logger = new Logger('Auth');
  ensureDataDir(dataDir);
  const path = join(dataDir, SECRET_FILE);
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(32).toString('base64url')}\n`);
    } finally {
      closeSync(fd);
    }
    logger.log(`generated a session signing key in ${path} (mode 0600)`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const fd = openSync(path, 'r');
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if (mode & 0o077) logger.warn(`${path} is readable by others (mode ${mode.toString(8)}); it should be 0600`);
    const secret = readFileSync(fd, 'utf8').trim();
    if (secret.length < 32) throw new Error(`${path} holds no usable key (under 32 characters): delete it to have a new one generated`);
    return secret;
  } finally {
    closeSync(fd);
  }
}
