import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Run-time settings from environment variables (ARCHITECTURE.md, "Run-time settings"). */
export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  configPath: string;
  /** Where the built web app lives; served from the same port as the API. */
  webRoot: string;
  /** Who was watching: one stream.opened / stream.closed per live stream (VIGIL_RECORD_STREAMS, `on` by default). */
  recordStreams: boolean;
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`VIGIL_PORT must be an integer from 0 to 65535, got "${raw}"`);
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
    configPath: resolve(env.VIGIL_CONFIG ?? './vigil.config.yaml'),
    webRoot: resolve(env.VIGIL_WEB_ROOT ?? './dist/web/browser'),
    recordStreams: parseOnOff('VIGIL_RECORD_STREAMS', env.VIGIL_RECORD_STREAMS, true),
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
