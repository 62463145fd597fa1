import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { commandStreamOf, type EventMeta, type NewEvent } from '@vigil/shared';
import { ConcurrencyError, EventStore } from '../../event-store/event-store';
import type { OutputLine } from '../executors/command-executor';
import { CommandExecutors } from '../executors/command-executors';
import { RunningCommands, type AbortCause } from '../running-commands';
import { ExecuteCommand } from './execute-command.command';

/** Output lines are stored in batches, not one event per line. */
const OUTPUT_BATCH_LINES = 200;
const OUTPUT_FLUSH_MS = 50;

function isAbortCause(value: unknown): value is AbortCause {
  return typeof value === 'object' && value !== null && 'kind' in value && 'reason' in value;
}

/**
 * Runs an accepted command: `command.started`, output and progress, then exactly
 * one of completed / failed / cancelled / interrupted. `started` is appended at
 * version 1, so if two executors ever raced for one command only one would run it.
 */
@CommandHandler(ExecuteCommand)
export class ExecuteCommandHandler implements ICommandHandler<ExecuteCommand> {
  private readonly logger = new Logger('CommandExecutor');

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CommandExecutors) private readonly executors: CommandExecutors,
    @Inject(RunningCommands) private readonly running: RunningCommands,
  ) {}

  async execute({ accepted }: ExecuteCommand): Promise<void> {
    const command = accepted.data;
    const stream = commandStreamOf(command.commandId);
    const meta: EventMeta = {
      actor: accepted.meta.actor,
      environment: command.environment,
      correlationId: accepted.meta.correlationId,
      causationId: String(accepted.position),
    };
    let version = accepted.version;
    // Appends are chained so the stream's versions stay in order.
    let tail: Promise<unknown> = Promise.resolve();
    const append = (events: NewEvent[]): Promise<void> => {
      const expected = version;
      version += events.length;
      const written = tail.then(() => this.store.append(stream, expected, events, meta));
      tail = written.catch(() => undefined);
      return written.then(() => undefined);
    };

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
      const timeoutMs = executor?.timeoutMs(command) ?? 10_000;
      const timer = setTimeout(
        () => this.running.abort(command.commandId, { kind: 'timeout', reason: `timed out after ${Math.round(timeoutMs / 1000)} s` }),
        timeoutMs,
      );

      let seq = 0;
      let buffered: { stream: OutputLine['stream']; text: string; time: string }[] = [];
      let flushTimer: NodeJS.Timeout | undefined;
      /** The buffered lines as one `command.output` event, or nothing. */
      const takeOutput = (): NewEvent[] => {
        if (flushTimer) clearTimeout(flushTimer);
        flushTimer = undefined;
        if (buffered.length === 0) return [];
        const lines = buffered;
        buffered = [];
        const event: NewEvent = { type: 'command.output', data: { commandId: command.commandId, seq, lines } };
        seq += lines.length;
        return [event];
      };
      const flushOutput = (): void => {
        const events = takeOutput();
        if (events.length === 0) return;
        void append(events).catch((error: unknown) => {
          this.logger.error(`output of ${command.commandId} lost: ${String(error)}`);
        });
      };

      let terminal: NewEvent;
      try {
        if (!executor) throw new Error(`no executor for command type "${command.type}"`);
        const outcome = await executor.run({
          command,
          signal: controller.signal,
          meta,
          output: (lines) => {
            const time = new Date().toISOString();
            for (const line of lines) buffered.push({ stream: line.stream, text: line.text, time });
            if (buffered.length >= OUTPUT_BATCH_LINES) flushOutput();
            else flushTimer ??= setTimeout(flushOutput, OUTPUT_FLUSH_MS);
          },
          progress: (percent, step) => {
            flushOutput();
            void append([{ type: 'command.progress', data: { commandId: command.commandId, percent, step } }]).catch(() => undefined);
          },
        });
        if (controller.signal.aborted) throw controller.signal.reason;
        terminal = {
          type: 'command.completed',
          data: { commandId: command.commandId, durationMs: Date.now() - started, exitCode: outcome.exitCode, result: outcome.result },
        };
      } catch (error) {
        const cause = controller.signal.aborted && isAbortCause(controller.signal.reason) ? controller.signal.reason : undefined;
        const durationMs = Date.now() - started;
        if (cause?.kind === 'cancelled') {
          terminal = { type: 'command.cancelled', data: { commandId: command.commandId, durationMs, reason: cause.reason, by: cause.by } };
        } else if (cause?.kind === 'shutdown') {
          terminal = { type: 'command.interrupted', data: { commandId: command.commandId, reason: cause.reason } };
        } else {
          const reason = cause?.reason ?? (error instanceof Error ? error.message : String(error));
          const exitCode =
            typeof (error as { exitCode?: unknown })?.exitCode === 'number' ? (error as { exitCode: number }).exitCode : undefined;
          terminal = { type: 'command.failed', data: { commandId: command.commandId, durationMs, reason, exitCode } };
        }
      } finally {
        clearTimeout(timer);
      }
      // The last output and the outcome go in one append: one commit, not two.
      await append([...takeOutput(), terminal]).catch((error: unknown) => {
        this.logger.error(`could not record the end of ${command.commandId}: ${String(error)}`);
      });
    } finally {
      this.running.end(command.commandId);
    }
  }
}
