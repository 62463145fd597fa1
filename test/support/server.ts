import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postJson, setDefaultHeaders } from './http';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'dist', 'api', 'main.js');

/** The first admin's password on test servers (unless a test sets VIGIL_ADMIN_PASSWORD itself). */
export const TEST_ADMIN_PASSWORD = 'vigil-test-admin-password';

export interface TestSession {
  username: string;
  password: string;
  accessToken: string;
  csrfToken: string;
  /** The Set-Cookie values of the login answer. */
  cookies: string[];
}

export interface StartOptions {
  /** Reuse a data dir (restart after a crash); otherwise a fresh temp dir is made. */
  dataDir?: string;
  /** YAML text for vigil.config.yaml; the repository's default config otherwise. */
  config?: string;
  env?: Record<string, string>;
  /** A postgres:// URL: the node keeps its log, read models and metrics there (VIGIL_DATABASE_URL), as part of a cluster. */
  database?: string;
  /** The cluster node's name (VIGIL_NODE_NAME). */
  node?: string;
  nodeArgs?: string[];
  /**
   * Record stream.opened / stream.closed per live stream (off by default here, on in
   * production: tests that count log positions exactly would see their own connections).
   */
  recordStreams?: boolean;
  /** Start the configured services (off by default: the default config's ports are fixed). */
  supervisor?: boolean;
  /**
   * Log in as `admin` after start and send its bearer token with every request the
   * support helpers (send/getJson/postJson, SseClient) make to this server.
   * Default true; `false` leaves requests unauthenticated.
   */
  auth?: boolean;
  /**
   * Listen on this port instead of a free one (a restart on the same port, so a browser
   * page can reconnect to it). Tests use a port from their own range.
   */
  port?: number;
}

export interface RunningServer {
  baseUrl: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM, then wait for the process to exit. */
  stop(): Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
  exited: Promise<number | null>;
  /** Removes the data dir (after stop). */
  cleanup(): void;
  /**
   * Stops this server (SIGTERM) if it still runs and starts a new one on the same data
   * dir and port with the same options (plus `overrides`).
   */
  restart(overrides?: StartOptions): Promise<RunningServer>;
  /** The automatic admin session (undefined with `auth: false`). */
  admin?: TestSession;
}

/** Stops a server and removes its data dir, if it was started (an afterAll after a failed beforeAll). */
export async function stopServer(server: RunningServer | undefined): Promise<void> {
  if (!server) return;
  await server.stop();
  server.cleanup();
}

/** Logs in over HTTP; throws unless the server answers 200. */
export async function login(baseUrl: string, username: string, password: string): Promise<TestSession> {
  const response = await postJson<{ accessToken: string; csrfToken: string }>(
    baseUrl,
    '/api/auth/login',
    { username, password },
    { authorization: '' },
  );
  if (response.status !== 200) throw new Error(`login as ${username} answered ${response.status}: ${response.text}`);
  const setCookie = response.headers['set-cookie'];
  return {
    username,
    password,
    accessToken: response.body.accessToken,
    csrfToken: response.body.csrfToken,
    cookies: Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [],
  };
}

/** Starts the built server (`dist/api/main.js`) on a free port and waits until it listens. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-test-'));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    VIGIL_PORT: String(options.port ?? 0),
    VIGIL_HOST: '127.0.0.1',
    VIGIL_DATA_DIR: dataDir,
    VIGIL_WEB_ROOT: join(ROOT, 'dist', 'web', 'browser'),
    NO_COLOR: '1',
    VIGIL_SUPERVISOR: options.supervisor ? 'on' : 'off',
    VIGIL_RECORD_STREAMS: options.recordStreams ? 'on' : 'off',
    VIGIL_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    ...(options.database === undefined ? {} : { VIGIL_DATABASE_URL: options.database }),
    ...(options.node === undefined ? {} : { VIGIL_NODE_NAME: options.node }),
    ...options.env,
  };
  if (options.config !== undefined) {
    const configPath = join(dataDir, 'vigil.config.yaml');
    writeFileSync(configPath, options.config);
    env.VIGIL_CONFIG = configPath;
  } else {
    env.VIGIL_CONFIG = join(ROOT, 'vigil.config.yaml');
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), MAIN], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolveExit) =>
    child.once('exit', (code) => {
      resolveExit(code);
    }),
  );

  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not start in 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on http:\/\/\S+?:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  let admin: TestSession | undefined;
  if (options.auth !== false) {
    try {
      admin = await login(baseUrl, 'admin', env.VIGIL_ADMIN_PASSWORD);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n${output}`);
    }
    setDefaultHeaders(baseUrl, { authorization: `Bearer ${admin.accessToken}` });
  }
  void exited.then(() => {
    setDefaultHeaders(baseUrl, undefined);
  });

  return {
    baseUrl,
    admin,
    port,
    dataDir,
    process: child,
    output: () => output,
    exited,
    kill: (signal = 'SIGKILL') => {
      child.kill(signal);
    },
    stop,
    cleanup: () => {
      rmSync(dataDir, { recursive: true, force: true });
    },
    restart: async (overrides = {}) => {
      await stop();
      return startServer({ ...options, ...overrides, dataDir, port });
    },
  };
}
