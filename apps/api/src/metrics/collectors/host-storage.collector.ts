import si from 'systeminformation';
import type { Collector } from './collector';
import { describeMetric } from './metric-units';

/** "/" → "root", "/var/lib" → "var_lib": a mount point as a metric name segment. */
export function mountSegment(mount: string): string {
  const trimmed = mount.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? 'root' : trimmed.replace(/[^A-Za-z0-9]+/g, '_');
}

/**
 * Disk usage per mount and process counts: costly (fsSize spawns `df`), so every
 * 10 s by default, as their own source.
 */
export class HostStorageCollector implements Collector {
  readonly source = 'host-storage';
  readonly environment = undefined;

  constructor(
    readonly intervalMs: number,
    readonly timeoutMs: number,
  ) {}

  describe = describeMetric;

  async collect(): Promise<Record<string, number>> {
    const [filesystems, processes] = await Promise.all([si.fsSize(), si.processes()]);
    const values: Record<string, number> = {};
    for (const fs of filesystems) {
      if (!fs.mount || fs.size <= 0) continue;
      const segment = mountSegment(fs.mount);
      values[`fs.${segment}.used_bytes`] = fs.used;
      values[`fs.${segment}.size_bytes`] = fs.size;
      values[`fs.${segment}.used_percent`] = fs.use;
    }
    values['processes.all'] = processes.all;
    values['processes.running'] = processes.running;
    values['processes.blocked'] = processes.blocked;
    values['processes.sleeping'] = processes.sleeping;
    return values;
  }
}
