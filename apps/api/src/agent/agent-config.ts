import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config/load-config';
import { environmentConfigSchema, vigilConfigSchema, type VigilConfig } from '../config/vigil-config.schema';

/**
 * vigil-agent.yaml: the services of this host, under the same `environments:` key
 * and in the same schema as vigil.config.yaml (so a service moves between the two
 * unchanged), plus the host collectors' intervals.
 */
const agentConfigSchema = z.strictObject({
  environments: z.array(z.looseObject({ name: z.string(), services: z.array(z.unknown()).default([]) })).default([]),
  metrics: z
    .strictObject({
      hostIntervalSeconds: z.number().positive().max(3600).default(1),
      storageIntervalSeconds: z.number().positive().max(3600).default(10),
      /** Samples kept while the server is away; the oldest go first, and the drop is counted. */
      bufferSamples: z.number().int().min(10).max(1_000_000).default(20_000),
    })
    .prefault({}),
});

export interface AgentConfig {
  /** As written in the file: what the hello declares (the server checks it with the same schema). */
  rawEnvironments: { name: string; services: unknown[] }[];
  /** The same, validated and with defaults, in the shape the supervisor takes. */
  supervised: VigilConfig;
  metrics: z.infer<typeof agentConfigSchema>['metrics'];
}

function problems(error: z.ZodError, path: string): string {
  return `${path} is invalid:\n${error.issues.map((issue) => `  - ${issue.path.join('.') || '(top level)'}: ${issue.message}`).join('\n')}`;
}

export function loadAgentConfig(path: string): AgentConfig {
  if (!existsSync(path)) throw new ConfigError(`no agent config at ${path} (give --config vigil-agent.yaml)`);
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  const outer = agentConfigSchema.safeParse(raw);
  if (!outer.success) throw new ConfigError(problems(outer.error, path));
  const environments = z.array(environmentConfigSchema).safeParse(outer.data.environments);
  if (!environments.success) throw new ConfigError(problems(environments.error, `${path} environments`));
  // The server's schema also checks that no two services claim one port.
  const supervised = vigilConfigSchema.safeParse({
    environments: outer.data.environments.length > 0 ? outer.data.environments : [{ name: 'none' }],
  });
  if (!supervised.success) throw new ConfigError(problems(supervised.error, path));
  if (outer.data.environments.length === 0) supervised.data.environments = [];
  return {
    rawEnvironments: outer.data.environments.map((env) => ({ name: env.name, services: env.services })),
    supervised: supervised.data,
    metrics: outer.data.metrics,
  };
}
