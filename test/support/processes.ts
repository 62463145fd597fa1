import { readdirSync, readFileSync } from 'node:fs';

export interface DemoProcess {
  pid: number;
  script: string;
  port: number | null;
  service: string | null;
  environment: string | null;
}

/** Every running demo service process (found through /proc), with its PORT and identity. */
export function demoProcesses(): DemoProcess[] {
  const found: DemoProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const script = cmdline.find((arg) => /demo\/[a-z-]+\.mjs$/.test(arg));
      if (!script) continue;
      const env: Partial<Record<string, string>> = Object.fromEntries(
        readFileSync(`/proc/${entry}/environ`, 'utf8')
          .split('\0')
          .filter(Boolean)
          .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
      );
      found.push({
        pid: Number(entry),
        script,
        port: env.PORT ? Number(env.PORT) : null,
        service: env.VIGIL_SERVICE ?? null,
        environment: env.VIGIL_ENVIRONMENT ?? null,
      });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Demo processes whose port is in [from, to]: the ones a test's config started. */
export function demoProcessesOnPorts(from: number, to: number): DemoProcess[] {
  return demoProcesses().filter((process) => process.port !== null && process.port >= from && process.port <= to);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
