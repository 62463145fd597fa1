import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { commandStreamOf, type EventMeta, type NewEvent, type StoredEvent } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { ConcurrencyError, EventStore } from '../../event-store/event-store';
import { followCommitted } from '../../event-store/follow-committed';
import { CommandExecutors } from '../executors/command-executors';
import { CommandPlacement } from '../placement/command-placement';
import { RunningCommands } from '../running-commands';
import { OutputBatch } from './output-batch';
import { terminalEvent, type RunEnd } from './terminal-event';

/** For a command type without an executor (none today): long enough to fail cleanly. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** What lets a command run: `command.accepted`, or `command.approved` for one that awaited approval. */
export type RunPermit = StoredEvent<'command.accepted'> | StoredEvent<'command.approved'>;

/**
 * Runs every command whose `command.accepted` (or, for a command that needed
 * approval, `command.approved`) commits: follows `events$` like every
 * other reactor, so it acts only on what is durable, once, in commit order. A run
 * records `command.started`, output and progress, then exactly one of completed /
 * failed / cancelled / interrupted. `started` is appended at the version right after
 * the permit, so if two runners ever raced for one command only one would run it.
 * Commands accepted before a restart are not re-run: recovery closes them first.
 */
@Injectable()
export class CommandRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CommandRunner');
  private subscription?: Subscription;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CommandExecutors) private readonly executors: CommandExecutors,
    @Inject(RunningCommands) private readonly running: RunningCommands,
    @Inject(CommandPlacement) private readonly placement: CommandPlacement,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = followCommitted(
      this.store,
      ['command.accepted', 'command.approved'],
      (accepted) => (this.placement.runsHere(accepted.data, accepted.meta) ? this.run(accepted) : undefined),
      this.logger,
    );
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Registered as running synchronously (before the submitter's 202), so it can be cancelled at once. */
  async run(accepted: RunPermit): Promise<void> {
    const command = accepted.data;
    const meta: EventMeta = {
      actor: accepted.meta.actor,
      environment: command.environment,
      correlationId: accepted.meta.correlationId,
      causationId: String(accepted.position),
    };
    const append = this.appenderFor(commandStreamOf(command.commandId), accepted.version, meta);
    const executor = this.executors.get(command.type);
    const controller = this.running.begin(command.commandId, command.type, command.environment, command.target);
    try {
      try {
        await append([{ type: 'command.started', data: { commandId: command.commandId } }]);
      } catch (error) {
        if (error instanceof ConcurrencyError) return; // someone else runs it
        throw error;
      }

      const started = Date.now();
      const timeoutMs = executor?.timeoutMs(command) ?? DEFAULT_TIMEOUT_MS;
      const timer = setTimeout(() => {
        this.running.abort(command.commandId, { kind: 'timeout', reason: `timed out after ${Math.round(timeoutMs / 1000)} s` });
      }, timeoutMs);
      const output = new OutputBatch(command.commandId, (events) => {
        append(events).catch((error: unknown) => {
          this.logger.error(`output of ${command.commandId} lost: ${String(error)}`);
        });
      });

      let end: RunEnd;
      try {
        if (!executor) throw new Error(`no executor for command type "${command.type}"`);
        const result = await executor.run({
          command,
          signal: controller.signal,
          meta,
          output: (lines) => {
            output.add(lines);
          },
          progress: (percent, step) => {
            output.flush();
            append([{ type: 'command.progress', data: { commandId: command.commandId, percent, step } }]).catch(() => undefined);
          },
        });
        end = { result };
      } catch (error) {
        end = { error };
      } finally {
        clearTimeout(timer);
      }
      // The last output and the outcome go in one append: one commit, not two.
      const terminal = terminalEvent(command.commandId, Date.now() - started, end, controller.signal);
      await append([...output.take(), terminal]).catch((error: unknown) => {
        this.logger.error(`could not record the end of ${command.commandId}: ${String(error)}`);
      });
    } finally {
      this.running.end(command.commandId);
    }
  }

  /** Appends to the command's stream at the next expected version each time, chained so versions stay in order. */
  private appenderFor(stream: string, fromVersion: number, meta: EventMeta): (events: NewEvent[]) => Promise<void> {
    let version = fromVersion;
    let tail: Promise<unknown> = Promise.resolve();
    return (events) => {
      const expected = version;
      version += events.length;
      const written = tail.then(() => this.store.append(stream, expected, events, meta));
      tail = written.catch(() => undefined);
      return written.then(() => undefined);
    };
  }
}
