import { mkdirSync } from 'node:fs';
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
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError([{ file: 'environment', key: 'VIGIL_PORT', reason: `must be an integer from 0 to 65535, got "${raw}"` }]);
  }
  return port;
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
  };
}

/**
 * Creates the data dir readable by its owner only: it holds the audit log with
 * password hashes and the JWT secret. An existing dir keeps its mode.
 */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/** projections.db: the read models (audit, replay checkpoints), all rebuildable from the log. */
export function projectionsFile(settings: Settings): string {
  ensureDataDir(settings.dataDir);
  return join(settings.dataDir, 'projections.db');
}
