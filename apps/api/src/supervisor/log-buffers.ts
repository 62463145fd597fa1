import { Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { errorMessage } from './error-message';
import { LineSplitter } from './line-splitter';
import { RingBuffer } from './ring-buffer';
import type { LogLine } from './supervisor.types';

/** Lines kept per instance. */
export const LOG_LINES_PER_INSTANCE = 1000;

interface LogEntry {
  /** Arrival order across the service's instances, so their lines merge in the order they came. */
  seq: number;
  line: LogLine;
}

/**
 * The logs of one service: the last LOG_LINES_PER_INSTANCE lines of each
 * instance (kept across its restarts) and the followers that get every new line.
 */
export class ServiceLogs {
  private readonly logger = new Logger('Supervisor');
  private readonly buffers = new Map<number, RingBuffer<LogEntry>>();
  private readonly followers = new Set<(line: LogLine) => void>();
  private seq = 0;

  /** `label` names the service in warnings. */
  constructor(private readonly label: string) {}

  /** Feeds a child's stdout or stderr into the instance's buffer, line by line. */
  attach(instance: number, stream: LogLine['stream'], pipe: Readable): void {
    const splitter = new LineSplitter();
    pipe.on('data', (chunk: Buffer) => {
      this.push(instance, stream, splitter.push(chunk));
    });
    pipe.on('end', () => {
      this.push(instance, stream, splitter.end());
    });
    pipe.on('error', (error) => {
      this.logger.warn(`${this.label} #${instance} ${stream}: ${error.message}`);
    });
  }

  /** The newest `lines` lines over all instances, oldest first. */
  last(lines: number): LogLine[] {
    const count = Math.max(0, Math.floor(lines));
    const entries = [...this.buffers.values()].flatMap((buffer) => buffer.last(count));
    entries.sort((a, b) => a.seq - b.seq);
    return entries.slice(Math.max(0, entries.length - count)).map((entry) => entry.line);
  }

  /** Calls `onLine` for every new line until the returned function is called. */
  follow(onLine: (line: LogLine) => void): () => void {
    this.followers.add(onLine);
    return () => {
      this.followers.delete(onLine);
    };
  }

  private push(instance: number, stream: LogLine['stream'], texts: string[]): void {
    for (const text of texts) {
      const line: LogLine = { time: new Date().toISOString(), instance, stream, text };
      this.buffer(instance).push({ seq: ++this.seq, line });
      for (const follower of this.followers) {
        try {
          follower(line);
        } catch (error) {
          this.logger.warn(`a log follower of ${this.label} threw: ${errorMessage(error)}`);
        }
      }
    }
  }

  private buffer(instance: number): RingBuffer<LogEntry> {
    let buffer = this.buffers.get(instance);
    if (!buffer) {
      buffer = new RingBuffer<LogEntry>(LOG_LINES_PER_INSTANCE);
      this.buffers.set(instance, buffer);
    }
    return buffer;
  }
}
