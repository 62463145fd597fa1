import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
/** The built CLI (`npm run vigil`). */
export const CLI = join(ROOT, 'dist', 'api', 'cli', 'vigil-cli.js');
export const DEFAULT_CONFIG = join(ROOT, 'vigil.config.yaml');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string;
  env?: Record<string, string>;
}

/** The environment `vigil` runs with against `dataDir`. */
export function cliEnv(dataDir: string, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, VIGIL_DATA_DIR: dataDir, VIGIL_CONFIG: DEFAULT_CONFIG, ...env };
}

/**
 * Runs `vigil ARGS` against `dataDir` to the end. Asynchronous on purpose: a
 * blocking spawnSync would stall this process's sockets to a test server (its
 * keep-alive connections time out unnoticed and the next request hangs up).
 */
export function runCli(args: string[], dataDir: string, options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolveResult, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: cliEnv(dataDir, options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (status) => {
      resolveResult({ status, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}
