import type { LogLevel } from '@nestjs/common';
import { ConfigError } from '../config/config-error';

export type LogFormat = 'text' | 'json';

export interface LogSettings {
  format: LogFormat;
  /** The lowest level written, and every level above it. */
  levels: LogLevel[];
  /** Colour codes: text format on a terminal only, never with NO_COLOR. */
  colors: boolean;
}

/** From most to least severe; VIGIL_LOG_LEVEL names the lowest one written (`info` = Nest's `log`). */
const ORDER: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const ALIASES: Readonly<Partial<Record<string, LogLevel>>> = { info: 'log', trace: 'verbose' };

/** VIGIL_LOG_FORMAT (`text`|`json`, default text) and VIGIL_LOG_LEVEL (default info). */
/** `out.isTTY`: stdout is a terminal (Node leaves `isTTY` undefined on a pipe or file, whatever its type says). */
export function readLogSettings(env: NodeJS.ProcessEnv = process.env, out: { isTTY?: boolean } = process.stdout): LogSettings {
  const problems = [];
  const rawFormat = (env.VIGIL_LOG_FORMAT ?? '').trim().toLowerCase() || 'text';
  if (rawFormat !== 'text' && rawFormat !== 'json')
    problems.push({ file: 'environment', key: 'VIGIL_LOG_FORMAT', reason: `must be text or json, got "${env.VIGIL_LOG_FORMAT ?? ''}"` });
  const rawLevel = (env.VIGIL_LOG_LEVEL ?? '').trim().toLowerCase() || 'info';
  const level = ALIASES[rawLevel] ?? ORDER.find((name) => name === rawLevel);
  if (!level)
    problems.push({
      file: 'environment',
      key: 'VIGIL_LOG_LEVEL',
      reason: `must be one of fatal, error, warn, info, debug, verbose; got "${env.VIGIL_LOG_LEVEL ?? ''}"`,
    });
  if (problems.length > 0 || !level) throw new ConfigError(problems);
  const format: LogFormat = rawFormat === 'json' ? 'json' : 'text';
  return {
    format,
    levels: ORDER.slice(0, ORDER.indexOf(level) + 1),
    colors: format === 'text' && out.isTTY === true && !env.NO_COLOR,
  };
}
