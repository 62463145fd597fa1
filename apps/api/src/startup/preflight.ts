import { passwordSchema } from '@vigil/shared';
import { readAuthSettings } from '../auth/auth-settings';
import { ConfigError, type ConfigProblem } from '../config/config-error';
import { loadConfig } from '../config/load-config';
import { readSettings } from '../config/settings';
import { readLogSettings } from '../logging/log-settings';

function collect(problems: ConfigProblem[], key: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof ConfigError) problems.push(...error.problems);
    else problems.push({ file: 'environment', key, reason: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Every setting and the config file, checked before Nest starts: nothing is written
 * (no data dir, no signing key, no log) unless all of them are usable, and every
 * problem is reported at once as one block.
 */
export function preflight(env: NodeJS.ProcessEnv = process.env): void {
  const problems: ConfigProblem[] = [];
  collect(problems, 'VIGIL_PORT', () => {
    const settings = readSettings(env);
    loadConfig(settings.configPath, { required: settings.configRequired });
  });
  collect(problems, 'VIGIL_JWT_SECRET', () => readAuthSettings(env));
  collect(problems, 'VIGIL_LOG_FORMAT', () => readLogSettings(env));
  const admin = env.VIGIL_ADMIN_PASSWORD;
  if (admin && !passwordSchema.safeParse(admin).success) {
    problems.push({ file: 'environment', key: 'VIGIL_ADMIN_PASSWORD', reason: 'must be 12 to 1024 characters' });
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
