import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
/** The built CLI (`npm run vigil`). */
export const CLI = join(ROOT, 'dist', 'api', 'cli', 'vigil-cli.js');
export const DEFAULT_CONFIG = join(ROOT, 'vigil.config.yaml');

/** Runs `vigil ARGS` against `dataDir` to the end (stdout and stderr as text). */
export function runCli(args: string[], dataDir: string, options: { input?: string; env?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, VIGIL_DATA_DIR: dataDir, VIGIL_CONFIG: DEFAULT_CONFIG, ...options.env },
    ...(options.input === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] as const } : { input: options.input }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
}
