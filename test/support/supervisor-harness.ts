/**
 * What the supervisor's unit specs share: real demo services from demo/, a real
 * event store in a temporary data dir per test, and the check that no process
 * outlives the specs.
 */
import { expect } from '@jest/globals';
import type { StoredEvent } from '@vigil/shared';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vigilConfigSchema, type VigilConfig } from '../../apps/api/src/config/vigil-config.schema';
import { SqliteEventStore } from '../../apps/api/src/event-store/sqlite-event-store';
import type { Collector } from '../../apps/api/src/metrics/collectors/collector';
import { isAlive } from '../../apps/api/src/supervisor/proc';
import { Supervisor } from '../../apps/api/src/supervisor/supervisor.service';
import type { CollectorRegistry, RunOptions } from '../../apps/api/src/supervisor/supervisor.types';

const ROOT = process.cwd();
export const DEMO = (file: string) => join(ROOT, 'demo', file);
export const ENV = 'test';

export function configWith(services: Record<string, unknown>[]): VigilConfig {
  return vigilConfigSchema.parse({ environments: [{ name: ENV, services }] });
}

export interface Recorded extends RunOptions {
  lines: { stream: 'stdout' | 'stderr'; text: string }[];
  steps: [number, string][];
  /** Output and progress interleaved, as they came. */
  timeline: string[];
  controller: AbortController;
}

export function options(): Recorded {
  const controller = new AbortController();
  const recorded: Recorded = {
    controller,
    signal: controller.signal,
    lines: [],
    steps: [],
    timeline: [],
    correlationId: `test-${Math.random().toString(36).slice(2)}`,
    causationId: 'cause-1',
    output(lines) {
      recorded.lines.push(...lines);
      for (const line of lines) recorded.timeline.push(`${line.stream}: ${line.text}`);
    },
    progress(percent, step) {
      recorded.steps.push([percent, step]);
      recorded.timeline.push(`progress ${percent} ${step}`);
    },
  };
  return recorded;
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function health(port: number): Promise<{ pid: number; version: string; instance: number }> {
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  expect(response.status).toBe(200);
  return (await response.json()) as { pid: number; version: string; instance: number };
}

/** Demo processes that are children of this test process. */
function ourDemoProcesses(): string[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'demo/'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

export class RecordingRegistry implements CollectorRegistry {
  readonly collectors: Collector[] = [];
  add(collector: Collector): void {
    this.collectors.push(collector);
  }
  remove(): void {
    // The tests look at what was added only.
  }
}

/**
 * Registers the hooks of one spec file (a fresh data dir and store per test, the
 * supervisor shut down after each, no process left after all) and returns what
 * its tests use. Port blocks of 10 start at `firstPort`: give each spec file its
 * own range, below the ephemeral range (32768+) so no outgoing connection can hold them.
 */
export function supervisorHarness(firstPort: number) {
  let nextPortBlock = firstPort;
  let dir = '';
  let store: SqliteEventStore | undefined;
  let registry = new RecordingRegistry();
  let supervisor: Supervisor | undefined;
  const seenPids = new Set<number>();

  function ports(): { from: number; to: number } {
    const from = nextPortBlock;
    nextPortBlock += 10;
    return { from, to: from + 9 };
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-supervisor-'));
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
  });

  afterEach(async () => {
    if (supervisor) await supervisor.beforeApplicationShutdown();
    supervisor = undefined;
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  afterAll(() => {
    for (const pid of seenPids) expect(isAlive(pid)).toBe(false);
    expect(ourDemoProcesses()).toEqual([]);
  });

  return {
    /** This test's data dir. */
    get dir(): string {
      return dir;
    },
    /** The collectors the current supervisor registered. */
    get registry(): RecordingRegistry {
      return registry;
    },
    /** Pids the specs saw: all must be gone after the last test. */
    seenPids,

    demoService: (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      name,
      command: 'node',
      args: [DEMO('web-server.mjs')],
      ports: ports(),
      healthUrl: 'http://127.0.0.1:{port}/health',
      metricsUrl: 'http://127.0.0.1:{port}/metrics',
      stopGraceSeconds: 3,
      startTimeoutSeconds: 15,
      restart: { policy: 'on-failure', initialBackoffMs: 100, maxBackoffMs: 1000 },
      ...extra,
    }),

    make: async (services: Record<string, unknown>[], bootstrap = false): Promise<Supervisor> => {
      registry = new RecordingRegistry();
      supervisor = new Supervisor(store!, { dataDir: dir }, configWith(services), registry);
      if (bootstrap) {
        await supervisor.onApplicationBootstrap();
        await supervisor.whenStarted();
      }
      return supervisor;
    },

    pidsOf: (service: string): number[] => {
      const status = supervisor!.status(ENV).find((s) => s.service === service)!;
      const pids = status.instances.map((i) => i.pid).filter((pid): pid is number => pid !== null);
      pids.forEach((pid) => seenPids.add(pid));
      return pids;
    },

    events: async (service: string): Promise<StoredEvent[]> => {
      await supervisor!.settled();
      return store!.readStream(`service-${service}@${ENV}`);
    },
  };
}
