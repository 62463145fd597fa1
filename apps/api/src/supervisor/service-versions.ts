import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a service runs before its first deploy. */
export const DEFAULT_VERSION = '1.0.0';

/**
 * The deployed version of each service: `<dataDir>/deploy/<env>/<service>/VERSION`,
 * written by the deploy step and read by the service (VIGIL_VERSION_FILE).
 */
export class ServiceVersions {
  constructor(private readonly dataDir: string) {}

  file(environment: string, service: string): string {
    return join(this.dataDir, 'deploy', environment, service, 'VERSION');
  }

  /** The version in the file; DEFAULT_VERSION when it is missing, empty or unreadable. */
  current(environment: string, service: string): string {
    const file = this.file(environment, service);
    try {
      if (!existsSync(file)) return DEFAULT_VERSION;
      return readFileSync(file, 'utf8').trim() || DEFAULT_VERSION;
    } catch {
      return DEFAULT_VERSION;
    }
  }
}
