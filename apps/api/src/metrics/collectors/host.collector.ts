import { loadavg } from 'node:os';
import si from 'systeminformation';
import type { Collector } from './collector';
import { describeMetric, ratePerSecond } from './metric-units';
import { busyPercent, readCpuTimes, readDiskBytes, readNetDev, type CpuTimes } from './proc-readers';

interface CounterReading {
  at: number;
  cpu: CpuTimes;
  counters: Map<string, number>;
}

/**
 * The machine, every second by default: CPU (total, per core, load), memory and
 * swap, network rates and errors per interface, disk I/O bytes/s. Memory comes
 * from systeminformation (it reads /proc/meminfo); CPU, network and disk from our
 * own /proc readers, since the library spawns shells for those (see proc-readers.ts).
 */
export class HostCollector implements Collector {
  readonly source = 'host';
  readonly environment = undefined;
  private previous?: CounterReading;

  constructor(
    readonly intervalMs: number,
    readonly timeoutMs: number,
  ) {}

  describe = describeMetric;

  async collect(): Promise<Record<string, number>> {
    const [cpu, memory, network, disk] = await Promise.all([readCpuTimes(), si.mem(), readNetDev(), readDiskBytes()]);
    const now = Date.now();
    const values: Record<string, number> = {};

    if (this.previous) {
      values.cpu_percent = busyPercent(this.previous.cpu.total, cpu.total);
      cpu.cores.forEach((core, index) => {
        const before = this.previous?.cpu.cores[index];
        if (before) values[`cpu.core${index}_percent`] = busyPercent(before, core);
      });
    }
    const [one, five, fifteen] = loadavg();
    values['load.1m'] = one;
    values['load.5m'] = five;
    values['load.15m'] = fifteen;

    // "used" without buffers and cache: what applications hold, as `free` reports it.
    values['memory.used_bytes'] = memory.active;
    values['memory.total_bytes'] = memory.total;
    values.memory_percent = memory.total > 0 ? (memory.active / memory.total) * 100 : 0;
    values['swap.used_bytes'] = memory.swapused;
    values['swap.total_bytes'] = memory.swaptotal;

    const counters = new Map<string, number>();
    for (const [name, iface] of network) {
      counters.set(`net.${name}.rx_bytes_per_s`, iface.rxBytes);
      counters.set(`net.${name}.tx_bytes_per_s`, iface.txBytes);
      counters.set(`net.${name}.errors_per_s`, iface.errors);
    }
    counters.set('disk.read_bytes_per_s', disk.read);
    counters.set('disk.write_bytes_per_s', disk.written);
    for (const [name, current] of counters) {
      const rate = ratePerSecond(this.previous?.counters.get(name), current, now - (this.previous?.at ?? now));
      if (rate !== undefined) values[name] = rate;
    }
    this.previous = { at: now, cpu, counters };
    return values;
  }
}
