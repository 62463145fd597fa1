import { loadavg } from 'node:os';
import si from 'systeminformation';
import type { Collector } from './collector';
import { describeMetric, ratePerSecond } from './metric-units';

interface CounterReading {
  at: number;
  values: Map<string, number>;
}

/**
 * The machine, every second by default: CPU (total, per core, load), memory and
 * swap, network rates and errors per interface, disk I/O bytes/s.
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
    const [load, memory, network, disk] = await Promise.all([si.currentLoad(), si.mem(), si.networkStats('*'), si.fsStats()]);
    const values: Record<string, number> = {};
    values['cpu_percent'] = load.currentLoad;
    load.cpus.forEach((core, index) => {
      values[`cpu.core${index}_percent`] = core.load;
    });
    const [one, five, fifteen] = loadavg();
    values['load.1m'] = one;
    values['load.5m'] = five;
    values['load.15m'] = fifteen;

    // "used" without buffers and cache: what applications hold, as `free` reports it.
    values['memory.used_bytes'] = memory.active;
    values['memory.total_bytes'] = memory.total;
    values['memory_percent'] = memory.total > 0 ? (memory.active / memory.total) * 100 : 0;
    values['swap.used_bytes'] = memory.swapused;
    values['swap.total_bytes'] = memory.swaptotal;

    // Rates from our own counter readings: the library's per-second figures are
    // null on a first call and reset whenever another caller reads them.
    const now = Date.now();
    const counters = new Map<string, number>();
    for (const iface of network) {
      counters.set(`net.${iface.iface}.rx_bytes_per_s`, iface.rx_bytes);
      counters.set(`net.${iface.iface}.tx_bytes_per_s`, iface.tx_bytes);
      counters.set(`net.${iface.iface}.errors_per_s`, iface.rx_errors + iface.tx_errors);
    }
    if (disk) {
      counters.set('disk.read_bytes_per_s', disk.rx);
      counters.set('disk.write_bytes_per_s', disk.wx);
    }
    for (const [name, current] of counters) {
      const rate = ratePerSecond(this.previous?.values.get(name), current, now - (this.previous?.at ?? now));
      if (rate !== undefined) values[name] = rate;
    }
    this.previous = { at: now, values: counters };
    return values;
  }
}
