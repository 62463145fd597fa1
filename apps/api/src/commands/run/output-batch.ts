import type { CommandOutputData, NewEvent } from '@vigil/shared';
import type { OutputLine } from '../executors/command-executor';

/** Output lines are stored in batches, not one event per line. */
const OUTPUT_BATCH_LINES = 200;
const OUTPUT_FLUSH_MS = 50;

/**
 * A running command's output on its way to the log: lines are buffered and written
 * as one `command.output` when 200 have gathered or 50 ms after the first, whichever
 * is sooner. `seq` numbers each batch's first line, counting over the whole run.
 */
export class OutputBatch {
  private seq = 0;
  private lines: CommandOutputData['lines'] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly commandId: string,
    private readonly write: (events: NewEvent[]) => void,
  ) {}

  add(lines: readonly OutputLine[]): void {
    const time = new Date().toISOString();
    for (const line of lines) this.lines.push({ stream: line.stream, text: line.text, time });
    if (this.lines.length >= OUTPUT_BATCH_LINES) this.flush();
    else
      this.timer ??= setTimeout(() => {
        this.flush();
      }, OUTPUT_FLUSH_MS);
  }

  /** Writes what is buffered now (before a progress event, so the two stay in order). */
  flush(): void {
    const events = this.take();
    if (events.length > 0) this.write(events);
  }

  /** The buffered lines as one `command.output` event, or nothing: for the caller to append with its own events. */
  take(): NewEvent[] {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.lines.length === 0) return [];
    const lines = this.lines;
    this.lines = [];
    const event: NewEvent<'command.output'> = { type: 'command.output', data: { commandId: this.commandId, seq: this.seq, lines } };
    this.seq += lines.length;
    return [event];
  }
}
