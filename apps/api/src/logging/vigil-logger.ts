import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { readLogSettings, type LogSettings } from './log-settings';

/** Nest's `log` is what log pipelines call `info`. */
function levelName(level: LogLevel): string {
  return level === 'log' ? 'info' : level;
}

/**
 * Nest's ConsoleLogger with Vigil's settings: in JSON mode one object a line,
 * `{time, level, context, msg, ...fields}` with ISO-8601 UTC time (fields are the
 * plain objects passed after the message); in text mode the usual lines with an
 * ISO-8601 UTC timestamp, colour only on a terminal.
 */
export class VigilLogger extends ConsoleLogger {
  readonly format: LogSettings['format'];

  constructor(settings: LogSettings = readLogSettings()) {
    super({
      json: settings.format === 'json',
      colors: settings.colors,
      logLevels: settings.levels,
      flattenParams: true,
      // One record a line, whatever is logged.
      compact: true,
      prefix: 'Vigil',
    });
    this.format = settings.format;
  }

  protected override getTimestamp(): string {
    return new Date().toISOString();
  }

  /** Nest's record `{level, pid, timestamp, message, context, ...}` renamed to what log pipelines read. */
  protected override stringifyJsonLogObject(record: Record<string, unknown>): string {
    const { level, timestamp, message, context, pid, ...fields } = record;
    return super.stringifyJsonLogObject({
      time: new Date(typeof timestamp === 'number' ? timestamp : Date.now()).toISOString(),
      level: levelName(level as LogLevel),
      ...(typeof context === 'string' && context ? { context } : {}),
      msg: typeof message === 'string' ? message : JSON.stringify(message),
      pid,
      ...fields,
    });
  }
}

let shared: VigilLogger | undefined;

/** The process's logger (made on first use from the environment). */
export function vigilLogger(): VigilLogger {
  shared ??= new VigilLogger();
  return shared;
}
