import { Logger } from '@nestjs/common';
import type { StoredEvent } from '@vigil/shared';
import { HostStorageCollector } from '../metrics/collectors/host-storage.collector';
import { HostCollector } from '../metrics/collectors/host.collector';
import { Supervisor } from '../supervisor/supervisor.service';
import { AgentClient, readSse, type AgentIdentity } from './agent-client';
import { AgentCommandRunner } from './agent-command-runner';
import type { AgentConfig } from './agent-config';
import { AgentSampler } from './agent-sampler';
import { AgentState } from './agent-state';
import { RemoteJournal } from './remote-journal';
import { SampleBuffer } from './sample-buffer';

export const AGENT_VERSION = '0.1.0';

const BACKOFF_MS = { first: 500, max: 10_000 };
const STREAM_IDLE_MS = 20_000;
/** Under the server's default 64 KiB body limit. */
const BATCH_BYTES = 48 * 1024;

export interface AgentOptions extends AgentIdentity {
  dataDir: string;
  config: AgentConfig;
}

/** The agent refused for good (its config conflicts with the fleet): exit, do not retry. */
export class AgentRefusedError extends Error {}

/**
 * `vigil agent`: supervises this host's declared services with the server's own
 * Supervisor and collectors, and talks to the server only outbound: one SSE stream
 * down (commands, resumed with Last-Event-ID), POSTs up (hello, heartbeat every
 * 5 s, metric batches every second, service events, command output and outcomes).
 * While the server is away its services keep running and samples are buffered;
 * it reconnects with backoff and back-fills.
 */
export class Agent {
  private readonly logger = new Logger('Agent');
  private readonly client: AgentClient;
  private readonly buffer: SampleBuffer;
  private readonly sampler: AgentSampler;
  private readonly journal: RemoteJournal;
  private readonly supervisor: Supervisor;
  private readonly runner: AgentCommandRunner;
  private readonly state: AgentState;
  private readonly timers: NodeJS.Timeout[] = [];
  private stream?: AbortController;
  private stopped = false;
  private connected = false;
  private heartbeatMs = 5_000;
  private refused?: (error: Error) => void;

  constructor(private readonly options: AgentOptions) {
    this.client = new AgentClient(options);
    this.buffer = new SampleBuffer(options.config.metrics.bufferSamples);
    this.sampler = new AgentSampler(this.buffer);
    this.journal = new RemoteJournal(this.client);
    this.state = new AgentState(options.dataDir);
    this.supervisor = new Supervisor(this.journal, { dataDir: options.dataDir }, options.config.supervised, this.sampler);
    this.runner = new AgentCommandRunner(this.client, this.supervisor, this.journal, options.name);
  }

  /** Starts everything; resolves when stopped, rejects with AgentRefusedError when the server refuses the config. */
  async run(): Promise<void> {
    const m = this.options.config.metrics;
    this.sampler.add(new HostCollector(m.hostIntervalSeconds * 1000, Math.min(5000, m.hostIntervalSeconds * 1000)));
    this.sampler.add(new HostStorageCollector(m.storageIntervalSeconds * 1000, 5000));
    await this.supervisor.onApplicationBootstrap();
    this.timers.push(setInterval(() => void this.sendMetrics(), 1000));
    this.timers.push(setInterval(() => void this.heartbeat(), 1000));
    return new Promise<void>((resolve, reject) => {
      this.refused = reject;
      void this.connectLoop().then(resolve, reject);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stream?.abort();
    for (const timer of this.timers) clearInterval(timer);
    this.sampler.stop();
    await this.runner.shutdown();
    await this.supervisor.beforeApplicationShutdown();
    await this.journal.flush();
    await this.sendMetrics();
  }

  /** A method, not the field: it changes while the loop awaits. */
  private isStopped(): boolean {
    return this.stopped;
  }

  get bufferedSamples(): number {
    return this.buffer.size;
  }

  private async connectLoop(): Promise<void> {
    let backoff = BACKOFF_MS.first;
    while (!this.stopped) {
      const hello = await this.client.post<{ heartbeatMs: number }>('/api/agent/hello', {
        agentVersion: AGENT_VERSION,
        environments: this.options.config.rawEnvironments,
      });
      if (hello.status === 200) {
        backoff = BACKOFF_MS.first;
        this.heartbeatMs = hello.body?.heartbeatMs ?? this.heartbeatMs;
        this.connected = true;
        this.logger.log(`connected to ${this.options.server} as host ${this.options.name}`);
        void this.journal.flush();
        await this.follow().catch((error: unknown) => {
          if (!this.stopped) this.logger.warn(`command stream ended: ${error instanceof Error ? error.message : String(error)}`);
        });
        this.connected = false;
      } else if (hello.status === 400 || hello.status === 409) {
        const error = new AgentRefusedError(`the server refused this agent's services (${hello.status}): ${hello.message}`);
        this.refused?.(error);
        throw error;
      } else {
        this.logger.warn(
          `server ${this.options.server} ${hello.status === 0 ? 'unreachable' : `answered ${hello.status}`}: ${hello.message}`,
        );
      }
      if (this.isStopped()) return;
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(BACKOFF_MS.max, backoff * 2);
    }
  }

  /** Holds the command stream until it ends or breaks. */
  private async follow(): Promise<void> {
    this.stream = new AbortController();
    const last = this.state.lastEventId;
    const response = await fetch(this.client.url('/api/agent/stream'), {
      headers: { ...this.client.headers(), accept: 'text/event-stream', ...(last !== undefined ? { 'last-event-id': String(last) } : {}) },
      signal: this.stream.signal,
    });
    if (response.status !== 200 || !response.body) throw new Error(`stream answered ${response.status}`);
    await readSse(
      response.body,
      (message) => {
        if (message.id === undefined) return;
        const event = JSON.parse(message.data) as StoredEvent;
        this.state.record(event.position);
        if (event.type === 'command.accepted') {
          void this.runner.handle(event).catch((error: unknown) => {
            this.logger.error(`command ${event.data.commandId} failed to run: ${String(error)}`);
          });
        }
      },
      STREAM_IDLE_MS,
    );
  }

  private lastHeartbeat = 0;
  private async heartbeat(): Promise<void> {
    if (!this.connected || Date.now() - this.lastHeartbeat < this.heartbeatMs) return;
    this.lastHeartbeat = Date.now();
    const answer = await this.client.post('/api/agent/heartbeat', {});
    if (answer.status === 401) {
      this.logger.error(`host token refused: ${answer.message}`);
      this.stream?.abort();
    }
  }

  private sendingMetrics = false;
  private async sendMetrics(): Promise<void> {
    if (this.sendingMetrics || this.buffer.size === 0 || (!this.connected && !this.stopped)) return;
    this.sendingMetrics = true;
    try {
      while (this.buffer.size > 0) {
        const batch = this.buffer.take(BATCH_BYTES);
        const answer = await this.client.post('/api/agent/metrics', batch);
        if (answer.status === 0 || answer.status >= 500 || answer.status === 401) {
          this.buffer.putBack(batch);
          return;
        }
        if (answer.status !== 202) this.logger.warn(`metrics batch refused (${answer.status}): ${answer.message}`);
      }
    } finally {
      this.sendingMetrics = false;
    }
  }
}
