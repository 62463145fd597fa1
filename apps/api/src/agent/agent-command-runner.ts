import { Logger } from '@nestjs/common';
import type { EventMeta, NewEvent, StoredEvent } from '@vigil/shared';
import { CancelExecutor } from '../commands/executors/cancel.executor';
import type { CommandExecutor } from '../commands/executors/command-executor';
import { DeployExecutor } from '../commands/executors/deploy.executor';
import { LogsExecutor } from '../commands/executors/logs.executor';
import { RestartExecutor } from '../commands/executors/restart.executor';
import { ScaleExecutor } from '../commands/executors/scale.executor';
import { StartExecutor } from '../commands/executors/start.executor';
import { StopExecutor } from '../commands/executors/stop.executor';
import { OutputBatch } from '../commands/run/output-batch';
import { terminalEvent, type RunEnd } from '../commands/run/terminal-event';
import { RunningCommands } from '../commands/running-commands';
import type { Supervisor } from '../supervisor/supervisor.service';
import type { AgentClient } from './agent-client';
import type { RemoteJournal } from './remote-journal';

/** What the server may ask an agent for. Nothing else runs, and never a command line of its choosing. */
export const AGENT_COMMAND_TYPES = ['start', 'stop', 'restart', 'scale', 'deploy', 'logs', 'cancel'] as const;

const RETRY_MS = [250, 500, 1000, 2000, 5000];

/**
 * Runs the commands the stream brings, as the server's CommandRunner does, with the
 * same executors over this agent's supervisor: claim (`command.started` at the
 * accepted version, POSTed: a 409 means it is claimed already, so it is skipped),
 * then batched output, progress and exactly one outcome, each POSTed at the
 * command stream's next version. A type outside the list, or a service this agent
 * does not declare, fails without running anything.
 */
export class AgentCommandRunner {
  private readonly logger = new Logger('Agent');
  private readonly executors = new Map<string, CommandExecutor>();
  readonly running = new RunningCommands();

  constructor(
    private readonly client: AgentClient,
    private readonly supervisor: Supervisor,
    journal: RemoteJournal,
    private readonly host: string,
  ) {
    for (const executor of [
      new StartExecutor(supervisor),
      new StopExecutor(supervisor),
      new RestartExecutor(supervisor),
      new LogsExecutor(supervisor),
      new ScaleExecutor(supervisor),
      new DeployExecutor(supervisor, journal),
      new CancelExecutor(this.running),
    ]) {
      this.executors.set(executor.type, executor);
    }
  }

  async handle(accepted: StoredEvent<'command.accepted'>): Promise<void> {
    const command = accepted.data;
    if (this.running.isRunning(command.commandId)) return;
    const claim = await this.client.post<{ version: number }>(`/api/agent/commands/${command.commandId}/start`, {
      version: accepted.version,
    });
    if (claim.status === 409) return; // claimed before (a resumed stream), or closed meanwhile
    if (claim.status !== 200 || !claim.body) {
      this.logger.warn(`could not claim command ${command.commandId} (${claim.status}): ${claim.message}`);
      return;
    }
    const append = this.appenderFor(command.commandId, claim.body.version);
    const meta: EventMeta = {
      ...(accepted.meta.actor ? { actor: accepted.meta.actor } : {}),
      environment: command.environment,
      correlationId: accepted.meta.correlationId,
      causationId: String(accepted.position),
      host: this.host,
    };
    const executor = this.executors.get(command.type);
    const declared = command.type === 'cancel' || this.supervisor.has(command.environment, command.target);
    const controller = this.running.begin(command.commandId, command.type, command.environment, command.target);
    const started = Date.now();
    const output = new OutputBatch(command.commandId, (events) => void append(events));
    let end: RunEnd;
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!executor || !(AGENT_COMMAND_TYPES as readonly string[]).includes(command.type)) {
        throw new Error(`agent ${this.host} does not run "${command.type}" commands`);
      }
      if (!declared) throw new Error(`agent ${this.host} does not declare service "${command.target}" in ${command.environment}`);
      const timeoutMs = executor.timeoutMs(command);
      timer = setTimeout(() => {
        this.running.abort(command.commandId, { kind: 'timeout', reason: `timed out after ${Math.round(timeoutMs / 1000)} s` });
      }, timeoutMs);
      const result = await executor.run({
        command,
        signal: controller.signal,
        meta,
        output: (lines) => {
          output.add(lines);
        },
        progress: (percent, step) => {
          output.flush();
          void append([{ type: 'command.progress', data: { commandId: command.commandId, percent, step } }]);
        },
      });
      end = { result };
    } catch (error) {
      end = { error };
    } finally {
      clearTimeout(timer);
    }
    try {
      await append([...output.take(), terminalEvent(command.commandId, Date.now() - started, end, controller.signal)]);
    } finally {
      this.running.end(command.commandId);
    }
  }

  /** On shutdown: abort what runs (it ends `command.interrupted`), then wait a moment for the outcomes to be sent. */
  async shutdown(): Promise<void> {
    await this.running.beforeApplicationShutdown();
  }

  /** POSTs to the command's stream at the next expected version, in order; retried while the server is away. */
  private appenderFor(commandId: string, fromVersion: number): (events: NewEvent[]) => Promise<void> {
    let version = fromVersion;
    let tail: Promise<unknown> = Promise.resolve();
    return (events) => {
      const expectedVersion = version;
      version += events.length;
      const written = tail.then(() => this.post(commandId, expectedVersion, events));
      tail = written.catch(() => undefined);
      return written;
    };
  }

  private async post(commandId: string, expectedVersion: number, events: NewEvent[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.client.post(`/api/agent/commands/${commandId}/events`, { expectedVersion, events });
      if (answer.status === 202) return;
      if (answer.status !== 0 && answer.status < 500) {
        this.logger.warn(`events of command ${commandId} refused (${answer.status}): ${answer.message}`);
        return;
      }
      if (attempt >= 60) return;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
    }
  }
}
