import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error';
import { vigilConfigSchema, type VigilConfig } from './vigil-config.schema';
import { positionOf } from './yaml-positions';

export { ConfigError, type ConfigProblem } from './config-error';

export interface LoadOptions {
  /** The path was given explicitly (VIGIL_CONFIG, `config check FILE`): a missing file is an error. */
  required?: boolean;
}

/** Each zod issue as a problem with its line; an unknown key is one problem per key, at that key. */
function problemsOf(file: string, text: string, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    for (const path of paths) {
      const at = positionOf(doc, lines, path);
      problems.push({
        file,
        ...(at ? { line: at.line, column: at.column } : {}),
        key: path.map(String).join('.') || '(top level)',
        reason: issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message,
      });
    }
  }
  return problems;
}

/** Parses and validates config text; `file` names it in the problems. */
export function parseConfig(text: string, file: string): VigilConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => ({
        file,
        ...(error.linePos ? { line: error.linePos[0].line, column: error.linePos[0].col } : {}),
        key: '(YAML)',
        reason: (error.message.split('\n')[0] ?? error.code).replace(/ at line \d+, column \d+:?$/, ''),
      })),
    );
  }
  const result = vigilConfigSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) throw new ConfigError(problemsOf(file, text, result.error.issues));
  return result.data;
}

/** Reads and validates the config; a bad file names the line, the key and what would fix it. */
export function loadConfig(path: string, options: LoadOptions = {}): VigilConfig {
  if (!existsSync(path)) {
    if (options.required)
      throw new ConfigError([{ file: path, key: 'VIGIL_CONFIG', reason: 'no such file (unset VIGIL_CONFIG to run on the defaults)' }]);
    return parseConfig('', path);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ file: path, key: 'VIGIL_CONFIG', reason: `cannot be read: ${(error as Error).message}` }]);
  }
  return parseConfig(text, path);
}
