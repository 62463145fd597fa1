import type { Collector } from './collector';
import { describeMetric } from './metric-units';
import { readMountUsage, readProcessCounts } from './storage-readers';

/** "/" → "root", "/var/lib" → "var_lib": a mount point as a metric name segment. */
export function mountSegment(mount: string): string {
  const trimmed = mount.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? 'root' : trimmed.replace(/[^A-Za-z0-9]+/g, '_');
}

/**
 * Disk usage per mount and process counts: a statfs per mount and a read of every
 * /proc/<pid>/stat, so every 10 s by default, as their own source.
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
    const [mounts, processes] = await Promise.all([readMountUsage(), readProcessCounts()]);
    const values: Record<string, number> = {};
    for (const usage of mounts) {
      if (usage.sizeBytes <= 0) continue;
      const segment = mountSegment(usage.mount);
      values[`fs.${segment}.used_bytes`] = usage.usedBytes;
      values[`fs.${segment}.size_bytes`] = usage.sizeBytes;
      values[`fs.${segment}.used_percent`] = usage.usedPercent;
    }
    values['processes.all'] = processes.all;
    values['processes.running'] = processes.running;
    values['processes.blocked'] = processes.blocked;
    values['processes.sleeping'] = processes.sleeping;
    return values;
  }
}
