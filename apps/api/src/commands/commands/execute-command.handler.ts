import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { commandStreamOf, type EventMeta, type NewEvent } from '@vigil/shared';
import { ConcurrencyError, EventStore } from '../../event-store/event-store';
import type { OutputLine } from '../executors/command-executor';
import { CommandExecutors } from '../executors/command-executors';
import { ExecuteCommand } from './execute-command.command';

/** Output lines are stored in batches, not one event per line. */
const OUTPUT_BATCH_LINES = 200;
const OUTPUT_FLUSH_MS = 50;

/**
 * Runs an accepted command: `command.started`, output and progress, then exactly
 * one of completed / failed. `started` is appended at version 1, so if two
 * executors ever raced for one command only one would run it.
 */
@CommandHandler(ExecuteCommand)
export class ExecuteCommandHandler implements ICommandHandler<ExecuteCommand> {
  private readonly logger = new Logger('CommandExecutor');

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CommandExecutors) private readonly executors: CommandExecutors,
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

    try {
      await append([{ type: 'command.started', data: { commandId: command.commandId } }]);
    } catch (error) {
      if (error instanceof ConcurrencyError) return; // someone else runs it
      throw error;
    }

    const started = Date.now();
    let seq = 0;
    let buffered: { stream: OutputLine['stream']; text: string; time: string }[] = [];
    let flushTimer: NodeJS.Timeout | undefined;
    const flushOutput = (): void => {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = undefined;
      if (buffered.length === 0) return;
      const lines = buffered;
      buffered = [];
      void append([{ type: 'command.output', data: { commandId: command.commandId, seq, lines } }]).catch((error: unknown) =>
        this.logger.error(`output of ${command.commandId} lost: ${String(error)}`),
      );
      seq += lines.length;
    };

    const executor = this.executors.get(command.type);
    const abort = new AbortController();
    try {
      if (!executor) throw new Error(`no executor for command type "${command.type}"`);
      const outcome = await executor.run({
        command,
        signal: abort.signal,
        output: (lines) => {
          const time = new Date().toISOString();
          for (const line of lines) buffered.push({ stream: line.stream, text: line.text, time });
          if (buffered.length >= OUTPUT_BATCH_LINES) flushOutput();
          else flushTimer ??= setTimeout(flushOutput, OUTPUT_FLUSH_MS);
        },
        progress: (percent, step) => {
          flushOutput();
          void append([{ type: 'command.progress', data: { commandId: command.commandId, percent, step } }]);
        },
      });
      flushOutput();
      await append([
        {
          type: 'command.completed',
          data: { commandId: command.commandId, durationMs: Date.now() - started, exitCode: outcome.exitCode, result: outcome.result },
        },
      ]);
    } catch (error) {
      flushOutput();
      const reason = error instanceof Error ? error.message : String(error);
      await append([{ type: 'command.failed', data: { commandId: command.commandId, durationMs: Date.now() - started, reason } }]).catch(
        (appendError: unknown) => this.logger.error(`could not record failure of ${command.commandId}: ${String(appendError)}`),
      );
    }
  }
}
