import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { vigilConfigSchema, type VigilConfig } from './vigil-config.schema';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the config; a bad file names the key and what would fix it. */
export function loadConfig(path: string): VigilConfig {
  let raw: unknown = {};
  if (existsSync(path)) {
    try {
      raw = parse(readFileSync(path, 'utf8')) ?? {};
    } catch (error) {
      throw new ConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
    }
  }
  const result = vigilConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new ConfigError(`${path} is invalid:\n${problems.join('\n')}`);
  }
  return result.data;
}
