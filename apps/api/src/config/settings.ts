import { Logger } from '@nestjs/common';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from './config-error';

/** Run-time settings from environment variables (ARCHITECTURE.md, "Run-time settings"). */
export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  configPath: string;
  /** VIGIL_CONFIG was set: the file must exist (only the default path may be absent). */
  configRequired: boolean;
  /** Where the built web app lives; served from the same port as the API. */
  webRoot: string;
  /** Who was watching: one stream.opened / stream.closed per live stream (VIGIL_RECORD_STREAMS, `on` by default). */
  recordStreams: boolean;
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError([{ file: 'environment', key: 'VIGIL_PORT', reason: `must be an integer from 0 to 65535, got "${raw}"` }]);
  }
  return port;
}

function parseOnOff(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new Error(`${name} must be on or off, got "${raw}"`);
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    port: parsePort(env.VIGIL_PORT),
    host: env.VIGIL_HOST ?? '0.0.0.0',
    dataDir: resolve(env.VIGIL_DATA_DIR ?? './data'),
    // An empty VIGIL_CONFIG counts as unset.
    configPath: resolve(env.VIGIL_CONFIG === undefined || env.VIGIL_CONFIG === '' ? './vigil.config.yaml' : env.VIGIL_CONFIG),
    configRequired: Boolean(env.VIGIL_CONFIG),
    webRoot: resolve(env.VIGIL_WEB_ROOT ?? './dist/web/browser'),
    recordStreams: parseOnOff('VIGIL_RECORD_STREAMS', env.VIGIL_RECORD_STREAMS, true),
  };
}

/** Data dirs already checked by this process (ensureDataDir runs once per store). */
const checkedDirs = new Set<string>();

/**
 * Creates the data dir readable by its owner only (0700): it holds the audit log
 * with password hashes and the JWT secret. An existing dir that others may enter
 * is narrowed to 0700; when that is not allowed (another owner), a warning says so.
 */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (checkedDirs.has(dataDir)) return;
  checkedDirs.add(dataDir);
  const mode = statSync(dataDir).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(dataDir, 0o700);
  } catch (error) {
    new Logger('Settings').warn(
      `${dataDir} is open to others (mode ${mode.toString(8)}) and could not be changed to 0700 (${(error as NodeJS.ErrnoException).code ?? String(error)}): it holds password hashes; restrict it`,
    );
  }
}

/** projections.db: the read models (audit, replay checkpoints), all rebuildable from the log. */
export function projectionsFile(settings: Settings): string {
  ensureDataDir(settings.dataDir);
  return join(settings.dataDir, 'projections.db');
}
