import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, getJson, postJson } from './http';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'api', 'cli', 'vigil-cli.js');

export interface HostBody {
  name: string;
  status: 'online' | 'offline' | 'revoked';
  labels: Record<string, string>;
  agentVersion?: string;
  lastSeenAt?: string;
  services: { environment: string; service: string }[];
}

/** POST /api/hosts as the server's admin; answers the token shown once. */
export async function enrolHost(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<string> {
  const response = await postJson<{ name: string; token: string }>(baseUrl, '/api/hosts', { name, labels });
  if (response.status !== 201) throw new Error(`enrolling ${name} answered ${response.status}: ${response.text}`);
  return response.body.token;
}

export async function host(baseUrl: string, name: string): Promise<HostBody | undefined> {
  const { body } = await getJson<HostBody[]>(baseUrl, '/api/hosts');
  return body.find((entry) => entry.name === name);
}

export function hostStatus(baseUrl: string, name: string, status: HostBody['status'], timeoutMs = 30_000): Promise<HostBody> {
  return eventually(
    `host ${name} to be ${status}`,
    async () => {
      const found = await host(baseUrl, name);
      return found?.status === status ? found : undefined;
    },
    timeoutMs,
  );
}

export interface RunningAgent {
  name: string;
  dataDir: string;
  configPath: string;
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
  stop(): Promise<number | null>;
  /** A new agent process on the same data dir and config. */
  restart(): RunningAgent;
  cleanup(): void;
}

export interface AgentOptions {
  server: string;
  name: string;
  token: string;
  /** vigil-agent.yaml text (JSON is YAML too). */
  config: string;
  dataDir?: string;
}

/** `vigil agent` as its own process (the built CLI), its own data dir and config. */
export function startAgent(options: AgentOptions): RunningAgent {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `vigil-agent-${options.name}-`));
  const configPath = join(dataDir, 'vigil-agent.yaml');
  writeFileSync(configPath, options.config);
  const child = spawn(
    process.execPath,
    [CLI, 'agent', '--server', options.server, '--name', options.name, '--config', configPath, '--data-dir', join(dataDir, 'data')],
    { cwd: ROOT, env: { ...process.env, VIGIL_AGENT_TOKEN: options.token, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) =>
    child.once('exit', (code) => {
      resolveExit(code);
    }),
  );
  return {
    name: options.name,
    dataDir,
    configPath,
    process: child,
    output: () => output,
    exited,
    kill: (signal = 'SIGKILL') => {
      child.kill(signal);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    restart: () => startAgent({ ...options, dataDir }),
    cleanup: () => {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An agent config with the given services in staging. */
export function agentConfig(services: Record<string, unknown>[]): string {
  return JSON.stringify({ environments: [{ name: 'staging', services }] });
}
