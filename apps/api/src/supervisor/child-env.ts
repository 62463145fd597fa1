import type { ServiceConfig } from '../config/vigil-config.schema';

/** Environment variables passed from Vigil's own environment; nothing else (no secrets). */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'TZ'] as const;

/** The environment every process of a service starts from: a few of Vigil's variables, then the service's own. */
export function baseEnv(config: ServiceConfig): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of INHERITED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
  return { ...env, ...config.env };
}

/** What one instance sees: the base environment, its port and who it is. */
export function instanceEnv(
  config: ServiceConfig,
  instance: { environment: string; index: number; port: number | null; versionFile: string },
): NodeJS.ProcessEnv {
  return {
    ...baseEnv(config),
    ...(instance.port !== null ? { PORT: String(instance.port) } : {}),
    VIGIL_SERVICE: config.name,
    VIGIL_ENVIRONMENT: instance.environment,
    VIGIL_INSTANCE: String(instance.index),
    VIGIL_VERSION_FILE: instance.versionFile,
  };
}

/** `node` runs the node that runs Vigil, whatever PATH says. */
export function resolveCommand(command: string): string {
  return command === 'node' ? process.execPath : command;
}
